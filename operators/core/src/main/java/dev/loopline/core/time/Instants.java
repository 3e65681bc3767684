package dev.loopline.core.time;

/**
 * Event-time arithmetic that never overflows: window ends, deadlines and "the next instant" are held at
 * the ends of time instead of wrapping around, so a record stamped near {@code Long.MAX_VALUE} (or a
 * watermark at the end of time) cannot turn a deadline into the distant past.
 */
public final class Instants {
    private Instants() {}

    /** The end (exclusive) of the window of {@code size} that holds {@code t}; {@code Long.MAX_VALUE} at the end of time. */
    public static long windowEnd(long t, long size) {
        long start = Math.floorDiv(t, size) * size;
        return start > Long.MAX_VALUE - size ? Long.MAX_VALUE : start + size;
    }

    /** The first instant not yet passed by {@code watermark} that is not before {@code t}: where a late element counts. */
    public static long notBefore(long t, long watermark) {
        return Math.max(t, watermark == Long.MAX_VALUE ? Long.MAX_VALUE : watermark + 1);
    }

    /** {@code t + delta}, held at the ends of time instead of wrapping around. */
    public static long plus(long t, long delta) {
        long sum = t + delta;
        if (((t ^ sum) & (delta ^ sum)) < 0) {
            return delta > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }

    /** {@code t} rounded up to a multiple of {@code grid}, held at {@code Long.MAX_VALUE}. */
    public static long ceilTo(long t, long grid) {
        long floor = Math.floorDiv(t, grid) * grid;
        if (floor == t) {
            return t;
        }
        return floor > Long.MAX_VALUE - grid ? Long.MAX_VALUE : floor + grid;
    }
}
