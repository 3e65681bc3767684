package dev.loopline.envs.stats;

import java.util.Arrays;

/**
 * Counts non-negative values (milliseconds) in log-linear buckets: exact below 1024, relative
 * precision 1/512 above (values are capped at 2^40). Constant memory (about 130 KB), O(buckets)
 * percentiles. Not thread-safe; {@link RunStats} guards it.
 */
public final class LatencyHistogram {
    private static final int EXACT = 1024;
    private static final int SUB_BITS = 9;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40;
    private static final long MAX_VALUE = (1L << MAX_EXPONENT) - 1;

    private final long[] counts = new long[EXACT + (MAX_EXPONENT - 10) * SUB];
    private long total;
    private long max;

    public void record(long value) {
        long v = Math.min(Math.max(0, value), MAX_VALUE);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    /**
     * Nearest-rank percentile, {@code q} in (0, 1]: the smallest recorded bucket value such that at
     * least q of the values are at or below it; -1 when empty.
     */
    public long percentile(double q) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(lowerBound(i), max);
            }
        }
        return max;
    }

    public void clear() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    static int index(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >>> (exponent - SUB_BITS)) & (SUB - 1));
        return EXACT + (exponent - 10) * SUB + sub;
    }

    static long lowerBound(int index) {
        if (index < EXACT) {
            return index;
        }
        int exponent = (index - EXACT) / SUB + 10;
        int sub = (index - EXACT) % SUB;
        return (1L << exponent) | ((long) sub << (exponent - SUB_BITS));
    }

    /** Nearest-rank percentile of {@code values[0..n)}, sorting a copy; -1 when empty. */
    public static long percentile(long[] values, int n, double q) {
        if (n == 0) {
            return -1;
        }
        long[] copy = Arrays.copyOf(values, n);
        Arrays.sort(copy);
        int rank = (int) Math.max(1, Math.ceil(q * n));
        return copy[Math.min(n, rank) - 1];
    }
}
