package dev.loopline.core.memory;

import java.util.HashMap;
import java.util.Map;

/**
 * A bounded memory of a model's recent mistakes, which corrects new predictions by the mistakes made
 * on similar inputs lately (the fast, non-parametric half of the error-compensation loop of ReLoop2,
 * KDD 2023). One instance is one key's memory.
 *
 * <p><b>Entries</b> are {@code (representation, residual, timestamp)}: the representation is what the
 * model saw (its standardised input features, or a hidden layer), the residual is observed minus
 * predicted, the timestamp is event time given by the caller. The memory keeps at most
 * {@link ErrorMemoryConfig#capacity()} entries and evicts the oldest first (insertion order); an entry
 * older than {@link ErrorMemoryConfig#ttlMillis()} is never used and is evicted as time passes. With
 * out-of-order timestamps an expired entry may wait behind a younger one before it is evicted (and
 * counted in {@link #size()}), but it is never used.
 *
 * <p><b>Look-up</b> hashes the query with {@code tables × bits} random hyperplanes (locality sensitive
 * hashing; the planes come from the config's seed), takes the union of the entries in its bucket of
 * every table, computes the exact similarity of each, keeps the {@code k} most similar at or above
 * {@link ErrorMemoryConfig#minSimilarity()}, and adds
 * {@code compensationWeight × Σ wᵢ rᵢ / (Σ wᵢ + shrinkage)} with {@code wᵢ = exp((sᵢ − 1) / temperature)}
 * to the base prediction. No such neighbour, no
 * correction. A bucket keeps only its {@link ErrorMemoryConfig#bucketCapacity()} most recent entries,
 * so a look-up examines at most {@code tables × bucketCapacity} candidates however large the memory
 * grows; eviction pops the heads of the evicted entry's buckets, O(1).
 *
 * <p>Representations must have the same dimension throughout (fixed by the first one) and finite
 * values; a wrong one is a caller's bug and an {@link IllegalArgumentException}. Inputs are never
 * mutated or retained. Deterministic: the same config and the same calls give the same corrections,
 * bit for bit. Not thread-safe.
 *
 * <p><b>Snapshots</b> ({@link #snapshot()}, {@link #restore}) are versioned (format 1: magic, version,
 * hashing fingerprint, entries oldest first with their bucket codes, statistics); restoring into a
 * config that hashes differently re-hashes the entries, one with a smaller capacity keeps the newest.
 */
public final class ErrorMemory {
    /** The snapshot format this build writes (and the newest it reads). */
    public static final int FORMAT_VERSION = 1;
    static final int MAGIC = 0x4C4C454D; // "LLEM"
    static final int MIN_ALLOCATION = 16;

    final ErrorMemoryConfig config;
    final CorrectionStatistics statistics;
    private final Map<Integer, IntDeque>[] buckets;
    private Hyperplanes planes;
    int dimension;

    // Entries in a ring of `allocated` slots, oldest at `head`; it grows by doubling up to capacity.
    private int allocated;
    private int head;
    int count;
    long nextSeq;
    double[] reps = new double[0];
    double[] norms = new double[0];
    double[] residuals = new double[0];
    long[] times = new long[0];
    long[] seqs = new long[0];
    int[] codes = new int[0];

    // Look-up scratch, never part of the state.
    private int[] visited = new int[0];
    private int visitStamp;
    private final int[] queryCodes;
    private final double[] topSimilarity;
    private final double[] topResidual;
    private final long[] topSeq;

    public ErrorMemory(ErrorMemoryConfig config) {
        this(config, null);
    }

    /** An empty memory; {@code planes} (of the config, or null) may be shared with other memories. */
    ErrorMemory(ErrorMemoryConfig config, Hyperplanes planes) {
        if (config == null) {
            throw new IllegalArgumentException("error memory config is missing; pass ErrorMemoryConfig.defaults()");
        }
        this.config = config;
        this.statistics = new CorrectionStatistics();
        this.buckets = newBuckets(config.tables());
        this.planes = planes;
        this.dimension = planes == null ? 0 : planes.dimension();
        this.queryCodes = new int[config.tables()];
        this.topSimilarity = new double[config.k()];
        this.topResidual = new double[config.k()];
        this.topSeq = new long[config.k()];
    }

