package dev.loopline.core.bandit;

/**
 * A policy's answer for one event, with what off-policy learning and explanations need.
 *
 * @param index               the chosen index into the offered actions
 * @param actionId            the chosen action
 * @param probabilities       the whole distribution over the offered actions (sums to 1); the propensity
 *                            is {@code probabilities[index]}
 * @param scores              the scorer's predicted reward per action
 * @param bonus               what the strategy added to each prediction (UCB bonus, Thompson
 *                            perturbation), or null
 * @param deterministic       whether the choice had probability 1 exactly (greedy, UCB and RegCB without
 *                            ties): its propensity is 1, and off-policy estimators must know that
 * @param propensityEstimated whether the probabilities are a Monte Carlo estimate (Thompson sampling)
 * @param explored            whether the chosen action scored below the best prediction
 * @param policy              the policy's name
 * @param modelVersion        the version of the model behind the scores; 0 for online learners
 */
public record BanditDecision(int index, String actionId, double[] probabilities, double[] scores, double[] bonus,
        boolean deterministic, boolean propensityEstimated, boolean explored, String policy, long modelVersion) {
    public double propensity() {
        return probabilities[index];
    }
}
