package dev.loopline.envs.stats;

/**
 * What the runner learned from one first-seen decision.
 *
 * @param policy           the decision's policy name
 * @param modelVersion     the decision's model version (0 = none)
 * @param explored         the decision's explored flag
 * @param realizedReward   the reward the environment drew for the chosen action
 * @param expectedReward   oracle expected reward of the chosen action
 * @param oracleBest       best oracle expected reward among the offered actions
 * @param uniformMean      mean oracle expected reward over the offered actions
 * @param latencyMillis    context append time to decision append time, ms; negative when unknown
 */
public record DecisionSample(
        String policy,
        long modelVersion,
        boolean explored,
        double realizedReward,
        double expectedReward,
        double oracleBest,
        double uniformMean,
        long latencyMillis) {

    /** Regret of this decision: oracleBest - expectedReward. */
    public double regret() {
        return oracleBest - expectedReward;
    }
}
