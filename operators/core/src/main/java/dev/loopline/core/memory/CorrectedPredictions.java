package dev.loopline.core.memory;

import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.ScoreAdjustment;

/**
 * One decision's predicted rewards, seen on their way from the scorer to the exploration strategy: the
 * error memory's look-up corrects them when there is a memory, and both sides are kept, what the model
 * predicted (the base, whose residual the memory learns) and what the policy decided on (served). A
 * policy that predicts nothing (a uniform fallback) leaves both empty.
 */
public final class CorrectedPredictions implements ScoreAdjustment {
    private final ScoreCompensation.Lookup lookup;
    private double[] base;
    private double[] served;

    /** @param lookup the memory's corrections for this decision, or null without a memory */
    public CorrectedPredictions(ScoreCompensation.Lookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void adjust(DecisionInput input, double[] predictions) {
        base = predictions.clone();
        if (lookup != null) {
            lookup.adjust(input, predictions);
        }
        served = predictions.clone();
    }

    /** Action {@code a}'s prediction before correction, or null when the policy made none. */
    public Double base(int a) {
        return base == null ? null : base[a];
    }

    /** Action {@code a}'s prediction the policy decided on, or null when the policy made none. */
    public Double served(int a) {
        return served == null ? null : served[a];
    }

    /** Neighbours behind action {@code a}'s correction (0: a miss, no memory, or no prediction). */
    public int neighbours(int a) {
        return lookup != null && base != null ? lookup.of(a).neighbours() : 0;
    }

    /** Action {@code a}'s memory occupancy at the look-up, or null without a memory or a prediction. */
    public Double occupancy(int a) {
        return lookup != null && base != null ? lookup.occupancy(a) : null;
    }
}
