package dev.loopline.core.ope;

/**
 * Logged bandit decisions in columns. Each row is one decision: the stratum it was made in (a slot,
 * a position, a segment: anything the target policy's distribution depends on; 0 when there is none),
 * the action taken, the reward observed and the logging policy's probability of that action.
 *
 * @param strata      the number of strata, at least 1
 * @param actions     the number of actions, at least 1
 * @param stratum     per row, the stratum in [0, strata)
 * @param action      per row, the logged action in [0, actions)
 * @param reward      per row, the reward, finite
 * @param propensity  per row, the logging probability of the logged action, in (0, 1]
 */
public record BanditLog(int strata, int actions, int[] stratum, int[] action, double[] reward, double[] propensity) {
    public BanditLog {
        if (strata < 1 || actions < 1) {
            throw new IllegalArgumentException("a log needs at least one stratum and one action, got " + strata
                    + " strata and " + actions + " actions");
        }
        int n = stratum.length;
        if (action.length != n || reward.length != n || propensity.length != n) {
            throw new IllegalArgumentException("log columns differ in length: stratum " + n + ", action "
                    + action.length + ", reward " + reward.length + ", propensity " + propensity.length);
        }
        if (n == 0) {
            throw new IllegalArgumentException("the log has no rows");
        }
        for (int i = 0; i < n; i++) {
            if (stratum[i] < 0 || stratum[i] >= strata) {
                throw new IllegalArgumentException("row " + i + ": stratum " + stratum[i] + " is outside [0, " + strata + ")");
            }
            if (action[i] < 0 || action[i] >= actions) {
                throw new IllegalArgumentException("row " + i + ": action " + action[i] + " is outside [0, " + actions + ")");
            }
            if (!Double.isFinite(reward[i])) {
                throw new IllegalArgumentException("row " + i + ": reward " + reward[i] + " is not finite");
            }
            if (!(propensity[i] > 0 && propensity[i] <= 1)) {
                throw new IllegalArgumentException("row " + i + ": propensity " + propensity[i]
                        + " is outside (0, 1]; the logging probability of the logged action must be positive");
            }
        }
        stratum = stratum.clone();
        action = action.clone();
        reward = reward.clone();
        propensity = propensity.clone();
    }

    public int size() {
        return stratum.length;
    }

    /** The mean logged reward (the logging policy's own value). */
    public double meanReward() {
        double s = 0;
        for (double r : reward) {
            s += r;
        }
        return s / reward.length;
    }
}
