package dev.loopline.core.memory;

import java.util.SplittableRandom;

/**
 * The LSH family of a config at one dimension: {@code tables × bits} random hyperplanes, a function of
 * the seed, the table layout, the similarity and the dimension only, so every memory of the same
 * config hashes alike. Normals are standard Gaussian; for {@link ErrorMemoryConfig.Similarity#COSINE}
 * the planes pass through the origin (SimHash), for {@code EUCLIDEAN} each is shifted by a standard
 * Gaussian multiple of its normal's length, so it cuts standardised data at a random place. Immutable,
 * so memories may share one.
 */
final class Hyperplanes {
    private final int tables;
    private final int bits;
    private final int dimension;
    /** Normal of plane (t, j) at {@code ((t * bits) + j) * dimension}. */
    private final double[] normals;
    private final double[] offsets;

    Hyperplanes(ErrorMemoryConfig config, int dimension) {
        this.tables = config.tables();
        this.bits = config.bits();
        this.dimension = dimension;
        SplittableRandom random = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (dimension + 1)));
        int planes = tables * bits;
        normals = new double[planes * dimension];
        offsets = new double[planes];
        boolean shifted = config.similarity() == ErrorMemoryConfig.Similarity.EUCLIDEAN;
        for (int p = 0; p < planes; p++) {
            double squared = 0;
            for (int i = 0; i < dimension; i++) {
                double w = gaussian(random);
                normals[p * dimension + i] = w;
                squared += w * w;
            }
            offsets[p] = shifted ? gaussian(random) * Math.sqrt(squared) : 0;
        }
    }

    int dimension() {
        return dimension;
    }

    /** The bucket code of {@code x} in each table, written to {@code codes[from .. from + tables)}. */
    void hash(double[] x, int[] codes, int from) {
        hash(x, 0, codes, from);
    }

    /** As {@link #hash(double[], int[], int)} for the vector stored at {@code x[at .. at + dimension)}. */
    void hash(double[] x, int at, int[] codes, int from) {
        int p = 0;
        for (int t = 0; t < tables; t++) {
            int code = 0;
            for (int j = 0; j < bits; j++, p++) {
                double s = -offsets[p];
                int base = p * dimension;
                for (int i = 0; i < dimension; i++) {
                    s += normals[base + i] * x[at + i];
                }
                if (s >= 0) {
                    code |= 1 << j;
                }
            }
            codes[from + t] = code;
        }
    }

    /** Box-Muller, so the planes do not depend on the JDK's Gaussian sampler. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
