package dev.loopline.core.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Drift Detection Method of Gama, Medas, Castillo and Rodrigues ("Learning with Drift Detection",
 * SBIA 2004), for a stream of errors (1) and successes (0), or any values in [0, 1].
 *
 * <p>With the error rate {@code p_i} since the last restart and {@code s_i = sqrt(p_i (1 − p_i) / i)},
 * the detector remembers the point where {@code p_i + s_i} was lowest ({@code p_min}, {@code s_min})
 * and reports
 * <ul>
 *   <li>a warning when {@code p_i + s_i > p_min + warningLevel · s_min},</li>
 *   <li>a drift when {@code p_i + s_i > p_min + driftLevel · s_min},</li>
 * </ul>
 * once at least {@code minInstances} values were seen. After a drift it starts afresh with the next
 * value. As in the paper it assumes the learner behind the stream does not forget: a stable concept
 * gives a non-increasing error rate, so a rise is a change.
 *
 * <p>One guard beyond the paper: while no error has been seen ({@code p_i + s_i = 0}) the minimum is
 * not recorded, so a perfect start does not make the first error a drift.
 */
public final class Ddm implements DriftDetector {
    public static final String NAME = "ddm";

    /**
     * @param minInstances values seen before a warning or drift may be reported, at least 1
     * @param warningLevel standard deviations above the minimum for a warning (2 ≈ 95 %)
     * @param driftLevel   standard deviations above the minimum for a drift (3 ≈ 99 %), above warningLevel
     */
    public record Config(int minInstances, double warningLevel, double driftLevel) implements DriftDetectorConfig {
        public Config {
            if (minInstances < 1 || minInstances > 100_000_000) {
                throw new IllegalArgumentException("ddm minInstances=" + minInstances
                        + " is outside [1, 100000000]; 30 is the usual value");
            }
            if (!(warningLevel > 0 && warningLevel < 100)) {
                throw new IllegalArgumentException("ddm warningLevel=" + warningLevel
                        + " is outside (0, 100); 2 is the usual value");
            }
            if (!(driftLevel > warningLevel && driftLevel < 100)) {
                throw new IllegalArgumentException("ddm driftLevel=" + driftLevel + " must be in (warningLevel="
                        + warningLevel + ", 100); 3 is the usual value");
            }
        }

        /** The paper's levels: warning at 2, drift at 3 standard deviations, after 30 values. */
        public static Config defaults() {
            return new Config(30, 2.0, 3.0);
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Ddm create() {
            return new Ddm(this);
        }

        @Override
        public Map<String, Object> parameters() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("minInstances", minInstances);
            p.put("warningLevel", warningLevel);
            p.put("driftLevel", driftLevel);
            return p;
        }
    }

    private final Config config;
    private long observations;
    private long detections;
    private long count;
    private double errorRate;
    private double pMin;
    private double sMin;
    private DriftState.Signal signal;

    public Ddm(Config config) {
        this.config = config;
        reset();
    }

    private Ddm(Ddm o) {
        this.config = o.config;
        this.observations = o.observations;
        this.detections = o.detections;
        this.count = o.count;
        this.errorRate = o.errorRate;
        this.pMin = o.pMin;
        this.sMin = o.sMin;
        this.signal = o.signal;
    }

    @Override
    public boolean update(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("ddm got " + value
                    + "; it watches an error stream of values in [0, 1] (1 = error, 0 = correct)");
        }
        if (signal == DriftState.Signal.DRIFT) {
            restart();
        }
        observations++;
        count++;
        errorRate += (value - errorRate) / count;
        double s = standardDeviation();
        signal = DriftState.Signal.STABLE;
        if (count >= config.minInstances) {
            double ps = errorRate + s;
            if (ps > 0 && ps <= pMin + sMin) {
                pMin = errorRate;
                sMin = s;
            }
            if (ps > pMin + config.driftLevel * sMin) {
                signal = DriftState.Signal.DRIFT;
                detections++;
            } else if (ps > pMin + config.warningLevel * sMin) {
                signal = DriftState.Signal.WARNING;
            }
        }
        return signal == DriftState.Signal.DRIFT;
    }

    private double standardDeviation() {
        return Math.sqrt(errorRate * (1 - errorRate) / count);
    }

    private void restart() {
        count = 0;
        errorRate = 0;
        pMin = Double.POSITIVE_INFINITY;
        sMin = Double.POSITIVE_INFINITY;
        signal = DriftState.Signal.STABLE;
    }

    @Override
    public void reset() {
        restart();
        observations = 0;
        detections = 0;
    }

    @Override
    public DriftState state() {
        return new DriftState(observations, detections, signal,
                count > 0 ? errorRate : Double.NaN, count > 0 ? errorRate + standardDeviation() : Double.NaN);
    }

    /** Fields after the header: long observations, detections, count; double error rate, pMin, sMin; int signal ordinal. */
    @Override
    public byte[] snapshot() {
        return DetectorSnapshots.write(NAME, out -> {
            out.writeLong(observations);
            out.writeLong(detections);
            out.writeLong(count);
            out.writeDouble(errorRate);
            out.writeDouble(pMin);
            out.writeDouble(sMin);
            out.writeInt(signal.ordinal());
        });
    }

    @Override
    public void restore(byte[] snapshot) {
        Ddm read = new Ddm(config);
        DetectorSnapshots.read(NAME, snapshot, in -> {
            read.observations = in.readLong();
            read.detections = in.readLong();
            read.count = in.readLong();
            read.errorRate = in.readDouble();
            read.pMin = in.readDouble();
            read.sMin = in.readDouble();
            int ordinal = in.readInt();
            if (ordinal < 0 || ordinal >= DriftState.Signal.values().length) {
                throw new IllegalArgumentException("ddm snapshot has signal " + ordinal + "; expected 0 to "
                        + (DriftState.Signal.values().length - 1));
            }
            read.signal = DriftState.Signal.values()[ordinal];
        });
        observations = read.observations;
        detections = read.detections;
        count = read.count;
        errorRate = read.errorRate;
        pMin = read.pMin;
        sMin = read.sMin;
        signal = read.signal;
    }

    @Override
    public Ddm copy() {
        return new Ddm(this);
    }

    @Override
    public Config config() {
        return config;
    }
}
