package dev.loopline.core.memory;

import java.util.function.ToDoubleFunction;

/**
 * A slow base model paired with a fast error memory: {@link #predict} scores with the base model and
 * corrects the score by the residuals remembered for similar inputs; {@link #learn} remembers the
 * residual of the base model (observed minus its prediction). The base model learns on its own
 * schedule; this class never trains it.
 *
 * <pre>{@code
 * CorrectedScorer scorer = new CorrectedScorer(model::predict, Representation.features(),
 *         new ErrorMemory(ErrorMemoryConfig.defaults()), 0, 1);
 * Correction served = scorer.predict(x, eventTime);      // serve served.corrected()
 * ...
 * scorer.learn(x, observedLabel, served, feedbackTime);  // then let the base model learn as usual
 * }</pre>
 */
public final class CorrectedScorer {

    /** What the memory compares: the features, or anything derived from them and the base prediction. */
    @FunctionalInterface
    public interface Representation {
        /**
         * @param features       the features the base model scored (must not be mutated)
         * @param basePrediction the base model's prediction on them
         */
        double[] of(double[] features, double basePrediction);

        /** The features themselves (standardise them first when their scales differ). */
        static Representation features() {
            return (features, basePrediction) -> features;
        }
    }

    private final ToDoubleFunction<double[]> base;
    private final Representation representation;
    private final ErrorMemory memory;
    private final double low;
    private final double high;

    /** Features as the representation, no bounds on the corrected prediction. */
    public CorrectedScorer(ToDoubleFunction<double[]> base, ErrorMemory memory) {
        this(base, Representation.features(), memory, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * @param base           the base model's prediction for a feature vector
     * @param representation what the memory compares
     * @param memory         the memory (used and updated in place)
     * @param low            the corrected prediction is held at or above this (0 for a probability)
     * @param high           and at or below this (1 for a probability)
     */
    public CorrectedScorer(ToDoubleFunction<double[]> base, Representation representation, ErrorMemory memory,
            double low, double high) {
        if (base == null || representation == null || memory == null) {
            throw new IllegalArgumentException("a corrected scorer needs a base model, a representation and a memory");
        }
        if (!(low <= high)) {
            throw new IllegalArgumentException("prediction bounds [" + low + ", " + high
                    + "] are empty; pass low <= high (0 and 1 for probabilities)");
        }
        this.base = base;
        this.representation = representation;
        this.memory = memory;
        this.low = low;
        this.high = high;
    }

    public ErrorMemory memory() {
        return memory;
    }

    /** The base prediction, corrected by the memory and held inside the bounds. */
    public Correction predict(double[] features, long now) {
        double p = base.applyAsDouble(features);
        return memory.correct(representation.of(features, p), p, now).clamp(low, high);
    }

    /** Remembers the residual of the prediction that was served, and counts it in the statistics. */
    public void learn(double[] features, double observed, Correction served, long now) {
        memory.learn(representation.of(features, served.base()), observed, served, now);
    }

    /** Remembers the residual of the base model's prediction now (when the served one was not kept). */
    public void learn(double[] features, double observed, long now) {
        double p = base.applyAsDouble(features);
        memory.remember(representation.of(features, p), observed - p, now);
    }
}
