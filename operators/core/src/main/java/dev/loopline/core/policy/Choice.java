package dev.loopline.core.policy;

/**
 * A policy's answer: the chosen index into the offered actions, the whole distribution it was drawn
 * from (so the propensity is {@code probabilities[index]}), the scores behind it, and whether the
 * choice differs from the best-scored action.
 */
public record Choice(int index, double[] probabilities, double[] scores, boolean explored, long modelVersion,
        String policy) {
    public double propensity() {
        return probabilities[index];
    }
}
