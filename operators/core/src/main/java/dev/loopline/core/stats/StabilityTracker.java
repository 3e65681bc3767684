package dev.loopline.core.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * {@link ContinualEvaluation} as the windows close, for a running loop: fed each window's reward in
 * order and told at which windows a shift was detected, it reports after every window what the offline
 * evaluation of the series so far would say about the latest shift: the pre-shift level, the minimum
 * since the shift, the stability gap and, once the reward is back, the time it took. The figures equal
 * {@link ContinualEvaluation#evaluate} on the same windows at every point (tested), with time measured
 * by window ends, so a window without rewards still counts as time.
 *
 * <p>State is a few numbers plus the last {@code baselineWindows} window rewards; {@link #snapshot()}
 * and {@link #restore} keep it whole.
 */
public final class StabilityTracker {
    static final int MAGIC = 0x4C4C5354;
    static final int FORMAT_VERSION = 1;

    /**
     * The latest shift as seen after one window.
     *
     * @param shiftWindowEnd    end of the window where the shift was detected
     * @param preShiftLevel     mean reward of the baseline windows before it
     * @param minimum           lowest window reward from the shift window on
     * @param stabilityGap      {@code max(0, preShiftLevel − minimum)}, the worst-case drop
     * @param recoveredAfterMillis from the shift window's end to the end of the first window, at or after
     *                          the minimum, back at {@code preShiftLevel − tolerance}; empty until then
     * @param newShift          whether this window is the shift window
     */
    public record Status(long shiftWindowEnd, double preShiftLevel, double minimum, double stabilityGap,
            Optional<Long> recoveredAfterMillis, boolean newShift) {}

    private final ContinualEvaluation.Config config;
    /** Rewards of the latest windows since the previous shift, oldest first, at most baselineWindows. */
    private final ArrayDeque<Double> baseline = new ArrayDeque<>();
    private boolean tracking;
    private long shiftEnd;
    private double pre;
    private double min;
    private long recoveredAt = Long.MIN_VALUE;

    public StabilityTracker(ContinualEvaluation.Config config) {
        this.config = config;
    }

    /**
     * One closed window, in the order of their ends.
     *
     * @param windowEnd end of the window
     * @param reward    the window's mean reward, finite
     * @param shift     whether a shift was detected in this window
     * @return the latest shift's figures after this window; empty before the first shift that had a
     *         window before it (a shift needs a pre-shift level)
     */
    public Optional<Status> window(long windowEnd, double reward, boolean shift) {
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("window reward " + reward + " must be finite");
        }
        boolean started = false;
        if (shift && !baseline.isEmpty()) {
            double sum = 0;
            for (double r : baseline) {
                sum += r;
            }
            pre = sum / baseline.size();
            baseline.clear();
            tracking = true;
            started = true;
            shiftEnd = windowEnd;
            min = reward;
            recoveredAt = Long.MIN_VALUE;
        } else if (shift) {
            baseline.clear();
        }
        if (tracking && !started && reward < min) {
            // A new minimum: the offline evaluation looks for the recovery at or after it.
            min = reward;
            recoveredAt = Long.MIN_VALUE;
        }
        if (tracking && recoveredAt == Long.MIN_VALUE && reward >= pre - config.tolerance()) {
            recoveredAt = windowEnd;
        }
        baseline.addLast(reward);
        if (baseline.size() > config.baselineWindows()) {
            baseline.removeFirst();
        }
        if (!tracking) {
            return Optional.empty();
        }
        return Optional.of(new Status(shiftEnd, pre, min, Math.max(0, pre - min),
                recoveredAt == Long.MIN_VALUE ? Optional.empty() : Optional.of(recoveredAt - shiftEnd), started));
    }

    /**
     * Format {@value #FORMAT_VERSION}: int magic ("LLST"), int version, boolean tracking, long shift end,
     * double pre-shift level and minimum, long recovery time ({@code Long.MIN_VALUE} for none), int n and
     * the n baseline rewards, oldest first.
     */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeBoolean(tracking);
            out.writeLong(shiftEnd);
            out.writeDouble(pre);
            out.writeDouble(min);
            out.writeLong(recoveredAt);
            out.writeInt(baseline.size());
            for (double r : baseline) {
                out.writeDouble(r);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    public static StabilityTracker restore(ContinualEvaluation.Config config, byte[] snapshot) {
        StabilityTracker t = new StabilityTracker(config);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT_VERSION) {
                throw new IllegalArgumentException("not a stability tracker snapshot of format " + FORMAT_VERSION);
            }
            t.tracking = in.readBoolean();
            t.shiftEnd = in.readLong();
            t.pre = in.readDouble();
            t.min = in.readDouble();
            t.recoveredAt = in.readLong();
            int n = in.readInt();
            if (n < 0 || n * 8 != in.available()) {
                throw new IllegalArgumentException("stability tracker snapshot announces " + n + " baseline windows, holds "
                        + in.available() + " bytes");
            }
            for (int i = 0; i < n; i++) {
                t.baseline.addLast(in.readDouble());
            }
            while (t.baseline.size() > config.baselineWindows()) {
                t.baseline.removeFirst();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("stability tracker snapshot ends early: " + e.getMessage(), e);
        }
        return t;
    }
}
