package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The incremental scorers against the textbook solution computed from scratch: the per-action ridge
 * against {@code theta = (lambda I + sum w x x')^-1 (lambda theta0 + sum w r x)} per action, the hybrid
 * against one ridge regression over the joint vector (shared crossings and one block per action),
 * inverted densely. Features arrive late and go missing on the way, so the growth of the matrices is
 * checked too. Raw features (no standardisation) keep the vectors fixed over time.
 */
class LinearScorersTest {
    static final List<String> ARMS = List.of("a0", "a1", "a2", "a3");
    static final double RIDGE = 0.7;
    static final double PRIOR = 0.3;

    @Test
    void perActionRidgeMatchesTheClosedForm() {
        check(new RidgeScorer(new RidgeScorer.Config(RIDGE, PRIOR)), false);
    }

    @Test
    void hybridMatchesTheJointRidgeRegression() {
        check(new HybridScorer(new HybridScorer.Config(RIDGE, PRIOR, 512)), true);
    }

    private static void check(Scorer scorer, boolean hybrid) {
        FeatureSpace space = new FeatureSpace(new FeatureSpace.Config(false, 5, 64));
        SplittableRandom random = new SplittableRandom(3);
        List<DecisionInput> seen = new ArrayList<>();
        List<int[]> chosen = new ArrayList<>();
        List<double[]> outcomes = new ArrayList<>();
        for (int t = 0; t < 120; t++) {
            DecisionInput input = input(random, t, t >= 40);
            space.observe(input);
            int a = random.nextInt(input.size());
            double reward = random.nextDouble();
            double weight = 1 + random.nextInt(3);
            scorer.learn(space.featurize(input), input, a, reward, weight, random);
            seen.add(input);
            chosen.add(new int[] {a});
            outcomes.add(new double[] {reward, weight});
        }
        // Probe with a fresh event, including an action never learned.
        DecisionInput probe = new DecisionInput("probe", Map.of("c0", 0.4, "c1", -1.2, "c2", 2.0, "late", 0.5),
                List.of("a0", "a2", "a3", "unseen"), List.of(Map.of("p", 1.0, "q", 0.5), Map.of("p", -0.3),
                        Map.of(), Map.of("p", 2.0, "q", -1.0)));
        Featurized f = space.featurize(probe);
        double[] means = new double[probe.size()];
        double[] widths = new double[probe.size()];
        scorer.score(f, probe, means, widths);

        List<String> arms = new ArrayList<>(ARMS);
        arms.add("unseen");
        Joint joint = new Joint(space, arms, hybrid);
        for (int i = 0; i < seen.size(); i++) {
            DecisionInput input = seen.get(i);
            joint.add(space.featurize(input), input, chosen.get(i)[0], outcomes.get(i)[0], outcomes.get(i)[1]);
        }
        joint.solve();
        for (int a = 0; a < probe.size(); a++) {
            double[] phi = joint.phi(f, probe, a);
            assertEquals(joint.mean(phi), means[a], 1e-8, "mean of " + probe.actionIds().get(a));
            assertEquals(joint.width(phi), widths[a], 1e-8, "width of " + probe.actionIds().get(a));
        }
    }

    /** Event {@code t}: contexts c0..c2 (sometimes missing), {@code late} only when asked, action features p, q. */
    static DecisionInput input(SplittableRandom random, int t, boolean late) {
        java.util.HashMap<String, Double> context = new java.util.HashMap<>();
        for (int i = 0; i < 3; i++) {
            if (random.nextDouble() < 0.8) {
                context.put("c" + i, random.nextGaussian());
            }
        }
        if (late) {
            context.put("late", random.nextDouble());
        }
        List<Map<String, Double>> features = new ArrayList<>();
        for (int a = 0; a < ARMS.size(); a++) {
            features.add(t < 20 ? Map.of() : Map.of("p", random.nextGaussian(), "q", (double) a));
        }
        return new DecisionInput("e" + t, context, ARMS, features);
    }

    /** The joint regression, dense. */
    static final class Joint {
        final FeatureSpace space;
        final List<String> arms;
        final boolean hybrid;
        final int dim;
        final int shared;
        final int n;
        final double[][] a;
        final double[] b;
        double[][] inverse;
        double[] theta;

        Joint(FeatureSpace space, List<String> arms, boolean hybrid) {
            this.space = space;
            this.arms = arms;
            this.hybrid = hybrid;
            this.dim = space.dimension();
            this.shared = hybrid ? (space.contextSlots().length + 1) * (space.actionSlots().length + 1) : 0;
            this.n = shared + arms.size() * dim;
            this.a = new double[n][n];
            this.b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i][i] = RIDGE;
            }
            for (int k = 0; k < arms.size(); k++) {
                b[shared + k * dim] = RIDGE * PRIOR; // prior mean on each action's bias
            }
        }

        double[] phi(Featurized f, DecisionInput input, int index) {
            double[] phi = new double[n];
            double[] x = new double[dim];
            f.vector(index, x);
            int block = shared + arms.indexOf(input.actionIds().get(index)) * dim;
            System.arraycopy(x, 0, phi, block, dim);
            if (hybrid) {
                int[] contextSlots = space.contextSlots();
                int[] actionSlots = space.actionSlots();
                int m = 0;
                for (int i = -1; i < contextSlots.length; i++) {
                    double xc = i < 0 ? 1.0 : x[contextSlots[i]];
                    for (int j = -1; j < actionSlots.length; j++) {
                        double xa = j < 0 ? 1.0 : x[actionSlots[j]];
                        phi[m++] = xc * xa;
                    }
                }
            }
            return phi;
        }

        void add(Featurized f, DecisionInput input, int index, double reward, double weight) {
            double[] phi = phi(f, input, index);
            for (int i = 0; i < n; i++) {
                if (phi[i] == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    a[i][j] += weight * phi[i] * phi[j];
                }
                b[i] += weight * reward * phi[i];
            }
        }

        void solve() {
            inverse = invert(a);
            theta = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    theta[i] += inverse[i][j] * b[j];
                }
            }
        }

        double mean(double[] phi) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += theta[i] * phi[i];
            }
            return s;
        }

        double width(double[] phi) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    s += phi[i] * inverse[i][j] * phi[j];
                }
            }
            return Math.sqrt(s);
        }
    }

    /** Gauss–Jordan with partial pivoting. */
    static double[][] invert(double[][] m) {
        int n = m.length;
        double[][] w = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, w[i], 0, n);
            w[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(w[r][c]) > Math.abs(w[pivot][c])) {
                    pivot = r;
                }
            }
            double[] tmp = w[c];
            w[c] = w[pivot];
            w[pivot] = tmp;
            double p = w[c][c];
            for (int j = 0; j < 2 * n; j++) {
                w[c][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && w[r][c] != 0) {
                    double factor = w[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        w[r][j] -= factor * w[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(w[i], n, inv[i], 0, n);
        }
        return inv;
    }
}
