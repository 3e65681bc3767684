package dev.loopline.core.bandit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One ridge regression per action (the disjoint model of LinUCB, the "per-action linear" oracle of
 * the bake-off) over the full vector {@code [1, context, action features]}. Each action keeps the
 * inverse {@code A^-1} of its regularised covariance, updated by Sherman–Morrison in {@code O(d^2)},
 * and {@code b}; the prediction is {@code theta' x} with {@code theta = A^-1 b} and the width is
 * {@code sqrt(x' A^-1 x)}.
 *
 * <p>An action never learned is the prior: {@code theta = priorMean} on the bias, {@code A^-1 = I /
 * ridge}. A prior mean above the rewards makes every untried action look good until tried (optimistic
 * initialisation). An action learned with fewer feature slots than exist now reads the missing slots
 * from the prior, which is exact: those features were 0 whenever it learned.
 */
public final class RidgeScorer implements Scorer {
    public static final String KIND = "ridge";

    /**
     * @param ridge     regularisation strength {@code lambda}: {@code A} starts as {@code lambda I}
     * @param priorMean the prediction of an action before it learns anything
     */
    public record Config(double ridge, double priorMean) implements ScorerConfig {
        public Config {
            checkRidge(KIND, ridge);
            checkPrior(KIND, priorMean);
        }

        public static Config defaults() {
            return new Config(1.0, 0.0);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean hasWidths() {
            return true;
        }

        @Override
        public boolean learns() {
            return true;
        }

        @Override
        public Scorer create() {
            return new RidgeScorer(this);
        }
    }

    static void checkRidge(String kind, double ridge) {
        if (!(ridge > 0 && ridge <= 1e6)) {
            throw new IllegalArgumentException(kind + " ridge=" + ridge
                    + " is outside (0, 1e6]; 1 suits standardised features (larger trusts data less)");
        }
    }

    static void checkPrior(String kind, double priorMean) {
        if (!(Math.abs(priorMean) <= 1e6)) {
            throw new IllegalArgumentException(kind + " priorMean=" + priorMean
                    + " is outside [-1e6, 1e6]; use 0, or the largest reward for optimistic initialisation");
        }
    }

    /** One action's sufficient statistics. */
    private static final class Arm {
        int dim;
        double[] inverse;
        double[] b;
        double[] theta;
        long updates;

        Arm copy() {
            Arm c = new Arm();
            c.dim = dim;
            c.inverse = inverse.clone();
            c.b = b.clone();
            c.theta = theta.clone();
            c.updates = updates;
            return c;
        }
    }

    private final Config config;
    private final Map<String, Arm> arms = new HashMap<>();
    private double[] scratch = new double[0];

    public RidgeScorer(Config config) {
        this.config = config;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean hasWidths() {
        return true;
    }

    /** Actions that have learned at least once. */
    public int arms() {
        return arms.size();
    }

    /** How many outcomes an action has learned from (0: never). */
    public long updates(String actionId) {
        Arm arm = arms.get(actionId);
        return arm == null ? 0 : arm.updates;
    }

    /** The weighted sum of the rewards an action learned (the bias row of {@code b}, less the prior's share). */
    public double rewardTotal(String actionId) {
        Arm arm = arms.get(actionId);
        return arm == null ? 0.0 : arm.b[0] - config.ridge() * config.priorMean();
    }

    @Override
    public void score(Featurized features, DecisionInput input, double[] means, double[] widths) {
        int dim = features.dimension();
        double[] x = new double[dim];
        double[] ax = widths == null ? null : new double[dim];
        for (int a = 0; a < input.size(); a++) {
            features.vector(a, x);
            Arm arm = arms.get(input.actionIds().get(a));
            if (arm == null) {
                means[a] = config.priorMean();
                if (widths != null) {
                    widths[a] = Math.sqrt(Dense.dot(x, x, dim) / config.ridge());
                }
                continue;
            }
            int d = arm.dim;
            means[a] = Dense.dot(arm.theta, x, d);
            if (widths != null) {
                Dense.multiply(arm.inverse, d, x, ax);
                double q = Dense.dot(ax, x, d);
                for (int i = d; i < dim; i++) {
                    q += x[i] * x[i] / config.ridge();
                }
                widths[a] = Math.sqrt(Math.max(0.0, q));
            }
        }
    }

    @Override
    public double[] weights(DecisionInput input, int a) {
        Arm arm = arms.get(input.actionIds().get(a));
        return arm == null ? null : arm.theta.clone();
    }

    @Override
    public void learn(Featurized features, DecisionInput input, int chosen, double reward, double weight,
            SplittableRandom random) {
        if (weight <= 0) {
            return;
        }
        int dim = features.dimension();
        Arm arm = armFor(input.actionIds().get(chosen), dim);
        if (scratch.length < 2 * dim) {
            scratch = new double[2 * dim];
        }
        double[] x = new double[dim];
        features.vector(chosen, x);
        double[] u = scratch;
        Dense.multiply(arm.inverse, dim, x, u);
        double q = Dense.dot(u, x, dim);
        Dense.rankOneDown(arm.inverse, dim, u, weight / (1 + weight * q));
        for (int i = 0; i < dim; i++) {
            arm.b[i] += weight * reward * x[i];
        }
        Dense.multiply(arm.inverse, dim, arm.b, arm.theta);
        arm.updates++;
    }

    private Arm armFor(String actionId, int dim) {
        Arm arm = arms.get(actionId);
        if (arm == null) {
            arm = new Arm();
            arm.dim = dim;
            arm.inverse = Dense.scaledIdentity(dim, 1.0 / config.ridge());
            arm.b = new double[dim];
            arm.b[0] = config.ridge() * config.priorMean();
            arm.theta = new double[dim];
            arm.theta[0] = config.priorMean();
            arms.put(actionId, arm);
        } else if (arm.dim < dim) {
            arm.inverse = Dense.growSquare(arm.inverse, arm.dim, dim, 1.0 / config.ridge());
            arm.b = Dense.grow(arm.b, dim);
            arm.theta = Dense.grow(arm.theta, dim);
            arm.dim = dim;
        }
        return arm;
    }

    @Override
    public RidgeScorer copy() {
        RidgeScorer c = new RidgeScorer(config);
        arms.forEach((id, arm) -> c.arms.put(id, arm.copy()));
        return c;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        List<String> ids = new ArrayList<>(arms.keySet());
        Collections.sort(ids);
        out.writeInt(ids.size());
        for (String id : ids) {
            Arm arm = arms.get(id);
            out.writeUTF(id);
            out.writeInt(arm.dim);
            out.writeLong(arm.updates);
            Dense.write(out, arm.inverse);
            Dense.write(out, arm.b);
            Dense.write(out, arm.theta);
        }
    }

    @Override
    public void read(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IllegalArgumentException("snapshot holds a negative arm count " + n);
        }
        Map<String, Arm> read = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            Arm arm = new Arm();
            arm.dim = in.readInt();
            if (arm.dim < 1 || arm.dim > 4097) {
                throw new IllegalArgumentException("snapshot arm " + id + " has dimension " + arm.dim);
            }
            arm.updates = in.readLong();
            arm.inverse = Dense.read(in, arm.dim * arm.dim);
            arm.b = Dense.read(in, arm.dim);
            arm.theta = Dense.read(in, arm.dim);
            read.put(id, arm);
        }
        arms.clear();
        arms.putAll(read);
    }
}
