package dev.loopline.core.drift;

/**
 * Drift detection on a classifier's errors, the protocol of Gama et al. (2004): each example is first
 * predicted, then learned (prequential, "test then train"); the 0/1 error goes to the detector. When
 * the detector fires, the classifier and the detector both start afresh, so the errors that follow
 * are those of a learner that has only seen the new concept.
 *
 * <p>The learner is an online {@link GaussianNaiveBayes}: it needs no tuning and does not forget on
 * its own, so a change in the concept shows as a lasting rise of its error rate. Only rises count by
 * default ({@link DirectedDetector}): a falling error rate is a learner catching up, not a drift.
 */
public final class PrequentialMonitor {
    private final DriftDetectorConfig detectorConfig;
    private final int dimension;
    private GaussianNaiveBayes classifier;
    private final PageHinkley.Direction direction;
    private DirectedDetector detector;
    private long examples;
    private long errors;
    private long detections;

    /** Watching rises of the error rate. */
    public PrequentialMonitor(DriftDetectorConfig detectorConfig, int dimension) {
        this(detectorConfig, dimension, PageHinkley.Direction.INCREASE);
    }

    public PrequentialMonitor(DriftDetectorConfig detectorConfig, int dimension, PageHinkley.Direction direction) {
        this.detectorConfig = detectorConfig;
        this.dimension = dimension;
        this.direction = direction;
        this.classifier = new GaussianNaiveBayes(dimension);
        this.detector = new DirectedDetector(detectorConfig, direction);
    }

    /** The outcome of one example: whether it was misclassified, and whether a drift was detected. */
    public record Step(boolean error, boolean drift) {}

    /** Predicts, learns and checks one example. */
    public Step observe(double[] features, String label) {
        String predicted = classifier.predict(features);
        boolean error = !label.equals(predicted);
        classifier.learn(features, label);
        examples++;
        if (error) {
            errors++;
        }
        boolean drift = detector.update(error ? 1.0 : 0.0);
        if (drift) {
            detections++;
            classifier = new GaussianNaiveBayes(dimension);
            detector = new DirectedDetector(detectorConfig, direction);
        }
        return new Step(error, drift);
    }

    public long examples() {
        return examples;
    }

    /** Prequential error rate over every example seen. */
    public double errorRate() {
        return examples == 0 ? Double.NaN : (double) errors / examples;
    }

    public long detections() {
        return detections;
    }
}
