package dev.loopline.core.drift;

import dev.loopline.core.drift.PageHinkley.Direction;

/**
 * A detector whose detections count only in one direction of the watched mean. On a 0/1 error stream only a
 * rise of the error rate is a drift that needs action; ADWIN, though, also cuts its window when the error rate
 * falls. As MOA's ADWIN change detector does, a cut counts as a detection only when the window's mean moved
 * the way that is watched; the detector itself shrinks its window either way. Page-Hinkley is built for the
 * direction; DDM only ever detects rises of an error rate.
 */
public final class DirectedDetector {
    private final DriftDetector detector;
    private final Direction direction;

    public DirectedDetector(DriftDetectorConfig config, Direction direction) {
        this.detector = configured(config, direction).create();
        this.direction = direction;
    }

    /** {@code config} as it must be built to watch {@code direction}: Page-Hinkley's own direction set, DDM refused a fall. */
    public static DriftDetectorConfig configured(DriftDetectorConfig config, Direction direction) {
        if (config instanceof PageHinkley.Config p) {
            return new PageHinkley.Config(p.minInstances(), p.delta(), p.lambda(), p.alpha(), direction);
        }
        if (config instanceof Ddm.Config && direction != Direction.INCREASE) {
            throw new IllegalArgumentException("ddm detects only rises of an error rate; use --direction rise, or adwin or"
                    + " page-hinkley for falls");
        }
        return config;
    }

    /** Observes one value; true when the detector fired and its mean moved the watched way. */
    public boolean update(double value) {
        double before = detector.state().mean();
        if (!detector.update(value)) {
            return false;
        }
        if (direction == Direction.BOTH || !(detector instanceof Adwin)) {
            return true;
        }
        double after = detector.state().mean();
        return direction == Direction.INCREASE ? after > before : after < before;
    }

    public DriftState state() {
        return detector.state();
    }
}
