package dev.loopline.core.ope;

/**
 * The reward model of the direct method and the doubly robust estimators: the mean reward of each
 * (stratum, action) cell, shrunk towards the stratum's mean, which is shrunk towards the overall
 * mean:
 * <pre>
 *   q(s)    = (Σ r in s     + m · r̄ )   / (n(s)    + m)
 *   q(s, a) = (Σ r in (s,a) + m · q(s)) / (n(s, a) + m)
 * </pre>
 * with prior strength {@code m}. With rare rewards (clicks at 0.5 %) raw cell means are mostly zero;
 * the shrinkage keeps unseen and thinly seen cells at a sensible level.
 */
public final class TabularRewardModel {
    private final double[][] cells;

    private TabularRewardModel(double[][] cells) {
        this.cells = cells;
    }

    /**
     * @param priorStrength pseudo-observations of the parent mean in every cell, at least 0
     */
    public static TabularRewardModel fit(BanditLog log, double priorStrength) {
        if (!(priorStrength >= 0 && Double.isFinite(priorStrength))) {
            throw new IllegalArgumentException("reward model prior strength " + priorStrength
                    + " must be a finite number >= 0; 10 pseudo-observations is a mild default");
        }
        int strata = log.strata();
        int actions = log.actions();
        double[][] sum = new double[strata][actions];
        double[][] count = new double[strata][actions];
        double total = 0;
        for (int i = 0; i < log.size(); i++) {
            sum[log.stratum()[i]][log.action()[i]] += log.reward()[i];
            count[log.stratum()[i]][log.action()[i]]++;
            total += log.reward()[i];
        }
        double overall = total / log.size();
        double[][] cells = new double[strata][actions];
        for (int s = 0; s < strata; s++) {
            double ss = 0;
            double ns = 0;
            for (int a = 0; a < actions; a++) {
                ss += sum[s][a];
                ns += count[s][a];
            }
            double q = shrunk(ss, ns, priorStrength, overall);
            for (int a = 0; a < actions; a++) {
                cells[s][a] = shrunk(sum[s][a], count[s][a], priorStrength, q);
            }
        }
        return new TabularRewardModel(cells);
    }

    private static double shrunk(double sum, double count, double m, double parent) {
        return count + m == 0 ? parent : (sum + m * parent) / (count + m);
    }

    /** The predicted reward of {@code action} in {@code stratum}. */
    public double predict(int stratum, int action) {
        return cells[stratum][action];
    }
}
