package dev.loopline.core.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Continual evaluation of a learner through distribution shifts (De Lange, van de Ven and Tuytelaars,
 * "Continual evaluation for lifelong learning: identifying the stability gap", ICLR 2023): instead of
 * one number at the end, look at the reward of every window and, after each shift, at how far it fell
 * and how long it took to come back. End-of-task evaluation hides this temporary collapse.
 *
 * <p>Works on any per-window reward series (see {@link #windowMeans(double[], int)} to make one from
 * per-step rewards). For each shift at window {@code s}:
 * <ul>
 *   <li>the pre-shift level is the mean reward of the {@code baselineWindows} windows before {@code s}
 *       (fewer if the previous shift is closer);</li>
 *   <li>the minimum is the lowest window reward from {@code s} up to the next shift (or the end);</li>
 *   <li>the stability gap is {@code max(0, preShiftLevel − minimum)}, the worst-case drop;</li>
 *   <li>the time to recover is the number of windows from {@code s} to the first window, at or after
 *       the minimum, whose reward is at least {@code preShiftLevel − tolerance}; empty if it never is
 *       before the next shift.</li>
 * </ul>
 */
public final class ContinualEvaluation {
    private ContinualEvaluation() {}

    /**
     * @param baselineWindows windows before a shift averaged into its pre-shift level, at least 1
     * @param tolerance       how far below the pre-shift level a window may stay and still count as
     *                        recovered, in reward units, at least 0
     */
    public record Config(int baselineWindows, double tolerance) implements java.io.Serializable {
        public Config {
            if (baselineWindows < 1 || baselineWindows > 1_000_000) {
                throw new IllegalArgumentException("baselineWindows=" + baselineWindows
                        + " is outside [1, 1000000]; use a few windows, e.g. 5");
            }
            if (!(tolerance >= 0 && Double.isFinite(tolerance))) {
                throw new IllegalArgumentException("tolerance=" + tolerance
                        + " must be a finite number >= 0 (reward units); 0 demands the full pre-shift level");
            }
        }

        public static Config defaults() {
            return new Config(5, 0.0);
        }
    }

    /**
     * What happened after one shift.
     *
     * @param shiftWindow      the window where the shift happened
     * @param preShiftLevel    mean reward of the baseline windows before it
     * @param minimum          the lowest window reward after it
     * @param minimumWindow    where that minimum was reached
     * @param stabilityGap     {@code max(0, preShiftLevel − minimum)}
     * @param windowsToRecover windows from the shift until the reward is back, empty if it never is
     */
    public record ShiftReport(int shiftWindow, double preShiftLevel, double minimum, int minimumWindow,
            double stabilityGap, OptionalInt windowsToRecover) {
        public boolean recovered() {
            return windowsToRecover.isPresent();
        }
    }

    /**
     * All shifts of one series.
     *
     * @param windowRewards the series that was evaluated
     * @param shifts        one report per shift, in order
     */
    public record Report(double[] windowRewards, List<ShiftReport> shifts) {
        public Report {
            windowRewards = windowRewards.clone();
            shifts = List.copyOf(shifts);
        }

        /** The mean over shifts of the minimum reward after the shift (De Lange et al.'s min-ACC). */
        public double averageMinimum() {
            return shifts.stream().mapToDouble(ShiftReport::minimum).average().orElse(Double.NaN);
        }

        /** The lowest reward after any shift. */
        public double worstMinimum() {
            return shifts.stream().mapToDouble(ShiftReport::minimum).min().orElse(Double.NaN);
        }

        /** The largest stability gap over shifts. */
        public double largestGap() {
            return shifts.stream().mapToDouble(ShiftReport::stabilityGap).max().orElse(Double.NaN);
        }

        /** Shifts after which the reward came back. */
        public long recoveredShifts() {
            return shifts.stream().filter(ShiftReport::recovered).count();
        }
    }

    /** Mean reward of each full window of {@code window} consecutive steps (a last partial window is dropped). */
    public static double[] windowMeans(double[] perStep, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window=" + window + " must be at least 1 step");
        }
        double[] out = new double[perStep.length / window];
        for (int w = 0; w < out.length; w++) {
            double s = 0;
            for (int i = w * window; i < (w + 1) * window; i++) {
                s += perStep[i];
            }
            out[w] = s / window;
        }
        return out;
    }

    /** The window holding step {@code step}. */
    public static int windowOf(long step, int window) {
        if (step < 0 || window < 1) {
            throw new IllegalArgumentException("step=" + step + " and window=" + window + " must be >= 0 and >= 1");
        }
        return Math.toIntExact(step / window);
    }

    /**
     * Evaluates each shift of a per-window reward series.
     *
     * @param windowRewards reward of each window, finite
     * @param shiftWindows  windows where a shift happened, increasing, each in [1, windows)
     */
    public static Report evaluate(double[] windowRewards, int[] shiftWindows, Config config) {
        for (double r : windowRewards) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("window rewards must be finite, got " + r);
            }
        }
        List<ShiftReport> reports = new ArrayList<>();
        int previous = 0;
        for (int i = 0; i < shiftWindows.length; i++) {
            int s = shiftWindows[i];
            if (s < 1 || s >= windowRewards.length) {
                throw new IllegalArgumentException("shift at window " + s + " is outside [1, " + windowRewards.length
                        + "): a shift needs at least one window before it and one after");
            }
            if (i > 0 && s <= shiftWindows[i - 1]) {
                throw new IllegalArgumentException("shift windows must increase; got " + shiftWindows[i - 1] + " then " + s);
            }
            int end = i + 1 < shiftWindows.length ? shiftWindows[i + 1] : windowRewards.length;
            int from = Math.max(previous, s - config.baselineWindows());
            double pre = 0;
            for (int w = from; w < s; w++) {
                pre += windowRewards[w];
            }
            pre /= s - from;
            int minWindow = s;
            for (int w = s; w < end; w++) {
                if (windowRewards[w] < windowRewards[minWindow]) {
                    minWindow = w;
                }
            }
            double min = windowRewards[minWindow];
            OptionalInt recover = OptionalInt.empty();
            for (int w = minWindow; w < end; w++) {
                if (windowRewards[w] >= pre - config.tolerance()) {
                    recover = OptionalInt.of(w - s);
                    break;
                }
            }
            reports.add(new ShiftReport(s, pre, min, minWindow, Math.max(0, pre - min), recover));
            previous = s;
        }
        return new Report(windowRewards, reports);
    }
}
