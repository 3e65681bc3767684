package dev.loopline.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.features.FeatureLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LinUCB on a synthetic linear bandit whose parameters are known, so regret is exact: d = 8 context
 * features uniform in [-1, 1], 5 actions, mean reward {@code theta_a . x + c_a}, Gaussian noise with
 * sd 0.5. Everything is seeded; the numbers in the comments were measured once with these seeds.
 */
class LinUcbLearningTest {
    static final int D = 8;
    static final int K = 5;
    static final int ROUNDS = 5_000;
    static final double NOISE = 0.5;
    static final long POLICY_SEED = 17;

    /** The environment: true parameters and the stream of contexts and noise, from one seed. */
    record Bandit(double[][] theta, double[] bias, List<String> features, List<String> actions) {
        static Bandit of(long seed) {
            Random r = new Random(seed);
            double[][] theta = new double[K][D];
            double[] bias = new double[K];
            for (int a = 0; a < K; a++) {
                for (int j = 0; j < D; j++) {
                    theta[a][j] = r.nextGaussian() / Math.sqrt(D);
                }
                bias[a] = 0.2 * r.nextGaussian();
            }
            List<String> features = new ArrayList<>();
            for (int j = 0; j < D; j++) {
                features.add("f" + j);
            }
            List<String> actions = new ArrayList<>();
            for (int a = 0; a < K; a++) {
                actions.add("act-" + a);
            }
            return new Bandit(theta, bias, features, actions);
        }

        double mean(int a, double[] x) {
            double s = bias[a];
            for (int j = 0; j < D; j++) {
                s += theta[a][j] * x[j];
            }
            return s;
        }

        double best(double[] x) {
            double m = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < K; a++) {
                m = Math.max(m, mean(a, x));
            }
            return m;
        }
    }

    /** Regret per round of a run: the best mean minus the chosen action's mean. */
    static double[] run(Bandit bandit, long streamSeed, boolean uniform) {
        LinUcb policy = new LinUcb(LinUcb.Config.defaults(), FeatureLayout.ofContext(bandit.features()));
        MapArmStore arms = new MapArmStore();
        Random env = new Random(streamSeed);
        SplittableRandom coin = new SplittableRandom(streamSeed + 1);
        List<Map<String, Double>> noActionFeatures = Collections.nCopies(K, Map.of());
        double[] regret = new double[ROUNDS];
        for (int t = 0; t < ROUNDS; t++) {
            double[] x = new double[D];
            Map<String, Double> context = new HashMap<>();
            for (int j = 0; j < D; j++) {
                x[j] = 2 * env.nextDouble() - 1;
                context.put(bandit.features().get(j), x[j]);
            }
            double noise = NOISE * env.nextGaussian();
            DecisionInput input = new DecisionInput("round-" + t, context, bandit.actions(), noActionFeatures);
            int chosen = uniform ? coin.nextInt(K)
                    : policy.choose(input, arms, Draws.forEvent(POLICY_SEED, input.eventId())).index();
            double mean = bandit.mean(chosen, x);
            regret[t] = bandit.best(x) - mean;
            if (!uniform) {
                policy.learn(input, chosen, mean + noise, arms);
            }
        }
        return regret;
    }

    static double sum(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s;
    }

    /**
     * Measured once with bandit seed 2024 and stream seed 7 (alpha 0.5, ridge 1): cumulative regret
     * LinUCB 74.79, uniform random 3360.79, ratio 0.022; LinUCB's first half 64.22, second half 10.57,
     * ratio 0.165. Over eight other seed pairs the ratios ranged 0.021-0.040 and 0.10-0.18. Asserted
     * with margins: below 0.1 of uniform, second half below 0.35 of the first.
     */
    @Test
    void linUcbRegretIsFarBelowUniformAndShrinksOverTime() {
        Bandit bandit = Bandit.of(2024);
        double[] linUcb = run(bandit, 7, false);
        double[] uniform = run(bandit, 7, true);
        double total = sum(linUcb, 0, ROUNDS);
        double uniformTotal = sum(uniform, 0, ROUNDS);
        double firstHalf = sum(linUcb, 0, ROUNDS / 2);
        double secondHalf = sum(linUcb, ROUNDS / 2, ROUNDS);
        System.out.printf("LinUCB regret %.2f, uniform %.2f (ratio %.3f); halves %.2f / %.2f (ratio %.3f)%n",
                total, uniformTotal, total / uniformTotal, firstHalf, secondHalf, secondHalf / firstHalf);
        assertTrue(total < 0.1 * uniformTotal, "LinUCB regret " + total + " vs uniform " + uniformTotal);
        assertTrue(secondHalf < 0.35 * firstHalf, "second half " + secondHalf + " vs first half " + firstHalf);
    }

    /** Same seeds, same run: the whole learning trajectory is reproducible to the last bit. */
    @Test
    void aSeededRunIsReproducible() {
        Bandit bandit = Bandit.of(2024);
        double[] a = run(bandit, 7, false);
        double[] b = run(bandit, 7, false);
        assertEquals(sum(a, 0, ROUNDS), sum(b, 0, ROUNDS), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
    }
}
