package dev.loopline.jobs.dashboard;

import dev.loopline.core.drift.Adwin;
import dev.loopline.core.drift.DriftDetector;
import dev.loopline.core.drift.DriftDetectorConfig;
import dev.loopline.core.drift.DriftState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a drift detector over the reward stream of a loop, rebuilt from its per-window metrics. Plain
 * Java (no Kafka, no Flink): the dashboard feeds it every metric it reads and publishes what it returns.
 *
 * <p>Per window the metrics topic holds the mean reward ({@value #REWARD}) over the decisions joined with
 * their feedback ({@value #JOINED}) and those whose wait timed out ({@value #TIMED_OUT}), which count
 * with the loop's default reward. Timed-out decisions say nothing about the world, and their share
 * swings with throughput (they were decided one wait window earlier), so they are taken out: the
 * detector sees the joined decisions' rewards only.
 *
 * <p>A detector run on one value per window sees a few dozen values a minute and cannot tell a drop of
 * 0.1 from noise (ADWIN's bound alone is then wider than 0.3). So, for rewards in [0, 1], each window is
 * expanded back into its rewards: {@code round(mean · n)} ones spread evenly among zeros, the same mean
 * and the Bernoulli variance, which is what a 0/1 reward (a payment authorised or not, a click) is.
 * Windows whose counts are unknown, or whose mean lies outside [0, 1], are fed as one value per window.
 *
 * <p>On thousands of rewards a second ADWIN also finds the small real shifts of a policy that is still
 * learning; an alert is raised only when the change of the mean is at least {@code minEffect}, and, unless
 * {@code risesToo}, only when the mean fell (a learning policy's reward rises by design). After a change
 * ADWIN keeps cutting its window for a few seconds while the new level settles; those cuts belong to the
 * same change, so a series raises at most one alert per {@code cooldownMillis} of window time. A series is one
 * (scope, key) of the reward metric; a window that is not newer than the last one fed for its series (a
 * replayed record) is ignored, so feeding the same history twice gives the same alerts.
 */
public final class DriftWatch {
    public static final String REWARD = "reward.mean";
    public static final String JOINED = "feedback.joined";
    public static final String TIMED_OUT = "feedback.timedOut";
    /** The least fall of the mean reward that {@link #onReward(double)} reports. */
    public static final double MIN_REWARD_DROP = 0.05;
    /** After an alert, a series raises no other for this long (window time): the same change settling. */
    public static final long COOLDOWN_MILLIS = 15_000;
    /** At most this many rewards are rebuilt per window (more are scaled down, keeping the mean). */
    static final int MAX_PER_WINDOW = 20_000;

    private final DriftDetectorConfig config;
    private final double defaultReward;
    private final double minEffect;
    private final boolean risesToo;
    private final long cooldownMillis;
    private final Map<String, Series> series = new HashMap<>();
    /** Joined and timed-out counts per (series, window end), until the window's mean arrives. */
    private final Map<String, double[]> counts = new HashMap<>();

    private static final class Series {
        final DriftDetector detector;
        long lastWindowEnd = Long.MIN_VALUE;
        long lastAlertAt = Long.MIN_VALUE;

        Series(DriftDetector detector) {
            this.detector = detector;
        }
    }

    /**
     * @param config        the detector run on every series of the reward
     * @param defaultReward the reward a timed-out decision counts with in the loop's mean (its
     *                      {@code feedback.defaultReward}, 0 by default)
     * @param minEffect     the least change of the mean worth an alert, at least 0
     * @param risesToo      alert when the mean rose, too (else only when it fell)
     * @param cooldownMillis after an alert, none for this long of window time in the same series, at least 0
     */
    public DriftWatch(DriftDetectorConfig config, double defaultReward, double minEffect, boolean risesToo,
            long cooldownMillis) {
        if (!Double.isFinite(defaultReward)) {
            throw new IllegalArgumentException("default reward " + defaultReward + " must be a finite number, e.g. 0");
        }
        if (!(minEffect >= 0 && Double.isFinite(minEffect))) {
            throw new IllegalArgumentException("minEffect " + minEffect + " must be a finite number >= 0, e.g. 0.05");
        }
        this.config = config;
        this.defaultReward = defaultReward;
        this.minEffect = minEffect;
        this.risesToo = risesToo;
        if (cooldownMillis < 0) {
            throw new IllegalArgumentException("cooldown " + cooldownMillis + " ms must be >= 0, e.g. " + COOLDOWN_MILLIS);
        }
        this.cooldownMillis = cooldownMillis;
    }

    /**
     * ADWIN with MOA's defaults on the joined rewards; an alert when the reward fell by at least 0.05, at
     * most one per 15 s.
     */
    public static DriftWatch onReward(double defaultReward) {
        return new DriftWatch(Adwin.Config.defaults(), defaultReward, MIN_REWARD_DROP, false, COOLDOWN_MILLIS);
    }

    /**
     * Feeds one metric record; returns the alert when the detector fires on it with a large enough change.
     *
     * @param windowEnd end of the record's window, epoch ms (the alert's time)
     */
    public Optional<DriftAlert> observe(String name, String scope, String key, long windowEnd, double value) {
        String id = scope + ":" + key;
        if (name.equals(JOINED) || name.equals(TIMED_OUT)) {
            if (Double.isFinite(value) && value > 0) {
                counts.computeIfAbsent(id + "#" + windowEnd, k -> new double[2])[name.equals(JOINED) ? 0 : 1] += value;
            }
            return Optional.empty();
        }
        if (!name.equals(REWARD)) {
            return Optional.empty();
        }
        double[] n = counts.remove(id + "#" + windowEnd);
        Series s = series.computeIfAbsent(id, k -> new Series(config.create()));
        if (!Double.isFinite(value) || windowEnd <= s.lastWindowEnd) {
            return Optional.empty();
        }
        s.lastWindowEnd = windowEnd;
        counts.keySet().removeIf(k -> k.startsWith(id + "#") && Long.parseLong(k.substring(k.indexOf('#') + 1)) < windowEnd);
        if (n == null) {
            return Optional.ofNullable(update(s, scope, key, windowEnd, value)); // counts unknown: one value per window
        }
        double joined = n[0];
        if (joined < 1) {
            return Optional.empty(); // only timed-out decisions: nothing heard from the world
        }
        double joinedMean = (value * (joined + n[1]) - defaultReward * n[1]) / joined;
        if (!(joinedMean >= -1e-9 && joinedMean <= 1 + 1e-9)) {
            return Optional.ofNullable(update(s, scope, key, windowEnd, joinedMean));
        }
        long total = Math.min(Math.round(joined), MAX_PER_WINDOW);
        long ones = Math.min(total, Math.max(0, Math.round(joinedMean * total)));
        DriftAlert alert = null;
        for (long i = 0; i < total; i++) {
            // Bresenham: the i-th value is 1 when floor((i+1)·ones/total) steps up, so ones are spread evenly.
            double x = ((i + 1) * ones / total) - (i * ones / total);
            DriftAlert a = update(s, scope, key, windowEnd, x);
            if (alert == null) {
                alert = a;
            }
        }
        return Optional.ofNullable(alert);
    }

    private DriftAlert update(Series s, String scope, String key, long windowEnd, double x) {
        DriftState before = s.detector.state();
        if (!s.detector.update(x)) {
            return null;
        }
        DriftState after = s.detector.state();
        double meanBefore;
        double meanAfter;
        long window;
        if (s.detector instanceof Adwin adwin) {
            // ADWIN dropped the older part of its window: recover that part's mean from the two states.
            double widthBefore = before.observations() == 0 ? 0 : before.statistic();
            double dropped = widthBefore + 1 - after.statistic();
            double sumBefore = widthBefore == 0 ? 0 : before.mean() * widthBefore;
            meanBefore = dropped > 0 ? (sumBefore + x - after.mean() * after.statistic()) / dropped : Double.NaN;
            meanAfter = after.mean();
            window = adwin.width();
        } else {
            meanBefore = before.mean();
            meanAfter = x;
            window = after.observations();
        }
        double delta = meanAfter - meanBefore;
        if (!(Math.abs(delta) >= minEffect) || (delta > 0 && !risesToo)
                || (s.lastAlertAt != Long.MIN_VALUE && windowEnd < s.lastAlertAt + cooldownMillis)) {
            return null;
        }
        s.lastAlertAt = windowEnd;
        return new DriftAlert(config.name(), REWARD, scope, key, windowEnd, delta, meanBefore, meanAfter, window);
    }
}
