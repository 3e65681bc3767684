package dev.loopline.core.drift;

/**
 * One protocol for every change detector: feed one observation at a time, read back whether a drift
 * was detected at that observation. A detection is a value, never an exception; what the caller does
 * with it (alert, reset a learner, cut a segment) is up to the caller.
 *
 * <p>Detectors are plain objects (no Flink), deterministic (the same input gives the same
 * detections) and not thread-safe; {@link #copy()} gives an independent detector with the same state.
 */
public interface DriftDetector {

    /**
     * Feeds one observation.
     *
     * @param value a finite number; error streams use 1 for an error and 0 for a correct prediction
     * @return whether a drift is detected at this observation
     * @throws IllegalArgumentException if {@code value} is not finite, or outside the detector's domain
     *                                  (DDM takes values in [0, 1])
     */
    boolean update(double value);

    /** Forgets everything, as if newly built from its config. */
    void reset();

    /** What the detector knows now; see {@link DriftState} for the detector-specific fields. */
    DriftState state();

    /** An independent detector with the same config and state. */
    DriftDetector copy();

    /** The validated parameters this detector was built from. */
    DriftDetectorConfig config();

    /**
     * The whole state in a compact versioned byte format (see {@link DetectorSnapshots}), without the
     * config: a streaming operator keeps one per key and rebuilds the detector from its config.
     */
    byte[] snapshot();

    /**
     * Replaces this detector's state with a snapshot's. The snapshot must come from a detector of the
     * same kind; otherwise, or if it is damaged, this throws an {@link IllegalArgumentException} saying
     * why and leaves the state as it was.
     */
    void restore(byte[] snapshot);
}
