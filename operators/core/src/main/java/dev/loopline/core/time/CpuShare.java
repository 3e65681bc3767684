package dev.loopline.core.time;

/**
 * Paces recurring background work (a training round, an off-policy window close) to a share of one core, so it
 * cannot starve the decisions: after a run of {@code d}, the next starts no sooner than {@code d / share} after
 * the last one started. Time is whatever clock the caller passes, in one unit.
 */
public final class CpuShare {
    private final double share;
    private boolean ran;
    private long lastStart;
    private long lastDuration;

    /** @param share the most of one core the work may take over time, in (0, 1]; 1: no pacing beyond running serially */
    public CpuShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("CPU share " + share + " must be in (0, 1]");
        }
        this.share = share;
    }

    /** The least time from the start of a run of {@code duration} to the start of the next. */
    public static long minInterval(long duration, double share) {
        return (long) Math.ceil(Math.max(0, duration) / share);
    }

    /** Whether a run may start at {@code now}. */
    public boolean allows(long now) {
        return !ran || now - lastStart >= minInterval(lastDuration, share);
    }

    /** Records a run from {@code start} to {@code end}. */
    public void ran(long start, long end) {
        ran = true;
        lastStart = start;
        lastDuration = end - start;
    }
}
