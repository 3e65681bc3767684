package dev.loopline.core.memory;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The validated parameters of an {@link ErrorMemory}. Every instance built from the same config
 * hashes alike (the hyperplanes come from {@link #seed}), so memories of different keys, copies and
 * restored snapshots agree on their buckets.
 *
 * @param capacity           entries kept per memory (per key); the oldest is evicted first, in [1, 10000000]
 * @param k                  neighbours averaged per look-up, in [1, 1024]
 * @param tables             LSH tables (L); more tables find more true neighbours and cost more, in [1, 64]
 * @param bits               hyperplanes per table (b); more bits give smaller buckets, in [1, 30]
 * @param bucketCapacity     most recent entries kept per bucket (older ones stay in the other tables), which
 *                           bounds a look-up at {@code tables · bucketCapacity} candidates, in [1, 100000]
 * @param compensationWeight how much of the neighbours' mean residual is added to the prediction, in [0, 1]
 * @param temperature        temperature of the neighbour weights {@code exp((s - 1) / temperature)}: small
 *                           trusts the most similar neighbours, large weighs the top k alike, greater than 0
 * @param minSimilarity      a neighbour less similar than this is ignored; none left means no correction,
 *                           in [-1, 1]
 * @param shrinkage          prior weight of "no correction", in perfectly similar neighbours: the mean residual
 *                           is {@code Σ wᵢ rᵢ / (Σ wᵢ + shrinkage)}, so a few weak neighbours move the prediction
 *                           little, in [0, 1000]
 * @param similarity         how representations are compared (and hashed)
 * @param bandwidth          length scale of the {@link Similarity#EUCLIDEAN} kernel, as a root-mean-square
 *                           difference per coordinate, greater than 0 (unused by {@link Similarity#COSINE})
 * @param ttlMillis          an entry older than this (event time) is never used and is evicted, at least 1
 *                           ({@link Long#MAX_VALUE} for no time limit)
 * @param seed               seed of the hyperplanes
 */
public record ErrorMemoryConfig(int capacity, int k, int tables, int bits, int bucketCapacity,
        double compensationWeight, double temperature, double minSimilarity, double shrinkage, Similarity similarity,
        double bandwidth, long ttlMillis, long seed) implements Serializable {

    /** How two representations are compared, and so which LSH family hashes them. */
    public enum Similarity {
        /**
         * Cosine of the angle, in [-1, 1]; hashed by hyperplanes through the origin (SimHash). Suits
         * centred representations (standardised features, hidden layers), where the direction carries
         * the meaning; the default.
         */
        COSINE,
        /**
         * Gaussian kernel {@code exp(-|a - b|² / (2 · d · bandwidth²))} for d coordinates, in (0, 1]: the
         * bandwidth is a root-mean-square difference per coordinate, so it holds across dimensions;
         * hashed by hyperplanes with random offsets (a random partition of space into cells). For
         * representations whose magnitude matters too; it needs denser memories than the cosine (on the
         * streams the defaults were chosen on it cut less of the excess).
         */
        EUCLIDEAN
    }

    public ErrorMemoryConfig {
        check(capacity >= 1 && capacity <= 10_000_000, "capacity", capacity, "[1, 10000000]",
                "keep a few hundred recent entries per key (600 is the default); a global memory may hold 100000");
        check(k >= 1 && k <= 1024, "k", k, "[1, 1024]", "64 is the default");
        check(tables >= 1 && tables <= 64, "tables", tables, "[1, 64]", "8 tables is the usual value");
        check(bits >= 1 && bits <= 30, "bits", bits, "[1, 30]", "use 6 to 12 bits per table (6 is the default)");
        check(bucketCapacity >= 1 && bucketCapacity <= 100_000, "bucketCapacity", bucketCapacity, "[1, 100000]",
                "16 keeps a look-up at a few microseconds");
        check(compensationWeight >= 0 && compensationWeight <= 1, "compensationWeight", compensationWeight, "[0, 1]",
                "1 adds the neighbours' whole mean residual, 0 switches correction off");
        check(temperature > 0 && Double.isFinite(temperature), "temperature", temperature, "(0, inf)",
                "use 0.2 to weigh by similarity, or 10 to average the top k alike");
        check(minSimilarity >= -1 && minSimilarity <= 1, "minSimilarity", minSimilarity, "[-1, 1]",
                "0.6 is the default for cosine; -1 accepts any neighbour a bucket offers");
        check(shrinkage >= 0 && shrinkage <= 1000, "shrinkage", shrinkage, "[0, 1000]",
                "use 0 for the plain weighted mean, or 8 (the default) to damp corrections from few neighbours");
        if (similarity == null) {
            throw new IllegalArgumentException("error memory similarity is missing; choose one of COSINE, EUCLIDEAN");
        }
        check(bandwidth > 0 && Double.isFinite(bandwidth), "bandwidth", bandwidth, "(0, inf)",
                "use 0.3 for standardised features (a third of their spread per coordinate)");
        check(ttlMillis >= 1, "ttlMillis", ttlMillis, "[1, " + Long.MAX_VALUE + "]",
                "use Long.MAX_VALUE for no time limit");
    }

    private static void check(boolean ok, String name, Object value, String range, String fix) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "error memory %s=%s is outside %s; %s",
                    name, value, range, fix));
        }
    }

    /**
     * The defaults, chosen on the SEA stream and two synthetic shifts with {@code loopline eval-memory}
     * (excess after each shift cut by more than half, stationary loss within 2 %): 600 entries (recent
     * mistakes only, so a shift's stale residuals are forgotten within a few hundred events), k 64,
     * 8 tables of 6 bits with 16 entries per bucket (at most 128 candidates per look-up), compensation
     * weight 1, temperature 0.2, the cosine similarity with a minimum of 0.6, shrinkage 8 (which keeps
     * the noise of a stationary stream's residuals out of the predictions), bandwidth 0.3 (for the
     * Euclidean kernel only), no time limit, seed 1. Representations are expected standardised (zero
     * mean, unit variance per coordinate).
     */
    public static ErrorMemoryConfig defaults() {
        return new ErrorMemoryConfig(600, 64, 8, 6, 16, 1.0, 0.2, 0.6, 8.0, Similarity.COSINE, 0.3, Long.MAX_VALUE, 1);
    }

    /**
     * The defaults of a memory kept per state key and action in the stream ({@code errorMemory.*} of
     * {@code loop.yaml}): {@link #defaults()} with 128 entries, since a job keeps one per entity and action
     * (about 25 KB each over 17 features) and an entity's mistakes come a few per minute, not hundreds.
     */
    public static ErrorMemoryConfig keyedDefaults() {
        return defaults().withCapacity(128);
    }

    public ErrorMemoryConfig withCapacity(int capacity) {
        return new ErrorMemoryConfig(capacity, k, tables, bits, bucketCapacity, compensationWeight, temperature,
                minSimilarity, shrinkage, similarity, bandwidth, ttlMillis, seed);
    }

    public ErrorMemoryConfig withNeighbours(int k) {
        return new ErrorMemoryConfig(capacity, k, tables, bits, bucketCapacity, compensationWeight, temperature,
                minSimilarity, shrinkage, similarity, bandwidth, ttlMillis, seed);
    }

    public ErrorMemoryConfig withHashing(int tables, int bits, int bucketCapacity) {
        return new ErrorMemoryConfig(capacity, k, tables, bits, bucketCapacity, compensationWeight, temperature,
                minSimilarity, shrinkage, similarity, bandwidth, ttlMillis, seed);
    }

    public ErrorMemoryConfig withWeighting(double compensationWeight, double temperature, double minSimilarity,
            double shrinkage) {
        return new ErrorMemoryConfig(capacity, k, tables, bits, bucketCapacity, compensationWeight, temperature,
                minSimilarity, shrinkage, similarity, bandwidth, ttlMillis, seed);
    }

    public ErrorMemoryConfig withSimilarity(Similarity similarity, double bandwidth) {
        return new ErrorMemoryConfig(capacity, k, tables, bits, bucketCapacity, compensationWeight, temperature,
                minSimilarity, shrinkage, similarity, bandwidth, ttlMillis, seed);
    }

    public ErrorMemoryConfig withTtlMillis(long ttlMillis) {
        return new ErrorMemoryConfig(capacity, k, tables, bits, bucketCapacity, compensationWeight, temperature,
                minSimilarity, shrinkage, similarity, bandwidth, ttlMillis, seed);
    }

    public ErrorMemoryConfig withSeed(long seed) {
        return new ErrorMemoryConfig(capacity, k, tables, bits, bucketCapacity, compensationWeight, temperature,
                minSimilarity, shrinkage, similarity, bandwidth, ttlMillis, seed);
    }

    /** The parameters by name, in a stable order (for reports and JSON). */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("capacity", capacity);
        p.put("k", k);
        p.put("tables", tables);
        p.put("bits", bits);
        p.put("bucketCapacity", bucketCapacity);
        p.put("compensationWeight", compensationWeight);
        p.put("temperature", temperature);
        p.put("minSimilarity", minSimilarity);
        p.put("shrinkage", shrinkage);
        p.put("similarity", similarity.name().toLowerCase(Locale.ROOT));
        p.put("bandwidth", bandwidth);
        p.put("ttlMillis", ttlMillis);
        p.put("seed", seed);
        return p;
    }
}
