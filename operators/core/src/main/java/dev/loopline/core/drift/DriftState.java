package dev.loopline.core.drift;

/**
 * A snapshot of a detector.
 *
 * @param observations values seen since the detector was built or last {@link DriftDetector#reset()}
 * @param detections   drifts detected over the same span
 * @param signal       the outcome of the latest observation
 * @param mean         the detector's current estimate of the stream mean: ADWIN's window mean,
 *                     Page-Hinkley's running mean, DDM's error rate (all since the last restart)
 * @param statistic    the quantity the detector thresholds: ADWIN's window length, Page-Hinkley's
 *                     cumulative deviation, DDM's {@code p + s}
 */
public record DriftState(long observations, long detections, Signal signal, double mean, double statistic) {

    /** The outcome of one observation. */
    public enum Signal {
        /** No evidence of change. */
        STABLE,
        /** DDM only: the error rate rose past the warning level but not yet past the drift level. */
        WARNING,
        /** A drift was detected at this observation. */
        DRIFT
    }
}
