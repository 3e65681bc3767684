package dev.loopline.core.ope;

/**
 * What the off-policy estimators need of each logged decision i, whatever the policies are:
 *
 * @param weights     {@code w_i = π(a_i | x_i) / μ(a_i | x_i)}, target over logging probability of the logged action
 * @param rewards     {@code r_i}, the observed reward
 * @param modelLogged {@code q̂(x_i, a_i)}, the reward model's prediction for the logged action
 * @param modelTarget {@code Σ_a π(a | x_i) q̂(x_i, a)}, the reward model's value of the target policy at x_i
 */
public record OpeSample(double[] weights, double[] rewards, double[] modelLogged, double[] modelTarget) {
    public OpeSample {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("off-policy estimation needs at least one logged decision");
        }
        if (rewards.length != n || modelLogged.length != n || modelTarget.length != n) {
            throw new IllegalArgumentException("sample columns differ in length: " + n + ", " + rewards.length + ", "
                    + modelLogged.length + ", " + modelTarget.length);
        }
        for (int i = 0; i < n; i++) {
            if (!(weights[i] >= 0 && Double.isFinite(weights[i]))) {
                throw new IllegalArgumentException("row " + i + ": importance weight " + weights[i] + " must be finite and >= 0");
            }
            if (!Double.isFinite(rewards[i]) || !Double.isFinite(modelLogged[i]) || !Double.isFinite(modelTarget[i])) {
                throw new IllegalArgumentException("row " + i + ": reward and model values must be finite");
            }
        }
        weights = weights.clone();
        rewards = rewards.clone();
        modelLogged = modelLogged.clone();
        modelTarget = modelTarget.clone();
    }

    public int size() {
        return weights.length;
    }

    /** The sample of a log, a target policy over its strata and a tabular reward model fitted on it. */
    public static OpeSample of(BanditLog log, StratifiedPolicy target, TabularRewardModel model) {
        checkShape(log, target);
        int n = log.size();
        double[] w = new double[n];
        double[] ql = new double[n];
        double[] qt = new double[n];
        double[] valueByStratum = targetValues(log, target, model);
        for (int i = 0; i < n; i++) {
            int s = log.stratum()[i];
            int a = log.action()[i];
            w[i] = target.probability(s, a) / log.propensity()[i];
            ql[i] = model.predict(s, a);
            qt[i] = valueByStratum[s];
        }
        return new OpeSample(w, log.reward(), ql, qt);
    }

    /**
     * The sample with a cross-fitted tabular reward model: the rows are split into {@code folds}
     * folds by {@code fold[i]}, and each row's model values come from a model fitted on the other
     * folds, so a row's residual never includes its own reward. With one fold the model is fitted on
     * all rows. Cross-fitting keeps the doubly robust correction honest and lets switch-DR's tuning
     * see the reward model's bias.
     *
     * @param fold  per row, its fold in [0, folds)
     * @param folds the number of folds, at least 1
     */
    public static OpeSample crossFitted(BanditLog log, StratifiedPolicy target, double priorStrength, int[] fold, int folds) {
        checkShape(log, target);
        if (folds < 1 || fold.length != log.size()) {
            throw new IllegalArgumentException("cross-fitting needs folds >= 1 and one fold per row; got " + folds
                    + " folds for " + fold.length + " of " + log.size() + " rows");
        }
        if (folds == 1) {
            return of(log, target, TabularRewardModel.fit(log, priorStrength));
        }
        int n = log.size();
        double[] w = new double[n];
        double[] ql = new double[n];
        double[] qt = new double[n];
        for (int f = 0; f < folds; f++) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (fold[i] != f) {
                    m++;
                }
            }
            if (m == n) {
                continue; // nothing to predict in this fold
            }
            if (m == 0) {
                // Every row is in this fold (a tiny resample): nothing to fit on but the rows themselves.
                return of(log, target, TabularRewardModel.fit(log, priorStrength));
            }
            int[] s = new int[m];
            int[] a = new int[m];
            double[] r = new double[m];
            double[] p = new double[m];
            for (int i = 0, k = 0; i < n; i++) {
                if (fold[i] != f) {
                    s[k] = log.stratum()[i];
                    a[k] = log.action()[i];
                    r[k] = log.reward()[i];
                    p[k] = log.propensity()[i];
                    k++;
                }
            }
            TabularRewardModel model = TabularRewardModel.fit(new BanditLog(log.strata(), log.actions(), s, a, r, p),
                    priorStrength);
            double[] valueByStratum = targetValues(log, target, model);
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    int st = log.stratum()[i];
                    int ac = log.action()[i];
                    w[i] = target.probability(st, ac) / log.propensity()[i];
                    ql[i] = model.predict(st, ac);
                    qt[i] = valueByStratum[st];
                }
            }
        }
        return new OpeSample(w, log.reward(), ql, qt);
    }

    private static void checkShape(BanditLog log, StratifiedPolicy target) {
        if (target.strata() != log.strata() || target.actions() != log.actions()) {
            throw new IllegalArgumentException("the target policy covers " + target.strata() + " strata and "
                    + target.actions() + " actions, the log " + log.strata() + " and " + log.actions());
        }
    }

    private static double[] targetValues(BanditLog log, StratifiedPolicy target, TabularRewardModel model) {
        double[] valueByStratum = new double[log.strata()];
        for (int s = 0; s < log.strata(); s++) {
            double v = 0;
            for (int a = 0; a < log.actions(); a++) {
                v += target.probability(s, a) * model.predict(s, a);
            }
            valueByStratum[s] = v;
        }
        return valueByStratum;
    }
}
