package dev.loopline.envs;

/**
 * Range checks for the compact constructors of environment configs. Each failure is an
 * {@link IllegalArgumentException} that names the value, the allowed range and the fix.
 */
public final class ConfigChecks {
    private ConfigChecks() {}

    /** Requires {@code lo <= value <= hi} (and not NaN). */
    public static void inRange(String name, double value, double lo, double hi, String fix) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(name + " " + value + " is outside [" + lo + ", " + hi + "]; " + fix);
        }
    }

    /** Requires {@code lo <= value <= hi}. */
    public static void inRange(String name, long value, long lo, long hi, String fix) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(name + " " + value + " is outside [" + lo + ", " + hi + "]; " + fix);
        }
    }

    /** Requires a non-null value. */
    public static <T> T notNull(String name, T value, String fix) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null; " + fix);
        }
        return value;
    }
}
