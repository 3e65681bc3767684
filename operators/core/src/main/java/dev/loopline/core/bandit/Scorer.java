package dev.loopline.core.bandit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The lower half of a policy: predicts the reward of each offered action and learns from observed
 * outcomes. An exploration strategy turns the predictions into a distribution. Implementations are
 * not thread-safe; a policy owns its scorer.
 */
public interface Scorer {
    /** A short name for logs and snapshots, e.g. {@code ridge}. */
    String kind();

    /**
     * Writes the predicted reward of each offered action into {@code means} and, when {@code widths}
     * is not null, the confidence width {@code sqrt(x' A^-1 x)} of each prediction (only scorers with
     * {@link #hasWidths()}). Changes nothing.
     */
    void score(Featurized features, DecisionInput input, double[] means, double[] widths);

    /** Whether {@link #score} can report confidence widths (the linear scorers can). */
    boolean hasWidths();

    /**
     * Learns that offered action {@code chosen} earned {@code reward}, counted {@code weight} times.
     * {@code random} is the event's learning stream, for scorers that resample (bagging).
     */
    void learn(Featurized features, DecisionInput input, int chosen, double reward, double weight,
            SplittableRandom random);

    /** The version of the model behind the scores; 0 for a scorer that learns online. */
    default long modelVersion() {
        return 0L;
    }

    /**
     * Whether the policy's own outcomes teach this scorer. One that serves a model trained elsewhere does
     * not: the policy then neither featurizes nor counts outcomes, and its schedules follow {@link
     * #trainedExamples()}.
     */
    default boolean learns() {
        return true;
    }

    /** The examples the served model was trained on (scorers that do not {@link #learns() learn}). */
    default long trainedExamples() {
        return 0L;
    }

    /**
     * The weight of each vector slot in offered action {@code a}'s prediction, for explanations; null when
     * the scorer has no such weights (non-linear or never learned).
     */
    default double[] weights(DecisionInput input, int a) {
        return null;
    }

    /** Whether the scorer has what it scores with; a serving scorer before its first model has not. */
    default boolean ready() {
        return true;
    }

    /** A deep, independent copy. */
    Scorer copy();

    void write(DataOutput out) throws IOException;

    /** Replaces this scorer's state with what {@link #write} wrote. */
    void read(DataInput in) throws IOException;
}
