package dev.loopline.core.drift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ADWIN2, the adaptive sliding window of Bifet and Gavaldà ("Learning from Time-Changing Data with
 * Adaptive Windowing", SDM 2007).
 *
 * <p>The window is kept as an exponential histogram: row {@code i} holds up to {@code maxBuckets}
 * buckets of {@code 2^i} values, each bucket storing the sum and the variance of its values. When a
 * row overflows, its two oldest buckets merge into one bucket of the next row, so the window costs
 * O(maxBuckets log W) memory. Every {@code clock} values, each split of the window into an older part
 * W0 and a newer part W1 at a bucket boundary is tested; if the means differ by more than
 * <pre>
 *   eps = sqrt(2 m var ln(2 ln(W) / delta)) + 2/3 m ln(2 ln(W) / delta),
 *   m   = 1/(n0 - minWindowLength + 1) + 1/(n1 - minWindowLength + 1),
 * </pre>
 * the oldest bucket is dropped and the test repeats, until no split shows a change. Any drop is a
 * detection. This follows the reference implementation in MOA (and River): variance-aware bound,
 * checks every {@code clock} values once the window is longer than {@code gracePeriod}.
 *
 * <p>ADWIN never restarts: after a detection the window simply holds the values since the change.
 */
public final class Adwin implements DriftDetector {
    public static final String NAME = "adwin";

    /**
     * @param delta           confidence of the cut test, in (0, 1): smaller is more conservative
     * @param clock           test for a change once every {@code clock} values (1 = every value)
     * @param maxBuckets      buckets kept per histogram row before two merge (the paper's M), at least 2
     * @param minWindowLength the least number of values on either side of a cut
     * @param gracePeriod     no test until the window holds more than this many values
     */
    public record Config(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod)
            implements DriftDetectorConfig {
        public Config {
            if (!(delta > 0 && delta < 1)) {
                throw new IllegalArgumentException("adwin delta=" + delta
                        + " is outside (0, 1); use a small confidence such as 0.002 (smaller detects less)");
            }
            if (clock < 1 || clock > 1_000_000) {
                throw new IllegalArgumentException("adwin clock=" + clock
                        + " is outside [1, 1000000]; 32 checks once every 32 values, 1 checks every value");
            }
            if (maxBuckets < 2 || maxBuckets > 1000) {
                throw new IllegalArgumentException("adwin maxBuckets=" + maxBuckets
                        + " is outside [2, 1000]; 5 is the usual value (more is finer and slower)");
            }
            if (minWindowLength < 1 || minWindowLength > 1_000_000) {
                throw new IllegalArgumentException("adwin minWindowLength=" + minWindowLength
                        + " is outside [1, 1000000]; 5 is the usual value");
            }
            if (gracePeriod < 1 || gracePeriod > 100_000_000) {
                throw new IllegalArgumentException("adwin gracePeriod=" + gracePeriod
                        + " is outside [1, 100000000]; 10 is the usual value");
            }
        }

        /** MOA's and River's defaults: delta 0.002, clock 32, 5 buckets per row, sides of 5, grace 10. */
        public static Config defaults() {
            return new Config(0.002, 32, 5, 5, 10);
        }

        /** The defaults with another delta. */
        public static Config withDelta(double delta) {
            Config d = defaults();
            return new Config(delta, d.clock, d.maxBuckets, d.minWindowLength, d.gracePeriod);
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Adwin create() {
            return new Adwin(this);
        }

        @Override
        public Map<String, Object> parameters() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("delta", delta);
            p.put("clock", clock);
            p.put("maxBuckets", maxBuckets);
            p.put("minWindowLength", minWindowLength);
            p.put("gracePeriod", gracePeriod);
            return p;
        }
    }

    /** One histogram row: up to maxBuckets + 1 buckets of equal size, index 0 the oldest. */
    private static final class Row {
        final double[] totals;
        final double[] variances;
        int count;

        Row(int capacity) {
            totals = new double[capacity];
            variances = new double[capacity];
        }

        Row copy() {
            Row r = new Row(totals.length);
            System.arraycopy(totals, 0, r.totals, 0, count);
            System.arraycopy(variances, 0, r.variances, 0, count);
            r.count = count;
            return r;
        }

        void add(double total, double variance) {
            totals[count] = total;
            variances[count] = variance;
            count++;
        }

        /** Drops the {@code n} oldest buckets. */
        void dropOldest(int n) {
            System.arraycopy(totals, n, totals, 0, count - n);
            System.arraycopy(variances, n, variances, 0, count - n);
            count -= n;
        }
    }

    private final Config config;
    /** rows.get(0) holds single values (the newest); the last row the largest, oldest buckets. */
    private List<Row> rows;
    private double width;
    private double total;
    /** Sum of squared deviations from the window mean (W times the variance). */
    private double variance;
    private long tick;
    private long observations;
    private long detections;
    private boolean lastDetected;
    /** Newer minus older mean at the first cut of the latest value; NaN when it made no cut. */
    private double lastChange = Double.NaN;

    public Adwin(Config config) {
        this.config = config;
        reset();
    }

    private Adwin(Adwin other) {
        this.config = other.config;
        this.rows = new ArrayList<>(other.rows.size());
        for (Row r : other.rows) {
            rows.add(r.copy());
        }
        this.width = other.width;
        this.total = other.total;
        this.variance = other.variance;
        this.tick = other.tick;
        this.observations = other.observations;
        this.detections = other.detections;
        this.lastDetected = other.lastDetected;
    }

    @Override
    public boolean update(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("adwin got " + value + "; feed finite values only");
        }
        observations++;
        insert(value);
        lastChange = Double.NaN;
        lastDetected = detectChange();
        if (lastDetected) {
            detections++;
        }
        return lastDetected;
    }

    @Override
    public void reset() {
        rows = new ArrayList<>();
        rows.add(new Row(config.maxBuckets + 1));
        width = 0;
        total = 0;
        variance = 0;
        tick = 0;
        observations = 0;
        detections = 0;
        lastDetected = false;
    }

    @Override
    public DriftState state() {
        return new DriftState(observations, detections,
                lastDetected ? DriftState.Signal.DRIFT : DriftState.Signal.STABLE,
                width > 0 ? total / width : Double.NaN, width);
    }

    @Override
    public Adwin copy() {
        return new Adwin(this);
    }

    @Override
    public Config config() {
        return config;
    }

    /**
     * Fields after the header: long tick, observations, detections; boolean last detected; double width,
     * total, variance; int rows; per row (single values first) int count, then count pairs of double
     * total and variance. About 16 bytes per bucket.
     */
    @Override
    public byte[] snapshot() {
        return DetectorSnapshots.write(NAME, out -> {
            out.writeLong(tick);
            out.writeLong(observations);
            out.writeLong(detections);
            out.writeBoolean(lastDetected);
            out.writeDouble(width);
            out.writeDouble(total);
            out.writeDouble(variance);
            out.writeInt(rows.size());
            for (Row r : rows) {
                out.writeInt(r.count);
                for (int k = 0; k < r.count; k++) {
                    out.writeDouble(r.totals[k]);
                    out.writeDouble(r.variances[k]);
                }
            }
        });
    }

    @Override
    public void restore(byte[] snapshot) {
        Adwin read = new Adwin(config);
        DetectorSnapshots.read(NAME, snapshot, in -> {
            read.tick = in.readLong();
            read.observations = in.readLong();
            read.detections = in.readLong();
            read.lastDetected = in.readBoolean();
            read.width = in.readDouble();
            read.total = in.readDouble();
            read.variance = in.readDouble();
            int n = in.readInt();
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("adwin snapshot has " + n + " histogram rows; expected 1 to 64");
            }
            read.rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Row r = new Row(config.maxBuckets + 1);
                int count = in.readInt();
                if (count < 0 || count > config.maxBuckets) {
                    throw new IllegalArgumentException("adwin snapshot row " + i + " holds " + count
                            + " buckets; this detector keeps at most maxBuckets=" + config.maxBuckets);
                }
                for (int k = 0; k < count; k++) {
                    r.add(in.readDouble(), in.readDouble());
                }
                read.rows.add(r);
            }
        });
        rows = read.rows;
        width = read.width;
        total = read.total;
        variance = read.variance;
        tick = read.tick;
        observations = read.observations;
        detections = read.detections;
        lastDetected = read.lastDetected;
    }

    /**
     * The statistic of the latest detection: the mean of the newer part minus that of the older part
     * at the first split the cut test rejected; NaN when the latest value made no cut. Not kept in
     * snapshots (it describes one update).
     */
    public double lastChange() {
        return lastChange;
    }

    /** The number of values in the current window. */
    public long width() {
        return (long) width;
    }

    /** The number of buckets in the histogram (memory is proportional to it). */
    public int buckets() {
        int n = 0;
        for (Row r : rows) {
            n += r.count;
        }
        return n;
    }

    private void insert(double value) {
        rows.get(0).add(value, 0.0);
        width++;
        if (width > 1) {
            double d = value - total / (width - 1);
            variance += (width - 1) * d * d / width;
        }
        total += value;
        compress();
    }

    private static double size(int row) {
        return Math.scalb(1.0, row);
    }

    private void compress() {
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (row.count != config.maxBuckets + 1) {
                return;
            }
            if (i + 1 == rows.size()) {
                rows.add(new Row(config.maxBuckets + 1));
            }
            Row next = rows.get(i + 1);
            double n = size(i);
            double mu1 = row.totals[0] / n;
            double mu2 = row.totals[1] / n;
            double mergedVariance = row.variances[0] + row.variances[1] + n * n * (mu1 - mu2) * (mu1 - mu2) / (2 * n);
            next.add(row.totals[0] + row.totals[1], mergedVariance);
            row.dropOldest(2);
            if (next.count <= config.maxBuckets) {
                return;
            }
        }
    }

    /** Drops the oldest bucket; returns its size. */
    private double deleteOldest() {
        int last = rows.size() - 1;
        Row row = rows.get(last);
        double n = size(last);
        double u = row.totals[0];
        double mu = u / n;
        double v = row.variances[0];
        width -= n;
        total -= u;
        double muWindow = total / width;
        variance -= v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width);
        row.dropOldest(1);
        if (row.count == 0) {
            rows.remove(last);
        }
        return n;
    }

    private boolean detectChange() {
        tick++;
        if (tick % config.clock != 0 || width <= config.gracePeriod) {
            return false;
        }
        boolean changed = false;
        boolean reduce = true;
        while (reduce) {
            reduce = false;
            double n0 = 0;
            double n1 = width;
            double u0 = 0;
            double u1 = total;
            scan:
            for (int i = rows.size() - 1; i >= 0; i--) {
                Row row = rows.get(i);
                double n2 = size(i);
                for (int k = 0; k < row.count; k++) {
                    double u2 = row.totals[k];
                    n0 += n2;
                    n1 -= n2;
                    u0 += u2;
                    u1 -= u2;
                    if (i == 0 && k == row.count - 1) {
                        break scan;
                    }
                    double diff = u0 / n0 - u1 / n1;
                    if (n1 >= config.minWindowLength && n0 >= config.minWindowLength && cut(n0, n1, diff)) {
                        if (!changed) {
                            lastChange = -diff;
                        }
                        changed = true;
                        reduce = true;
                        if (width > 0) {
                            deleteOldest();
                            break scan;
                        }
                    }
                }
            }
        }
        return changed;
    }

    private boolean cut(double n0, double n1, double diff) {
        double lnTerm = Math.log(2 * Math.log(width) / config.delta);
        double varianceInWindow = variance / width;
        double m = 1.0 / (n0 - config.minWindowLength + 1) + 1.0 / (n1 - config.minWindowLength + 1);
        double epsilon = Math.sqrt(2 * m * varianceInWindow * lnTerm) + 2.0 / 3.0 * lnTerm * m;
        return Math.abs(diff) > epsilon;
    }
}
