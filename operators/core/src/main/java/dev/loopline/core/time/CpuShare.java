package dev.loopline.core.time;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Paces recurring background work (a training round, an off-policy window close) to a share of one core, so it
 * cannot starve the decisions: after a run that took {@code d} of CPU, the next starts no sooner than
 * {@code d / share} after the last one started. Durations are CPU time ({@link #threadCpuNanos()}), not wall
 * time: on a loaded machine a run's wall time counts the time other threads had the core, and pacing by it
 * spaced training rounds four times further apart than their share asked (digits at 800 events/s on 2 cores:
 * 1.1 s of training per round, 3 s of wall time, a round every 12 s).
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

    /** Records a run that started at {@code start} and took {@code duration} of CPU. */
    public void ran(long start, long duration) {
        ran = true;
        lastStart = start;
        lastDuration = duration;
    }

    /**
     * CPU time of the calling thread in nanoseconds (native code called from it included: PyTorch with one
     * intra-op thread computes on the caller), or -1 where the JVM cannot measure it; the caller then paces by
     * wall time.
     */
    public static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()
                ? threads.getCurrentThreadCpuTime() : -1;
    }

    /** CPU time since {@code cpuStart} (from {@link #threadCpuNanos()}), or the wall time since {@code wallStart}. */
    public static long spentNanos(long cpuStart, long wallStart) {
        long cpu = cpuStart < 0 ? -1 : threadCpuNanos();
        return cpu < 0 ? System.nanoTime() - wallStart : cpu - cpuStart;
    }
}
