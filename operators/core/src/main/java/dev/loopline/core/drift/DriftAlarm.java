package dev.loopline.core.drift;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;

/**
 * A drift detector turned into alerts on one stream (one key's rewards, one segment's residuals):
 * which detections are worth telling an analyst, and with what statistic.
 *
 * <p>The statistic of an alert is the detector's own, signed so that a negative value means the
 * watched stream fell:
 * <ul>
 *   <li>ADWIN: the change of the mean across the cut, newer part of its window minus older part at
 *       the split its test rejected (the test thresholds exactly this difference);</li>
 *   <li>Page-Hinkley: the cumulative deviation that crossed {@code lambda}, negative for the downward
 *       sum;</li>
 *   <li>DDM: it watches an error rate in [0, 1], which it may only see rise; {@link #observe} feeds it
 *       {@code 1 − value} when the stream must not fall (rewards) and {@code |value|} when it must stay
 *       near 0 (residuals), both clipped to [0, 1]; the statistic is {@code p + s} of that error stream,
 *       negative when it stands for a fall.</li>
 * </ul>
 *
 * <p>On thousands of rewards ADWIN also finds the small shifts of a policy that is still learning, so
 * its alerts need a change of at least {@code minEffect}; the other two have their own allowance
 * ({@code delta}, the warning and drift levels). A detector keeps cutting for a while after one change
 * while the new level settles, so a stream raises at most one alert per {@code cooldownMillis} of event
 * time. Plain Java, deterministic; {@link #snapshot()} and {@link #restore} keep the whole state.
 */
public final class DriftAlarm {
    static final int MAGIC = 0x4C4C4441;
    static final int FORMAT_VERSION = 1;

    /** Which changes of the watched stream raise an alert. */
    public enum Watch {
        /** Only falls: a reward that drops (a learning policy's reward rises by design). */
        FALLS,
        /** Falls and rises: a residual that moves away from 0 either way, or a reward that also jumps up. */
        BOTH
    }

    /**
     * @param detector       the detector; Page-Hinkley's direction is set from {@code watch}
     * @param watch          which changes raise an alert
     * @param minEffect      ADWIN only: the least change of the mean worth an alert, at least 0
     * @param cooldownMillis after an alert, none for this long of event time, at least 0
     */
    public record Config(DriftDetectorConfig detector, Watch watch, double minEffect, long cooldownMillis)
            implements Serializable {
        public Config {
            if (detector == null || watch == null) {
                throw new IllegalArgumentException("a drift alarm needs a detector config and what to watch (FALLS or BOTH)");
            }
            if (!(minEffect >= 0 && Double.isFinite(minEffect))) {
                throw new IllegalArgumentException("drift minEffect=" + minEffect
                        + " must be a finite number >= 0 (a change of the mean, e.g. 0.05)");
            }
            if (cooldownMillis < 0) {
                throw new IllegalArgumentException("drift cooldownMillis=" + cooldownMillis + " must be >= 0, e.g. 15000");
            }
            if (detector instanceof PageHinkley.Config ph) {
                PageHinkley.Direction d = watch == Watch.FALLS ? PageHinkley.Direction.DECREASE : PageHinkley.Direction.BOTH;
                detector = new PageHinkley.Config(ph.minInstances(), ph.delta(), ph.lambda(), ph.alpha(), d);
            }
        }
    }

    /**
     * One alert.
     *
     * @param firedAt    event time of the value at which the detector fired
     * @param statistic  the detector's statistic, negative when the stream fell (see the class comment)
     * @param observations values the alarm had seen, this one included
     */
    public record Alert(long firedAt, double statistic, long observations) {}

    private final Config config;
    private final DriftDetector detector;
    private long lastAlertAt = Long.MIN_VALUE;

    public DriftAlarm(Config config) {
        this.config = config;
        this.detector = config.detector().create();
    }

    public Config config() {
        return config;
    }

    public DriftDetector detector() {
        return detector;
    }

    /**
     * Feeds one value of the stream seen at event time {@code time}.
     *
     * @return the alert, when the detector fires on a change worth one
     */
    public Optional<Alert> observe(double value, long time) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("drift alarm got " + value + "; feed finite values only");
        }
        boolean ddm = detector instanceof Ddm;
        double x = !ddm ? value
                : config.watch() == Watch.FALLS ? clip(1 - value) : clip(Math.abs(value));
        if (!detector.update(x)) {
            return Optional.empty();
        }
        DriftState after = detector.state();
        double statistic;
        if (detector instanceof Adwin adwin) {
            statistic = adwin.lastChange();
            if (!(Math.abs(statistic) >= config.minEffect()) || (statistic > 0 && config.watch() == Watch.FALLS)) {
                return Optional.empty();
            }
        } else if (detector instanceof PageHinkley ph) {
            statistic = ph.fallStatistic() >= ph.riseStatistic() ? -ph.fallStatistic() : ph.riseStatistic();
        } else {
            statistic = config.watch() == Watch.FALLS ? -after.statistic() : after.statistic();
        }
        if (lastAlertAt != Long.MIN_VALUE && time < lastAlertAt + config.cooldownMillis()) {
            return Optional.empty();
        }
        lastAlertAt = time;
        return Optional.of(new Alert(time, statistic, after.observations()));
    }

    private static double clip(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /**
     * Format {@value #FORMAT_VERSION}: int magic {@code 0x4C4C4441} ("LLDA"), int version, long time of the
     * last alert ({@code Long.MIN_VALUE} for none), int length and the detector's own snapshot.
     */
    public byte[] snapshot() {
        try {
            byte[] inner = detector.snapshot();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(inner.length + 20);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(lastAlertAt);
            out.writeInt(inner.length);
            out.write(inner);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    /** An alarm with this config and a snapshot's state; a damaged or foreign snapshot throws {@link IllegalArgumentException}. */
    public static DriftAlarm restore(Config config, byte[] snapshot) {
        DriftAlarm alarm = new DriftAlarm(config);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a Loopline drift alarm snapshot (bad magic)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("drift alarm snapshot format " + version
                        + " is not supported; this build reads " + FORMAT_VERSION);
            }
            alarm.lastAlertAt = in.readLong();
            int n = in.readInt();
            if (n < 0 || n != in.available()) {
                throw new IllegalArgumentException("drift alarm snapshot announces " + n + " detector bytes, holds "
                        + in.available());
            }
            alarm.detector.restore(in.readNBytes(n));
        } catch (IOException e) {
            throw new IllegalArgumentException("drift alarm snapshot ends early: " + e.getMessage(), e);
        }
        return alarm;
    }
}
