package dev.loopline.envs;

import java.util.SplittableRandom;

/**
 * How long an environment takes to report an outcome. Each outcome falls into one of four classes:
 * fast (uniform in [fastMinMillis, fastMaxMillis]), medium, slow (meant to arrive after the job's
 * feedback wait window, so the job must apply its default reward and handle the late record), or lost
 * (never reported; share = 1 - fast - medium - slow).
 *
 * <p>Defaults ({@link #DEFAULT}): fast 0.80 in 50–2000 ms, medium 0.14 in 2–6 s, slow 0.04 in 30–90 s,
 * lost 0.02.
 */
public record DelayModel(
        double fastShare, long fastMinMillis, long fastMaxMillis,
        double mediumShare, long mediumMinMillis, long mediumMaxMillis,
        double slowShare, long slowMinMillis, long slowMaxMillis) {

    public static final DelayModel DEFAULT = new DelayModel(
            0.80, 50, 2_000,
            0.14, 2_000, 6_000,
            0.04, 30_000, 90_000);

    /** Every outcome reported immediately (delay 0); handy in tests. */
    public static final DelayModel IMMEDIATE = new DelayModel(1.0, 0, 0, 0.0, 0, 0, 0.0, 0, 0);

    public DelayModel {
        share("fastShare", fastShare);
        share("mediumShare", mediumShare);
        share("slowShare", slowShare);
        double sum = fastShare + mediumShare + slowShare;
        if (sum > 1.0 + 1e-9) {
            throw new IllegalArgumentException("fastShare + mediumShare + slowShare = " + sum
                    + " exceeds 1; the remainder is the lost share, so lower one of the shares");
        }
        range("fast", fastMinMillis, fastMaxMillis);
        range("medium", mediumMinMillis, mediumMaxMillis);
        range("slow", slowMinMillis, slowMaxMillis);
    }

    /** Share of outcomes that are never reported. */
    public double lostShare() {
        return Math.max(0.0, 1.0 - fastShare - mediumShare - slowShare);
    }

    /**
     * Draws a delay from {@code random}: the delay in ms, or -1 when the outcome is lost.
     */
    public long sample(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        if (u < fastShare) {
            return between(fastMinMillis, fastMaxMillis, v);
        }
        if (u < fastShare + mediumShare) {
            return between(mediumMinMillis, mediumMaxMillis, v);
        }
        if (u < fastShare + mediumShare + slowShare) {
            return between(slowMinMillis, slowMaxMillis, v);
        }
        return -1;
    }

    private static long between(long min, long max, double v) {
        return Math.min(max, min + (long) Math.floor(v * (double) (max - min + 1)));
    }

    private static void share(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " " + value + " is outside [0, 1]; give a probability");
        }
    }

    private static void range(String name, long min, long max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException(name + " delay range [" + min + ", " + max
                    + "] ms is invalid; need 0 <= min <= max");
        }
    }
}