    private ErrorMemory(ErrorMemory o) {
        this(o.config, o.planes);
        statistics.copyFrom(o.statistics);
        dimension = o.dimension;
        allocated = o.allocated;
        head = o.head;
        count = o.count;
        nextSeq = o.nextSeq;
        reps = o.reps.clone();
        norms = o.norms.clone();
        residuals = o.residuals.clone();
        times = o.times.clone();
        seqs = o.seqs.clone();
        codes = o.codes.clone();
        visited = new int[allocated];
        for (int t = 0; t < buckets.length; t++) {
            for (Map.Entry<Integer, IntDeque> e : o.buckets[t].entrySet()) {
                buckets[t].put(e.getKey(), new IntDeque(e.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, IntDeque>[] newBuckets(int tables) {
        Map<Integer, IntDeque>[] b = new Map[tables];
        for (int t = 0; t < tables; t++) {
            b[t] = new HashMap<>();
        }
        return b;
    }

    public ErrorMemoryConfig config() {
        return config;
    }

    /** Entries held now. */
    public int size() {
        return count;
    }

    /** The representation dimension, fixed by the first representation seen; 0 before. */
    public int dimension() {
        return dimension;
    }

    /**
     * Corrects a base prediction by the residuals remembered for similar representations. Evicts
     * entries that expired by {@code now} first.
     *
     * @param representation what the model saw (not mutated, not retained)
     * @param basePrediction the base model's prediction, finite
     * @param now            event time in milliseconds
     * @return the corrected prediction and diagnostics; a miss returns the base prediction unchanged
     */
    public Correction correct(double[] representation, double basePrediction, long now) {
        checkRepresentation(representation);
        if (!Double.isFinite(basePrediction)) {
            throw new IllegalArgumentException("base prediction " + basePrediction + " is not finite; correct only finite scores");
        }
        expire(now);
        Correction c = count == 0 ? Correction.none(basePrediction, 0) : lookUp(representation, basePrediction, now);
        statistics.record(c);
        return c;
    }

    /**
     * Remembers one mistake: {@code residual} = observed minus predicted, for a prediction made on
     * {@code representation}. Evicts expired entries, then the oldest if the memory is full.
     */
    public void remember(double[] representation, double residual, long now) {
        checkRepresentation(representation);
        if (!Double.isFinite(residual)) {
            throw new IllegalArgumentException("residual " + residual + " is not finite; remember only finite residuals");
        }
        expire(now);
        if (count == config.capacity()) {
            evictOldest();
        }
        if (count == allocated) {
            grow();
        }
        int slot = slot(count);
        System.arraycopy(representation, 0, reps, slot * dimension, dimension);
        norms[slot] = norm(representation, 0);
        residuals[slot] = residual;
        times[slot] = now;
        seqs[slot] = nextSeq++;
        planes.hash(representation, codes, slot * config.tables());
        count++;
        index(slot);
    }

    /**
     * Remembers the outcome of a served prediction: stores {@code observed − applied.base()} and counts
     * the residual before and after the correction in the statistics.
     */
    public void learn(double[] representation, double observed, Correction applied, long now) {
        if (!Double.isFinite(observed)) {
            throw new IllegalArgumentException("observed value " + observed + " is not finite");
        }
        remember(representation, observed - applied.base(), now);
        statistics.recordOutcome(observed, applied);
    }

    /** Evicts, oldest first, the entries that expired by {@code now}. */
    public void expire(long now) {
        while (count > 0 && expired(times[head], now)) {
            evictOldest();
        }
    }

    /** The running figures of this memory. */
    public ErrorMemoryStats statistics() {
        return statistics.summary(count, (double) count / config.capacity());
    }

    /** An independent memory with the same config, entries and statistics. */
    public ErrorMemory copy() {
        return new ErrorMemory(this);
    }

    private Correction lookUp(double[] q, double base, long now) {
        planes.hash(q, queryCodes, 0);
        if (++visitStamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(visited, 0);
            visitStamp = 1;
        }
        double queryNorm = norm(q, 0);
        int k = config.k();
        int found = 0;
        int candidates = 0;
        double minSimilarity = config.minSimilarity();
        for (int t = 0; t < buckets.length; t++) {
            IntDeque bucket = buckets[t].get(queryCodes[t]);
            if (bucket == null) {
                continue;
            }
            for (int i = bucket.size() - 1; i >= 0; i--) {
                int slot = bucket.get(i);
                if (visited[slot] == visitStamp) {
                    continue;
                }
                visited[slot] = visitStamp;
                candidates++;
                if (expired(times[slot], now)) {
                    continue;
                }
                double s = similarity(q, queryNorm, slot);
                if (s < minSimilarity) {
                    continue;
                }
                found = insertTop(found, k, s, residuals[slot], seqs[slot]);
            }
        }
        if (found == 0) {
            return Correction.none(base, candidates);
        }
        double top = topSimilarity[0];
        double weights = config.shrinkage();
        double sum = 0;
        for (int i = 0; i < found; i++) {
            double w = Math.exp((topSimilarity[i] - 1) / config.temperature());
            weights += w;
            sum += w * topResidual[i];
        }
        double correction = weights == 0 ? 0 : config.compensationWeight() * sum / weights;
        return new Correction(base, base + correction, found, candidates, top);
    }

    /** Inserts into the top list, most similar first, the newer entry first among equals. */
    private int insertTop(int found, int k, double s, double residual, long seq) {
        int i = found < k ? found : k;
        if (i == k && !better(s, seq, topSimilarity[k - 1], topSeq[k - 1])) {
            return found;
        }
        if (i == k) {
            i = k - 1;
        }
        while (i > 0 && better(s, seq, topSimilarity[i - 1], topSeq[i - 1])) {
            topSimilarity[i] = topSimilarity[i - 1];
            topResidual[i] = topResidual[i - 1];
            topSeq[i] = topSeq[i - 1];
            i--;
        }
        topSimilarity[i] = s;
        topResidual[i] = residual;
        topSeq[i] = seq;
        return Math.min(found + 1, k);
    }

    private static boolean better(double s, long seq, double otherS, long otherSeq) {
        return s > otherS || (s == otherS && seq > otherSeq);
    }

    private double similarity(double[] q, double queryNorm, int slot) {
        int at = slot * dimension;
        if (config.similarity() == ErrorMemoryConfig.Similarity.COSINE) {
            double dot = 0;
            for (int i = 0; i < dimension; i++) {
                dot += q[i] * reps[at + i];
            }
            double n = queryNorm * norms[slot];
            return n == 0 ? 0 : Math.max(-1, Math.min(1, dot / n));
        }
        double d2 = 0;
        for (int i = 0; i < dimension; i++) {
            double d = q[i] - reps[at + i];
            d2 += d * d;
        }
        double h = config.bandwidth();
        return Math.exp(-d2 / (2 * dimension * h * h));
    }

    double norm(double[] x, int at) {
        double s = 0;
        for (int i = 0; i < dimension; i++) {
            s += x[at + i] * x[at + i];
        }
        return Math.sqrt(s);
    }

    private boolean expired(long time, long now) {
        return config.ttlMillis() != Long.MAX_VALUE && now - time > config.ttlMillis();
    }

    int slot(int index) {
        int s = head + index;
        return s >= allocated ? s - allocated : s;
    }

    /** Adds the entry in {@code slot} to its bucket in every table, dropping a full bucket's oldest. */
    private void index(int slot) {
        int tables = config.tables();
        for (int t = 0; t < tables; t++) {
            IntDeque bucket = buckets[t].computeIfAbsent(codes[slot * tables + t], c -> new IntDeque());
            bucket.addLast(slot);
            if (bucket.size() > config.bucketCapacity()) {
                bucket.removeFirst();
            }
        }
    }

    /**
     * Evicts the oldest entry. It is the oldest in each of its buckets too, so it is either a bucket's
     * head or was already dropped from that bucket as the bucket filled.
     */
    private void evictOldest() {
        int slot = head;
        int tables = config.tables();
        for (int t = 0; t < tables; t++) {
            int code = codes[slot * tables + t];
            IntDeque bucket = buckets[t].get(code);
            if (bucket != null && bucket.first() == slot) {
                bucket.removeFirst();
                if (bucket.size() == 0) {
                    buckets[t].remove(code);
                }
            }
        }
        head = slot(1);
        count--;
        if (count == 0) {
            head = 0;
        }
    }

    /** Doubles the ring (up to capacity), oldest entry first at slot 0, and re-indexes the buckets. */
    private void grow() {
        resize(Math.min(config.capacity(), Math.max(MIN_ALLOCATION, allocated * 2)));
    }

    private void resize(int size) {
        int tables = config.tables();
        double[] r = new double[size * dimension];
        double[] n = new double[size];
        double[] res = new double[size];
        long[] tm = new long[size];
        long[] sq = new long[size];
        int[] cd = new int[size * tables];
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            System.arraycopy(reps, s * dimension, r, i * dimension, dimension);
            n[i] = norms[s];
            res[i] = residuals[s];
            tm[i] = times[s];
            sq[i] = seqs[s];
            System.arraycopy(codes, s * tables, cd, i * tables, tables);
        }
        reps = r;
        norms = n;
        residuals = res;
        times = tm;
        seqs = sq;
        codes = cd;
        allocated = size;
        head = 0;
        visited = new int[size];
        visitStamp = 0;
        reindex();
    }

    /**
     * Rebuilds every bucket from the entries, oldest first. A bucket always holds the most recent
     * {@code bucketCapacity} live entries that hash to it, so this gives the buckets incremental
     * updates gave.
     */
    void reindex() {
        for (Map<Integer, IntDeque> b : buckets) {
            b.clear();
        }
        for (int i = 0; i < count; i++) {
            index(slot(i));
        }
    }

    private void checkRepresentation(double[] representation) {
        if (representation == null || representation.length == 0) {
            throw new IllegalArgumentException("representation is missing or empty; pass the model's input features");
        }
        if (dimension == 0) {
            dimension = representation.length;
            planes = new Hyperplanes(config, dimension);
        } else if (representation.length != dimension) {
            throw new IllegalArgumentException("representation has " + representation.length
                    + " values; this memory holds representations of " + dimension
                    + " (use one memory per representation layout)");
        }
        for (double v : representation) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("representation holds " + v
                        + "; impute missing values before correcting (e.g. the running mean, 0 when standardised)");
            }
        }
    }

    // ---- snapshots (the formats live in ErrorMemoryFormat) ----

    /** The state as bytes in format {@value #FORMAT_VERSION}: entries oldest first, and the statistics. */
    public byte[] snapshot() {
        return ErrorMemoryFormat.snapshot(this);
    }

    /**
     * A memory from a {@link #snapshot()}. The config may differ from the one that wrote it: entries
     * are re-hashed when it hashes differently, and only the newest {@code capacity} are kept.
     *
     * @throws IllegalArgumentException if the bytes are not an error-memory snapshot, or were written by
     *                                  a newer format than this build reads
     */
    public static ErrorMemory restore(ErrorMemoryConfig config, byte[] snapshot) {
        return ErrorMemoryFormat.restore(config, snapshot, null);
    }

    static ErrorMemory restore(ErrorMemoryConfig config, byte[] snapshot, Hyperplanes shared) {
        return ErrorMemoryFormat.restore(config, snapshot, shared);
    }

    void allocate(int size) {
        int tables = config.tables();
        reps = new double[size * dimension];
        norms = new double[size];
        residuals = new double[size];
        times = new long[size];
        seqs = new long[size];
        codes = new int[size * tables];
        visited = new int[size];
        allocated = size;
        head = 0;
    }

    Hyperplanes planes() {
        return planes;
    }

    // ---- entries, for state stored one entry at a time ----

    /**
     * One remembered mistake. A keyed operator that cannot afford to rewrite the whole {@link #snapshot()}
     * on every outcome stores the {@link #newest()} entry under slot {@code seq % capacity} (so the entry
     * it replaces is the one the memory evicted) and {@link #progress()} beside it, and rebuilds the
     * memory with {@link KeyedErrorMemory#rebuild}.
     */
    public record Entry(long seq, long time, double residual, double[] representation) {
        public byte[] encode() {
            return ErrorMemoryFormat.encode(this);
        }

        public static Entry decode(byte[] bytes) {
            return ErrorMemoryFormat.decode(bytes);
        }
    }

    /** The entry remembered last, or null when the memory is empty. */
    public Entry newest() {
        if (count == 0) {
            return null;
        }
        int s = slot(count - 1);
        return new Entry(seqs[s], times[s], residuals[s],
                java.util.Arrays.copyOfRange(reps, s * dimension, (s + 1) * dimension));
    }

    /** What an entry-by-entry store keeps beside the entries: the next sequence number and the statistics. */
    public byte[] progress() {
        return ErrorMemoryFormat.progress(this);
    }

    /**
     * A memory holding the newest {@code capacity} of these entries (in any order) with the progress
     * written by {@link #progress()} ({@code null}: none yet). Entries hash as this config hashes.
     */
    static ErrorMemory fromEntries(ErrorMemoryConfig config, java.util.Collection<Entry> entries, byte[] progress,
            Hyperplanes shared) {
        return ErrorMemoryFormat.fromEntries(config, entries, progress, shared);
    }
}
