package dev.loopline.core.bandit;

/**
 * What an exploration strategy reads for one decision.
 *
 * @param means     predicted reward per offered action
 * @param widths    confidence width per action ({@code sqrt(x' A^-1 x)}), or null when not asked for
 * @param members   per bootstrap member, its prediction per action ({@code [member][action]}), or null
 * @param learned   outcomes the policy has learned so far (drives schedules such as SquareCB's gamma)
 * @param rewardMin smallest reward learned so far, {@code NaN} before the first
 * @param rewardMax largest reward learned so far, {@code NaN} before the first
 */
public record ScoreSheet(double[] means, double[] widths, double[][] members, long learned, double rewardMin,
        double rewardMax) {
    public int size() {
        return means.length;
    }

    public boolean rewardRangeKnown() {
        return !Double.isNaN(rewardMin);
    }
}
