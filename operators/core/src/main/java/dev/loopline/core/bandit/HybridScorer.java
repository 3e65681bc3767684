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
 * The hybrid linear model of LinUCB (Li et al. 2010, algorithm 2), the ADF style: the reward of action
 * {@code a} in context {@code x} is {@code z' beta + x' theta_a}, where {@code z} holds the crossings of
 * the context features (and a bias) with the action's own features (and a bias), shared by every
 * action, and {@code theta_a} is a per-action correction over {@code x = [1, context, action
 * features]} (the context crossed with the action's identity). A new action starts from the shared
 * part, so one with features gets a sensible prior; an action without features still learns its own.
 *
 * <p>It is one ridge regression over the joint parameter vector, solved by block elimination: the
 * shared block keeps the inverse {@code S^-1} of the Schur complement and {@code beta}, each action
 * keeps {@code A_a^-1}, {@code B_a = sum x z'} and {@code b_a}. A learning step is the joint
 * Sherman–Morrison step, which touches only the shared block and the chosen action: with {@code w =
 * A_a^-1 x}, {@code v = z - B_a' w}, {@code u = S^-1 v} and {@code s = v' u + x' w}, {@code S^-1 -= u
 * u' / (1 + s)} and {@code beta += u (r - prediction) / (1 + s)}. The width is {@code sqrt(s)}, the
 * joint {@code phi' J^-1 phi}, and {@code theta_a = A_a^-1 (b_a - B_a beta)}.
 */
public final class HybridScorer implements Scorer {
    public static final String KIND = "hybrid";

    /**
     * @param ridge     regularisation strength of both the shared and the per-action parameters
     * @param priorMean the per-action prediction before anything is learned (added to the shared part)
     * @param maxShared the most shared crossings; the shared block costs {@code O(maxShared^2)} memory
     */
    public record Config(double ridge, double priorMean, int maxShared) implements ScorerConfig {
        public Config {
            RidgeScorer.checkRidge(KIND, ridge);
            RidgeScorer.checkPrior(KIND, priorMean);
            if (maxShared < 1 || maxShared > 4096) {
                throw new IllegalArgumentException("hybrid maxShared=" + maxShared
                        + " is outside [1, 4096]; the shared block is a maxShared^2 matrix, 512 is plenty"
                        + " for tens of context and action features");
            }
        }

        public static Config defaults() {
            return new Config(1.0, 0.0, 512);
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
            return new HybridScorer(this);
        }
    }

    private static final class Arm {
        int d;
        int k;
        double[] inverse;
        /** {@code d x k}, row-major. */
        double[] cross;
        double[] b;
        long updates;

        Arm copy() {
            Arm c = new Arm();
            c.d = d;
            c.k = k;
            c.inverse = inverse.clone();
            c.cross = cross.clone();
            c.b = b.clone();
            c.updates = updates;
            return c;
        }
    }

    private final Config config;
    /** Crossing (context slot or 0, action slot or 0) to its shared index, in order of creation. */
    private final Map<Long, Integer> crossings = new HashMap<>();
    private long[] crossingOrder = new long[0];
    private int k;
    private double[] sharedInverse = new double[0];
    private double[] beta = new double[0];
    private final Map<String, Arm> arms = new HashMap<>();
    private long refusedCrossings;

    public HybridScorer(Config config) {
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

    /** Shared crossings in use. */
    public int sharedDimension() {
        return k;
    }

    @Override
    public void score(Featurized features, DecisionInput input, double[] means, double[] widths) {
        int dim = features.dimension();
        double[] x = new double[dim];
        double[] z = new double[k];
        double[] w = new double[dim];
        double[] v = new double[k];
        double[] u = new double[k];
        double lambda = config.ridge();
        int[] contextSlots = contextSlotsWithBias(features);
        for (int a = 0; a < input.size(); a++) {
            features.vector(a, x);
            double unknown = crossings(features, contextSlots, a, z);
            Arm arm = arms.get(input.actionIds().get(a));
            double shared = Dense.dot(z, beta, k);
            if (arm == null) {
                means[a] = shared + config.priorMean();
                if (widths != null) {
                    Dense.multiply(sharedInverse, k, z, u);
                    double s = Dense.dot(z, u, k) + unknown / lambda + Dense.dot(x, x, dim) / lambda;
                    widths[a] = Math.sqrt(Math.max(0.0, s));
                }
                continue;
            }
            int d = arm.d;
            Dense.multiply(arm.inverse, d, x, w);
            for (int i = d; i < dim; i++) {
                w[i] = x[i] / lambda;
            }
            // x' theta_a = w' (b_a - B_a beta), over the action's known slots (the others have b = B = 0).
            double own = 0;
            for (int i = 0; i < d; i++) {
                double r = arm.b[i];
                int row = i * arm.k;
                for (int j = 0; j < arm.k; j++) {
                    r -= arm.cross[row + j] * beta[j];
                }
                own += w[i] * r;
            }
            means[a] = shared + own;
            if (widths != null) {
                shared(arm, z, w, v);
                Dense.multiply(sharedInverse, k, v, u);
                double s = Dense.dot(v, u, k) + unknown / lambda + Dense.dot(x, w, dim);
                widths[a] = Math.sqrt(Math.max(0.0, s));
            }
        }
    }

    /** {@code v = z - B_a' w}. */
    private void shared(Arm arm, double[] z, double[] w, double[] v) {
        System.arraycopy(z, 0, v, 0, k);
        for (int i = 0; i < arm.d; i++) {
            double wi = w[i];
            if (wi == 0) {
                continue;
            }
            int row = i * arm.k;
            for (int j = 0; j < arm.k; j++) {
                v[j] -= arm.cross[row + j] * wi;
            }
        }
    }

    /**
     * Writes the known crossings of action {@code a} into {@code z}; returns the sum of squares of the
     * crossings without an index yet (they count in the width through their prior).
     */
    private double crossings(Featurized f, int[] contextSlots, int a, double[] z) {
        java.util.Arrays.fill(z, 0.0);
        double[] context = f.context();
        int[] actionSlots = f.actionSlots();
        double[] values = f.actionValues(a);
        double unknown = 0;
        for (int ci : contextSlots) {
            double xc = context[ci];
            if (xc == 0) {
                continue;
            }
            for (int j = -1; j < actionSlots.length; j++) {
                double xa = j < 0 ? 1.0 : values[j];
                if (xa == 0) {
                    continue;
                }
                Integer index = crossings.get(key(ci, j < 0 ? 0 : actionSlots[j]));
                double value = xc * xa;
                if (index == null) {
                    unknown += value * value;
                } else {
                    z[index] = value;
                }
            }
        }
        return unknown;
    }

    private int[] contextSlotsWithBias(Featurized f) {
        double[] context = f.context();
        int[] actionSlots = f.actionSlots();
        int[] slots = new int[context.length - actionSlots.length];
        boolean[] isAction = new boolean[context.length];
        for (int s : actionSlots) {
            isAction[s] = true;
        }
        int n = 0;
        for (int i = 0; i < context.length; i++) {
            if (!isAction[i]) {
                slots[n++] = i;
            }
        }
        return slots;
    }

    private static long key(int contextSlot, int actionSlot) {
        return ((long) contextSlot << 32) | (actionSlot & 0xffffffffL);
    }

    @Override
    public void learn(Featurized features, DecisionInput input, int chosen, double reward, double weight,
            SplittableRandom random) {
        if (weight <= 0) {
            return;
        }
        indexCrossings(features, chosen);
        int dim = features.dimension();
        Arm arm = armFor(input.actionIds().get(chosen), dim);
        double[] x = new double[dim];
        features.vector(chosen, x);
        double[] z = new double[k];
        crossings(features, contextSlotsWithBias(features), chosen, z);
        double[] w = new double[dim];
        Dense.multiply(arm.inverse, dim, x, w);
        double own = 0;
        for (int i = 0; i < dim; i++) {
            double r = arm.b[i];
            int row = i * k;
            for (int j = 0; j < k; j++) {
                r -= arm.cross[row + j] * beta[j];
            }
            own += w[i] * r;
        }
        double prediction = Dense.dot(z, beta, k) + own;
        double[] v = new double[k];
        shared(arm, z, w, v);
        double[] u = new double[k];
        Dense.multiply(sharedInverse, k, v, u);
        double s = Dense.dot(v, u, k) + Dense.dot(x, w, dim);
        double step = weight / (1 + weight * s);
        double residual = reward - prediction;
        for (int j = 0; j < k; j++) {
            beta[j] += step * residual * u[j];
        }
        Dense.rankOneDown(sharedInverse, k, u, step);
        double xw = Dense.dot(x, w, dim);
        Dense.rankOneDown(arm.inverse, dim, w, weight / (1 + weight * xw));
        for (int i = 0; i < dim; i++) {
            double xi = weight * x[i];
            if (xi == 0) {
                continue;
            }
            int row = i * k;
            for (int j = 0; j < k; j++) {
                arm.cross[row + j] += xi * z[j];
            }
            arm.b[i] += xi * reward;
        }
        arm.updates++;
    }

    private void indexCrossings(Featurized f, int a) {
        double[] context = f.context();
        int[] actionSlots = f.actionSlots();
        double[] values = f.actionValues(a);
        int before = k;
        for (int ci : contextSlotsWithBias(f)) {
            if (context[ci] == 0) {
                continue;
            }
            for (int j = -1; j < actionSlots.length; j++) {
                if (j >= 0 && values[j] == 0) {
                    continue;
                }
                long key = key(ci, j < 0 ? 0 : actionSlots[j]);
                if (crossings.containsKey(key)) {
                    continue;
                }
                if (k >= config.maxShared()) {
                    refusedCrossings++;
                    continue;
                }
                crossings.put(key, k);
                crossingOrder = java.util.Arrays.copyOf(crossingOrder, k + 1);
                crossingOrder[k] = key;
                k++;
            }
        }
        if (k > before) {
            sharedInverse = Dense.growSquare(sharedInverse, before, k, 1.0 / config.ridge());
            beta = Dense.grow(beta, k);
        }
    }

    private Arm armFor(String actionId, int dim) {
        Arm arm = arms.get(actionId);
        if (arm == null) {
            arm = new Arm();
            arm.d = dim;
            arm.k = k;
            arm.inverse = Dense.scaledIdentity(dim, 1.0 / config.ridge());
            arm.cross = new double[dim * k];
            arm.b = new double[dim];
            arm.b[0] = config.ridge() * config.priorMean();
            arms.put(actionId, arm);
        } else if (arm.d < dim || arm.k < k) {
            arm.inverse = Dense.growSquare(arm.inverse, arm.d, dim, 1.0 / config.ridge());
            arm.cross = Dense.growRect(arm.cross, arm.d, arm.k, dim, k);
            arm.b = Dense.grow(arm.b, dim);
            arm.d = dim;
            arm.k = k;
        }
        return arm;
    }

    @Override
    public HybridScorer copy() {
        HybridScorer c = new HybridScorer(config);
        c.crossings.putAll(crossings);
        c.crossingOrder = crossingOrder.clone();
        c.k = k;
        c.sharedInverse = sharedInverse.clone();
        c.beta = beta.clone();
        arms.forEach((id, arm) -> c.arms.put(id, arm.copy()));
        c.refusedCrossings = refusedCrossings;
        return c;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(k);
        for (int i = 0; i < k; i++) {
            out.writeLong(crossingOrder[i]);
        }
        out.writeLong(refusedCrossings);
        Dense.write(out, sharedInverse);
        Dense.write(out, beta);
        List<String> ids = new ArrayList<>(arms.keySet());
        Collections.sort(ids);
        out.writeInt(ids.size());
        for (String id : ids) {
            Arm arm = arms.get(id);
            out.writeUTF(id);
            out.writeInt(arm.d);
            out.writeInt(arm.k);
            out.writeLong(arm.updates);
            Dense.write(out, arm.inverse);
            Dense.write(out, arm.cross);
            Dense.write(out, arm.b);
        }
    }

    @Override
    public void read(DataInput in) throws IOException {
        int shared = in.readInt();
        if (shared < 0 || shared > config.maxShared()) {
            throw new IllegalArgumentException("snapshot holds " + shared + " shared crossings, the config allows "
                    + config.maxShared());
        }
        Map<Long, Integer> index = new HashMap<>();
        long[] order = new long[shared];
        for (int i = 0; i < shared; i++) {
            order[i] = in.readLong();
            index.put(order[i], i);
        }
        long refused = in.readLong();
        double[] inverse = Dense.read(in, shared * shared);
        double[] b = Dense.read(in, shared);
        int n = in.readInt();
        Map<String, Arm> read = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            Arm arm = new Arm();
            arm.d = in.readInt();
            arm.k = in.readInt();
            if (arm.d < 1 || arm.d > 4097 || arm.k < 0 || arm.k > shared) {
                throw new IllegalArgumentException("snapshot arm " + id + " has impossible shape " + arm.d + "x" + arm.k);
            }
            arm.updates = in.readLong();
            arm.inverse = Dense.read(in, arm.d * arm.d);
            arm.cross = Dense.read(in, arm.d * arm.k);
            arm.b = Dense.read(in, arm.d);
            read.put(id, arm);
        }
        crossings.clear();
        crossings.putAll(index);
        crossingOrder = order;
        k = shared;
        refusedCrossings = refused;
        sharedInverse = inverse;
        beta = b;
        arms.clear();
        arms.putAll(read);
    }
}
