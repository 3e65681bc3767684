package dev.loopline.core.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Page-Hinkley test (Page 1954; the streaming form of Gama et al. and MOA/River) for a change in
 * the mean. With the running mean {@code x̄_t}, the cumulative deviation upwards is
 * <pre>
 *   m_t = max(0, alpha · m_{t-1} + (x_t − x̄_t − delta))
 * </pre>
 * (and its mirror {@code max(0, alpha · m'_{t-1} + (x̄_t − x_t − delta))} downwards). A drift is
 * detected when the watched sum reaches {@code lambda} after at least {@code minInstances} values;
 * the detector then starts afresh with the next value.
 *
 * <p>With {@code alpha = 1} the sum is the classic {@code m_T − min_t m_t}; {@code alpha < 1} fades
 * old deviations so that a long stable stretch does not mask a later change.
 */
public final class PageHinkley implements DriftDetector {
    public static final String NAME = "page-hinkley";

    /** Which change of the mean to watch. */
    public enum Direction {
        /** The mean rises (an error rate that grows, a residual that grows). */
        INCREASE,
        /** The mean falls (a reward that drops). */
        DECREASE,
        /** Either. */
        BOTH
    }

    /**
     * @param minInstances values seen before a drift may be reported, at least 1
     * @param delta        magnitude of change tolerated per value (the allowance), at least 0
     * @param lambda       detection threshold on the cumulative deviation, greater than 0
     * @param alpha        fading factor of the cumulative deviation, in (0, 1]
     * @param direction    which change of the mean to watch
     */
    public record Config(int minInstances, double delta, double lambda, double alpha, Direction direction)
            implements DriftDetectorConfig {
        public Config {
            if (minInstances < 1 || minInstances > 100_000_000) {
                throw new IllegalArgumentException("page-hinkley minInstances=" + minInstances
                        + " is outside [1, 100000000]; 30 is the usual value");
            }
            if (!(delta >= 0 && Double.isFinite(delta))) {
                throw new IllegalArgumentException("page-hinkley delta=" + delta
                        + " must be a finite number >= 0; 0.005 is the usual allowance for 0/1 streams");
            }
            if (!(lambda > 0 && Double.isFinite(lambda))) {
                throw new IllegalArgumentException("page-hinkley lambda=" + lambda
                        + " must be a finite number > 0; 50 is the usual threshold (smaller detects sooner, with more false alarms)");
            }
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("page-hinkley alpha=" + alpha
                        + " is outside (0, 1]; use 1 for no fading or 0.9999 (the usual value)");
            }
            if (direction == null) {
                throw new IllegalArgumentException("page-hinkley direction is missing; choose one of INCREASE, DECREASE, BOTH");
            }
        }

        /** MOA's and River's defaults: 30 values, delta 0.005, lambda 50, alpha 1 − 1e-4, watching increases. */
        public static Config defaults() {
            return new Config(30, 0.005, 50, 1 - 0.0001, Direction.INCREASE);
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public PageHinkley create() {
            return new PageHinkley(this);
        }

        @Override
        public Map<String, Object> parameters() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("minInstances", minInstances);
            p.put("delta", delta);
            p.put("lambda", lambda);
            p.put("alpha", alpha);
            p.put("direction", direction.name().toLowerCase(java.util.Locale.ROOT));
            return p;
        }
    }

    private final Config config;
    private long observations;
    private long detections;
    /** Values since the last restart (construction, reset or detection). */
    private long count;
    private double mean;
    private double sumUp;
    private double sumDown;
    private boolean lastDetected;

    public PageHinkley(Config config) {
        this.config = config;
        reset();
    }

    private PageHinkley(PageHinkley o) {
        this.config = o.config;
        this.observations = o.observations;
        this.detections = o.detections;
        this.count = o.count;
        this.mean = o.mean;
        this.sumUp = o.sumUp;
        this.sumDown = o.sumDown;
        this.lastDetected = o.lastDetected;
    }

    @Override
    public boolean update(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("page-hinkley got " + value + "; feed finite values only");
        }
        if (lastDetected) {
            restart();
        }
        observations++;
        count++;
        mean += (value - mean) / count;
        sumUp = Math.max(0.0, config.alpha * sumUp + (value - mean - config.delta));
        sumDown = Math.max(0.0, config.alpha * sumDown + (mean - value - config.delta));
        lastDetected = count >= config.minInstances && statistic() >= config.lambda;
        if (lastDetected) {
            detections++;
        }
        return lastDetected;
    }

    private double statistic() {
        return switch (config.direction) {
            case INCREASE -> sumUp;
            case DECREASE -> sumDown;
            case BOTH -> Math.max(sumUp, sumDown);
        };
    }

    private void restart() {
        count = 0;
        mean = 0;
        sumUp = 0;
        sumDown = 0;
        lastDetected = false;
    }

    @Override
    public void reset() {
        restart();
        observations = 0;
        detections = 0;
    }

    @Override
    public DriftState state() {
        return new DriftState(observations, detections,
                lastDetected ? DriftState.Signal.DRIFT : DriftState.Signal.STABLE,
                count > 0 ? mean : Double.NaN, statistic());
    }

    /** Fields after the header: long observations, detections, count; double mean, sumUp, sumDown; boolean last detected. */
    @Override
    public byte[] snapshot() {
        return DetectorSnapshots.write(NAME, out -> {
            out.writeLong(observations);
            out.writeLong(detections);
            out.writeLong(count);
            out.writeDouble(mean);
            out.writeDouble(sumUp);
            out.writeDouble(sumDown);
            out.writeBoolean(lastDetected);
        });
    }

    @Override
    public void restore(byte[] snapshot) {
        PageHinkley read = new PageHinkley(config);
        DetectorSnapshots.read(NAME, snapshot, in -> {
            read.observations = in.readLong();
            read.detections = in.readLong();
            read.count = in.readLong();
            read.mean = in.readDouble();
            read.sumUp = in.readDouble();
            read.sumDown = in.readDouble();
            read.lastDetected = in.readBoolean();
        });
        observations = read.observations;
        detections = read.detections;
        count = read.count;
        mean = read.mean;
        sumUp = read.sumUp;
        sumDown = read.sumDown;
        lastDetected = read.lastDetected;
    }

    /** The cumulative deviation downwards (the mean fell) and upwards (it rose), whatever the watched direction. */
    public double fallStatistic() {
        return sumDown;
    }

    public double riseStatistic() {
        return sumUp;
    }

    @Override
    public PageHinkley copy() {
        return new PageHinkley(this);
    }

    @Override
    public Config config() {
        return config;
    }
}
