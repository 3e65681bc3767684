package dev.loopline.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.features.FeatureLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinUcbContractTest extends PolicyContractTest {
    static final LinUcb.Config CONFIG = new LinUcb.Config(0.5, 1.0);

    /** LinUCB over a {@link MapArmStore}, the way an operator runs it over keyed state. */
    record LinUcbSubject(LinUcb policy, MapArmStore arms) implements Subject {
        static LinUcbSubject fresh(LinUcb.Config config) {
            return new LinUcbSubject(new LinUcb(config, FeatureLayout.ofContext(CONTEXT)), new MapArmStore());
        }

        @Override
        public Choice choose(DecisionInput input, SplittableRandom random) {
            return policy.choose(input, arms, random);
        }

        @Override
        public void learn(DecisionInput input, int chosen, double reward) {
            policy.learn(input, chosen, reward, arms);
        }

        @Override
        public Subject copy() {
            return new LinUcbSubject(policy, arms.copy());
        }

        /** Every arm written out as bytes and read back into a new store under a new policy instance. */
        @Override
        public Subject roundTrip() {
            MapArmStore restored = new MapArmStore();
            for (String action : ACTIONS) {
                double[] arm = arms.load(action);
                if (arm != null) {
                    restored.store(action, readArm(writeArm(arm)));
                }
            }
            assertEquals(arms.size(), restored.size());
            return new LinUcbSubject(new LinUcb(CONFIG, FeatureLayout.ofContext(CONTEXT)), restored);
        }
    }

    @Override
    protected Subject newSubject() {
        return LinUcbSubject.fresh(CONFIG);
    }

    @Override
    protected boolean learnsOnline() {
        return true;
    }

    // ---- LinUCB specifics ----------------------------------------------------------------------

    @Test
    void priorTiesAreLoggedAsOneOverTiesAndBrokenUniformly() {
        LinUcbSubject subject = LinUcbSubject.fresh(CONFIG);
        int[] counts = new int[ACTIONS.size()];
        int n = 8_000;
        for (int i = 0; i < n; i++) {
            DecisionInput input = allActions("tie-" + i, context(0.2, 0.4, -0.6, 0.8));
            Choice choice = subject.choose(input, Draws.forEvent(SEED, input.eventId()));
            for (double p : choice.probabilities()) {
                assertEquals(1.0 / ACTIONS.size(), p, 1e-15);
            }
            assertEquals(1.0 / ACTIONS.size(), choice.propensity(), 1e-15);
            assertFalse(choice.explored(), "every action has the same mean, so nothing is exploration");
            counts[choice.index()]++;
        }
        // Expected 1000 each, binomial sd about 30: +-150 is five sd.
        for (int c : counts) {
            assertTrue(Math.abs(c - n / ACTIONS.size()) < 150, "tie breaking is not uniform: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void aDeterministicChoiceReportsPropensityOneForTheBestBound() {
        LinUcbSubject subject = (LinUcbSubject) warmed();
        int checked = 0;
        for (DecisionInput input : probes(500, 11)) {
            Choice choice = subject.choose(input, Draws.forEvent(SEED, input.eventId()));
            double[] bounds = choice.scores();
            long best = java.util.Arrays.stream(bounds).filter(b -> b == bounds[choice.index()]).count();
            assertEquals(1.0 / best, choice.propensity(), 1e-15);
            for (int a = 0; a < bounds.length; a++) {
                assertTrue(bounds[a] <= bounds[choice.index()], "chose a bound that is not the largest");
                if (bounds[a] != bounds[choice.index()]) {
                    assertEquals(0.0, choice.probabilities()[a]);
                }
            }
            if (best == 1) {
                assertEquals(1.0, choice.propensity());
                checked++;
            }
        }
        assertTrue(checked > 400, "after learning, bounds should rarely tie; only " + checked + " untied");
    }

    /**
     * The inverse kept by Sherman–Morrison equals the inverse of {@code ridge I + sum x x'}, the mean is
     * the ridge solution and the bonus is {@code alpha sqrt(x' A^-1 x)}, both recomputed here by
     * Gaussian elimination.
     */
    @Test
    void learningKeepsTheExactRidgeRegressionAndConfidenceBound() {
        double alpha = 0.7;
        double ridge = 2.0;
        LinUcb policy = new LinUcb(new LinUcb.Config(alpha, ridge), FeatureLayout.ofContext(CONTEXT));
        int d = policy.dimension();
        assertEquals(CONTEXT.size() + 1, d, "context features plus a bias");
        MapArmStore arms = new MapArmStore();
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            a[i][i] = ridge;
        }
        double[] b = new double[d];
        SplittableRandom r = new SplittableRandom(12);
        for (int step = 1; step <= 60; step++) {
            DecisionInput input = allActions("sm-" + step,
                    context(r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)));
            double[] x = vector(input.context());
            double reward = r.nextDouble(-1, 2);
            policy.learn(input, 3, reward, arms); // always a3
            for (int i = 0; i < d; i++) {
                b[i] += reward * x[i];
                for (int j = 0; j < d; j++) {
                    a[i][j] += x[i] * x[j];
                }
            }
            double[] arm = arms.load("a3");
            assertEquals(step, arm[0], "observation count");
            for (int i = 0; i < d; i++) {
                assertEquals(b[i], arm[1 + i], 1e-12, "b[" + i + "]");
            }
            // A^-1 A = I
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double v = 0;
                    for (int k = 0; k < d; k++) {
                        v += arm[1 + d + i * d + k] * a[k][j];
                    }
                    assertEquals(i == j ? 1.0 : 0.0, v, 1e-9, "(A^-1 A)[" + i + "][" + j + "] after " + step + " steps");
                }
            }
            // The bound of a3 on a fresh context: theta' x + alpha sqrt(x' A^-1 x).
            DecisionInput probe = allActions("probe-" + step, context(0.3, -0.7, 0.1, 0.5));
            double[] z = vector(probe.context());
            double[] theta = solve(a, b);
            double[] aInvZ = solve(a, z);
            double expected = dot(theta, z) + alpha * Math.sqrt(dot(z, aInvZ));
            Choice choice = policy.choose(probe, arms, Draws.forEvent(SEED, probe.eventId()));
            assertEquals(expected, choice.scores()[3], 1e-9, "bound of the learned arm after " + step + " steps");
        }
        for (String other : ACTIONS) {
            if (!other.equals("a3")) {
                assertNull(arms.load(other), "learning a3 touched " + other);
            }
        }
        assertEquals(1, arms.size());
    }

    @Test
    void learningDoesNotWriteIntoTheArrayItLoaded() {
        LinUcb policy = new LinUcb(CONFIG, FeatureLayout.ofContext(CONTEXT));
        MapArmStore arms = new MapArmStore();
        DecisionInput input = allActions("e", context(1, 2, 3, 4));
        policy.learn(input, 0, 1.0, arms);
        double[] stored = arms.load("a0");
        double[] snapshot = stored.clone();
        policy.learn(input, 0, 1.0, arms);
        assertTrue(java.util.Arrays.equals(snapshot, stored), "the array from the store was modified in place");
    }

    @Test
    void anUntriedActionWithAWideBoundIsMarkedAsExploration() {
        LinUcb policy = new LinUcb(new LinUcb.Config(2.0, 1.0), FeatureLayout.ofContext(CONTEXT));
        MapArmStore arms = new MapArmStore();
        DecisionInput input = new DecisionInput("x", context(1, 0, 0, 0), List.of("known", "new"),
                List.of(Map.of(), Map.of()));
        for (int i = 0; i < 100; i++) {
            policy.learn(input, 0, 0.5, arms);
        }
        Choice choice = policy.choose(input, arms, Draws.forEvent(SEED, "x"));
        assertEquals(1, choice.index(), "the untried action has the larger upper bound");
        assertTrue(choice.explored(), "its mean (0) is below the known action's (about 0.5)");
        assertEquals(1.0, choice.propensity());
    }

    @Test
    void anArmOfTheWrongDimensionIsAnInvariantBreach() {
        LinUcb policy = new LinUcb(CONFIG, FeatureLayout.ofContext(CONTEXT));
        MapArmStore arms = new MapArmStore();
        arms.store("a0", new double[7]);
        DecisionInput input = allActions("bad", context(0, 0, 0, 0));
        assertThrows(IllegalStateException.class, () -> policy.choose(input, arms, Draws.forEvent(SEED, "bad")));
    }

    @Test
    void priorIsTheScaledIdentityWithNoObservations() {
        LinUcb policy = new LinUcb(new LinUcb.Config(1.0, 4.0), FeatureLayout.ofContext(CONTEXT));
        int d = policy.dimension();
        double[] prior = policy.prior();
        assertEquals(1 + d + d * d, prior.length);
        assertEquals(0.0, prior[0]);
        for (int i = 0; i < d; i++) {
            assertEquals(0.0, prior[1 + i]);
            for (int j = 0; j < d; j++) {
                assertEquals(i == j ? 0.25 : 0.0, prior[1 + d + i * d + j]);
            }
        }
        prior[0] = 99;
        assertEquals(0.0, policy.prior()[0], "prior() must hand out a fresh array each time");
    }

    @Test
    void configRefusesValuesOutsideTheirRangeAndNamesThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LinUcb.Config(-0.1, 1));
        assertTrue(e.getMessage().contains("alpha=-0.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinUcb.Config(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinUcb.Config(101, 1));
        e = assertThrows(IllegalArgumentException.class, () -> new LinUcb.Config(0.5, 0));
        assertTrue(e.getMessage().contains("ridge=0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinUcb.Config(0.5, Double.NaN));
        new LinUcb.Config(0, 1e6); // both edges are allowed
    }

    // ---- helpers -------------------------------------------------------------------------------

    static DecisionInput allActions(String eventId, Map<String, Double> context) {
        List<Map<String, Double>> features = new ArrayList<>();
        for (int i = 0; i < ACTIONS.size(); i++) {
            features.add(new HashMap<>());
        }
        return new DecisionInput(eventId, context, ACTIONS, features);
    }

    static double[] vector(Map<String, Double> context) {
        double[] x = new double[CONTEXT.size() + 1];
        for (int i = 0; i < CONTEXT.size(); i++) {
            x[i] = context.getOrDefault(CONTEXT.get(i), 0.0);
        }
        x[CONTEXT.size()] = 1.0;
        return x;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Solves {@code a y = v} by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] a, double[] v) {
        int n = v.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = v[i];
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int k = c; k <= n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = m[i][n] / m[i][i];
        }
        return y;
    }

    static byte[] writeArm(double[] arm) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(arm.length);
            for (double v : arm) {
                out.writeDouble(v);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] readArm(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            double[] arm = new double[in.readInt()];
            for (int i = 0; i < arm.length; i++) {
                arm[i] = in.readDouble();
            }
            return arm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
