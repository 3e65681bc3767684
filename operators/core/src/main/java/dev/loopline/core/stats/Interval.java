package dev.loopline.core.stats;

/**
 * A two-sided confidence interval.
 *
 * @param low   lower end
 * @param high  upper end, at least {@code low}
 * @param level nominal coverage in (0, 1), e.g. 0.95
 */
public record Interval(double low, double high, double level) {
    public Interval {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("interval level=" + level + " is outside (0, 1); use e.g. 0.95");
        }
        if (low > high) {
            throw new IllegalArgumentException("interval low=" + low + " is above high=" + high);
        }
    }

    public boolean contains(double value) {
        return value >= low && value <= high;
    }

    public double width() {
        return high - low;
    }
}
