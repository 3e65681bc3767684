package dev.loopline.core.bandit;

/**
 * A last word on a policy's predicted rewards before exploration turns them into a distribution, e.g.
 * the error memory's correction of a slow model by its recent mistakes. Policies call it once per
 * decision with the predicted reward of every offered action (in the input's order); it changes them
 * in place. An adjustment never sees confidence widths: exploration stays as wide as the base model
 * says it should be.
 */
@FunctionalInterface
public interface ScoreAdjustment {
    /** Leaves the predictions as they are. */
    ScoreAdjustment NONE = (input, predictions) -> { };

    void adjust(DecisionInput input, double[] predictions);
}
