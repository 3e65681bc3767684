package dev.loopline.core.policy;

import dev.loopline.core.features.FeatureLayout;
import java.util.SplittableRandom;

/**
 * Disjoint LinUCB (Li et al., 2010): one ridge regression per action over the context features plus a
 * bias, scored with an upper confidence bonus {@code alpha * sqrt(x' A^-1 x)}. The inverse is kept
 * directly and updated with Sherman–Morrison, so a decision costs O(K d^2) and a learning step O(d^2).
 *
 * <p>The choice is the argmax of the bound: deterministic, so the logged propensity is 1 (or 1/ties
 * when several actions share the best bound and one is drawn uniformly among them). An arm's state is
 * one {@code double[]}: {@code [n, b(0..d-1), A^-1 row-major (d*d)]}.
 */
public final class LinUcb {
    public static final String NAME = "linucb";

    public record Config(double alpha, double ridge) implements java.io.Serializable {
        public Config {
            if (!(alpha >= 0 && alpha <= 100)) {
                throw new IllegalArgumentException("linucb alpha=" + alpha
                        + " is outside [0, 100]; use about 0.1-2 (larger explores more)");
            }
            if (!(ridge > 0 && ridge <= 1e6)) {
                throw new IllegalArgumentException("linucb ridge=" + ridge
                        + " must be in (0, 1e6]; 1.0 is the usual prior strength");
            }
        }

        public static Config defaults() {
            return new Config(0.5, 1.0);
        }
    }

    private final Config config;
    private final FeatureLayout layout;
    private final int d;

    public LinUcb(Config config, FeatureLayout contextLayout) {
        this.config = config;
        this.layout = contextLayout;
        this.d = contextLayout.dimension() + 1;
    }

    public int dimension() {
        return d;
    }

    public Choice choose(DecisionInput input, ArmStore arms, SplittableRandom random) {
        return choose(input, arms, random, ScoreAdjustment.NONE);
    }

    /** Decides with each arm's estimate corrected by {@code adjustment}; the confidence bonus is the arm's own. */
    public Choice choose(DecisionInput input, ArmStore arms, SplittableRandom random, ScoreAdjustment adjustment) {
        int k = input.size();
        double[] x = features(input);
        double[] bounds = new double[k];
        double[] means = new double[k];
        double[] widths = new double[k];
        double[] tmp = new double[d];
        for (int a = 0; a < k; a++) {
            double[] arm = orPrior(arms.load(input.actionIds().get(a)));
            means[a] = mean(arm, x);
            widths[a] = config.alpha() * Math.sqrt(Math.max(0, quadratic(arm, x, tmp)));
        }
        adjustment.adjust(input, means);
        for (int a = 0; a < k; a++) {
            bounds[a] = means[a] + widths[a];
        }
        int chosen = Draws.argmaxRandomTies(bounds, random);
        double[] probabilities = new double[k];
        int ties = 0;
        for (int a = 0; a < k; a++) {
            if (bounds[a] == bounds[chosen]) {
                ties++;
            }
        }
        for (int a = 0; a < k; a++) {
            probabilities[a] = bounds[a] == bounds[chosen] ? 1.0 / ties : 0.0;
        }
        double bestMean = Double.NEGATIVE_INFINITY;
        for (double m : means) {
            bestMean = Math.max(bestMean, m);
        }
        return new Choice(chosen, probabilities, bounds, means[chosen] < bestMean, 0L, NAME);
    }

    /**
     * The estimate and bonus of every offered action, and the {@code top} largest contributions
     * {@code theta_i * x_i} to the chosen action's estimate (the bias is named {@code bias}).
     */
    public Explanation explain(DecisionInput input, int chosen, ArmStore arms, int top) {
        double[] x = features(input);
        double[] tmp = new double[d];
        java.util.Map<String, Double> scores = new java.util.LinkedHashMap<>();
        java.util.Map<String, Double> bonus = new java.util.LinkedHashMap<>();
        for (int a = 0; a < input.size(); a++) {
            double[] arm = orPrior(arms.load(input.actionIds().get(a)));
            scores.put(input.actionIds().get(a), mean(arm, x));
            bonus.put(input.actionIds().get(a), config.alpha() * Math.sqrt(Math.max(0, quadratic(arm, x, tmp))));
        }
        double[] arm = orPrior(arms.load(input.actionIds().get(chosen)));
        int base = 1 + d;
        java.util.List<java.util.Map.Entry<String, Double>> contributions = new java.util.ArrayList<>();
        for (int i = 0; i < d; i++) {
            double theta = 0;
            for (int j = 0; j < d; j++) {
                theta += arm[base + i * d + j] * arm[1 + j];
            }
            String name = i < d - 1 ? layout.names().get(i) : "bias";
            contributions.add(java.util.Map.entry(name, theta * x[i]));
        }
        contributions.sort((p, q) -> Double.compare(Math.abs(q.getValue()), Math.abs(p.getValue())));
        java.util.Map<String, Double> topFeatures = new java.util.LinkedHashMap<>();
        contributions.stream().limit(top).forEach(e -> topFeatures.put(e.getKey(), e.getValue()));
        return new Explanation(scores, bonus, topFeatures);
    }

    public void learn(DecisionInput input, int chosen, double reward, ArmStore arms) {
        String actionId = input.actionIds().get(chosen);
        double[] arm = orPrior(arms.load(actionId)).clone();
        double[] x = features(input);
        double[] ax = new double[d];
        double denom = 1 + quadratic(arm, x, ax);
        int base = 1 + d;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                arm[base + i * d + j] -= ax[i] * ax[j] / denom;
            }
        }
        for (int i = 0; i < d; i++) {
            arm[1 + i] += reward * x[i];
        }
        arm[0] += 1;
        arms.store(actionId, arm);
    }

    /** The prior arm: no observations, {@code A^-1 = I / ridge}. */
    public double[] prior() {
        double[] arm = new double[1 + d + d * d];
        for (int i = 0; i < d; i++) {
            arm[1 + d + i * d + i] = 1.0 / config.ridge();
        }
        return arm;
    }

    private double[] orPrior(double[] arm) {
        if (arm == null) {
            return prior();
        }
        if (arm.length != 1 + d + d * d) {
            throw new IllegalStateException("LinUCB arm of length " + arm.length + " does not match dimension " + d);
        }
        return arm;
    }

    private double[] features(DecisionInput input) {
        double[] x = new double[d];
        double[] ctx = layout.vectorize(input.context(), null, null);
        System.arraycopy(ctx, 0, x, 0, ctx.length);
        x[d - 1] = 1.0;
        return x;
    }

    /** theta' x with theta = A^-1 b. */
    private double mean(double[] arm, double[] x) {
        int base = 1 + d;
        double s = 0;
        for (int i = 0; i < d; i++) {
            double theta = 0;
            for (int j = 0; j < d; j++) {
                theta += arm[base + i * d + j] * arm[1 + j];
            }
            s += theta * x[i];
        }
        return s;
    }

    /** x' A^-1 x; leaves A^-1 x in {@code ax}. */
    private double quadratic(double[] arm, double[] x, double[] ax) {
        int base = 1 + d;
        double s = 0;
        for (int i = 0; i < d; i++) {
            double v = 0;
            for (int j = 0; j < d; j++) {
                v += arm[base + i * d + j] * x[j];
            }
            ax[i] = v;
            s += v * x[i];
        }
        return s;
    }
}
