package dev.loopline.core.ope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.stats.Bootstrap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A synthetic bandit whose true target value is known: two strata (equally likely), four actions,
 * Bernoulli rewards with known means, a non-uniform logging policy and a different target.
 */
class OffPolicyEvaluationTest {
    static final double[][] THETA = {{0.10, 0.30, 0.05, 0.60}, {0.50, 0.20, 0.40, 0.10}};
    static final double[][] LOGGING = {{0.4, 0.3, 0.2, 0.1}, {0.1, 0.2, 0.3, 0.4}};
    static final StratifiedPolicy TARGET = new StratifiedPolicy(new double[][] {{0.1, 0.2, 0.1, 0.6}, {0.6, 0.1, 0.2, 0.1}});

    /** 0.4225. */
    static double trueValue() {
        double v = 0;
        for (int s = 0; s < 2; s++) {
            for (int a = 0; a < 4; a++) {
                v += 0.5 * TARGET.probability(s, a) * THETA[s][a];
            }
        }
        return v;
    }

    static BanditLog simulate(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] stratum = new int[n];
        int[] action = new int[n];
        double[] reward = new double[n];
        double[] propensity = new double[n];
        for (int i = 0; i < n; i++) {
            int s = r.nextInt(2);
            double u = r.nextDouble();
            int a = 0;
            double acc = LOGGING[s][0];
            while (u >= acc && a < 3) {
                a++;
                acc += LOGGING[s][a];
            }
            stratum[i] = s;
            action[i] = a;
            propensity[i] = LOGGING[s][a];
            reward[i] = r.nextDouble() < THETA[s][a] ? 1 : 0;
        }
        return new BanditLog(2, 4, stratum, action, reward, propensity);
    }

    @Test
    void everyEstimatorFindsTheTrueValueOfALargeLog() {
        double truth = trueValue();
        assertEquals(0.4225, truth, 1e-12);
        OffPolicyEvaluation.Report report = OffPolicyEvaluation.evaluate(simulate(1, 20_000), TARGET,
                new OffPolicyEvaluation.Config(new Bootstrap.Config(500, 0.95, 42), null, 10, 2));
        assertEquals(List.of("ips", "snips", "dm", "dr", "switch-dr"),
                report.estimates().stream().map(OffPolicyEvaluation.Estimate::estimator).toList());
        for (OffPolicyEvaluation.Estimate e : report.estimates()) {
            assertTrue(e.interval().contains(truth), e + " misses the true value " + truth);
            assertEquals(truth, e.value(), 0.02, e.toString());
            assertTrue(e.interval().width() < 0.06, e.toString());
        }
        assertEquals(1.0, report.weights().meanWeight(), 0.03);
    }

    @Test
    void intervalsCoverTheTruthAboutAsOftenAsPromised() {
        // 100 logs of 1000 decisions, 90 % intervals: about 10 misses expected per unbiased estimator.
        // Measured: IPS 8, SNIPS 12, DR 12, switch-DR 12. (DM missed 83: its shrunk cell means are
        // biased at this size, and its interval says nothing about that bias. With the reward model
        // fitted in-sample instead of cross-fitted, switch-DR's tuning cannot see that bias and
        // missed 28.)
        double truth = trueValue();
        OffPolicyEvaluation.Config config = new OffPolicyEvaluation.Config(new Bootstrap.Config(300, 0.9, 5), null, 10, 2);
        int[] misses = new int[4];
        List<String> unbiased = List.of("ips", "snips", "dr", "switch-dr");
        for (int k = 0; k < 100; k++) {
            OffPolicyEvaluation.Report report = OffPolicyEvaluation.evaluate(simulate(100 + k, 1000), TARGET, config);
            for (int e = 0; e < unbiased.size(); e++) {
                misses[e] += report.get(unbiased.get(e)).interval().contains(truth) ? 0 : 1;
            }
        }
        for (int e = 0; e < unbiased.size(); e++) {
            assertTrue(misses[e] <= 20, unbiased.get(e) + " missed " + misses[e] + " of 100");
        }
    }

    @Test
    void sameSeedSameReport() {
        BanditLog log = simulate(3, 2000);
        OffPolicyEvaluation.Config c = new OffPolicyEvaluation.Config(new Bootstrap.Config(200, 0.95, 9), null, 10, 2);
        assertEquals(OffPolicyEvaluation.evaluate(log, TARGET, c), OffPolicyEvaluation.evaluate(log, TARGET, c));
    }

    @Test
    void evaluatingTheLoggingPolicyGivesItsOwnMeanReward() {
        BanditLog log = simulate(4, 5000);
        OffPolicyEvaluation.Report report = OffPolicyEvaluation.evaluate(log, new StratifiedPolicy(LOGGING),
                new OffPolicyEvaluation.Config(new Bootstrap.Config(200, 0.95, 42), null, 10, 2));
        assertEquals(log.meanReward(), report.get("ips").value(), 1e-12);
        assertEquals(log.meanReward(), report.get("snips").value(), 1e-12);
        assertEquals(1.0, report.weights().meanWeight(), 1e-12);
        assertEquals(5000, report.weights().effectiveSampleSize(), 1e-6);
    }

    @Test
    void aFixedModelSampleUsesTheGivenModel() {
        BanditLog log = simulate(5, 3000);
        TabularRewardModel model = TabularRewardModel.fit(log, 0);
        OpeSample sample = OpeSample.of(log, TARGET, model);
        OffPolicyEvaluation.Report fixed = OffPolicyEvaluation.evaluate(sample, OffPolicyEvaluation.Config.defaults());
        OffPolicyEvaluation.Report refit = OffPolicyEvaluation.evaluate(log, TARGET,
                new OffPolicyEvaluation.Config(Bootstrap.Config.defaults(), null, 0, 1));
        // Same point estimates; the refitted intervals also carry the model's uncertainty.
        assertEquals(refit.get("dm").value(), fixed.get("dm").value(), 1e-12);
        assertTrue(refit.get("dm").interval().width() > fixed.get("dm").interval().width());
    }

    @Test
    void crossFittingPredictsEachRowFromTheOtherFolds() {
        BanditLog log = new BanditLog(1, 2, new int[] {0, 0, 0, 0}, new int[] {0, 0, 1, 1}, new double[] {1, 0, 1, 1},
                new double[] {0.5, 0.5, 0.5, 0.5});
        StratifiedPolicy target = StratifiedPolicy.always(1, 2, 0);
        OpeSample in = OpeSample.crossFitted(log, target, 0, new int[] {0, 1, 0, 1}, 1);
        assertArrayEquals(new double[] {0.5, 0.5, 1, 1}, in.modelLogged(), 1e-12);
        OpeSample cross = OpeSample.crossFitted(log, target, 0, new int[] {0, 1, 0, 1}, 2);
        // Row 0 (reward 1) is predicted from row 1 (reward 0) and the other way round.
        assertArrayEquals(new double[] {0, 1, 1, 1}, cross.modelLogged(), 1e-12);
        assertArrayEquals(new double[] {0, 1, 0, 1}, cross.modelTarget(), 1e-12);
        assertArrayEquals(new double[] {2, 2, 0, 0}, cross.weights(), 1e-12);
    }

    @Test
    void tabularModelShrinksThinCellsTowardsTheirStratum() {
        // Stratum 0: action 0 seen twice with rewards 1, 1; action 1 seen twice with 0, 0.
        BanditLog log = new BanditLog(1, 3, new int[] {0, 0, 0, 0}, new int[] {0, 0, 1, 1}, new double[] {1, 1, 0, 0},
                new double[] {0.5, 0.5, 0.5, 0.5});
        TabularRewardModel raw = TabularRewardModel.fit(log, 0);
        assertEquals(1.0, raw.predict(0, 0), 1e-12);
        assertEquals(0.0, raw.predict(0, 1), 1e-12);
        assertEquals(0.5, raw.predict(0, 2), 1e-12, "an unseen action gets its stratum's mean");
        TabularRewardModel shrunk = TabularRewardModel.fit(log, 2);
        // stratum: (2 + 2·0.5)/(4 + 2) = 0.5; action 0: (2 + 2·0.5)/(2 + 2) = 0.75
        assertEquals(0.75, shrunk.predict(0, 0), 1e-12);
        assertEquals(0.25, shrunk.predict(0, 1), 1e-12);
    }

    @Test
    void empiricalPolicyIsTheActionFrequencyPerStratum() {
        StratifiedPolicy p = StratifiedPolicy.empirical(2, 3, new int[] {0, 0, 0, 1}, new int[] {2, 2, 0, 1});
        assertArrayEquals(new double[] {1.0 / 3, 0, 2.0 / 3}, p.probability()[0], 1e-12);
        assertArrayEquals(new double[] {0, 1, 0}, p.probability()[1], 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StratifiedPolicy.empirical(2, 3, new int[] {0}, new int[] {1}));
        assertTrue(e.getMessage().contains("stratum 1"), e.getMessage());
    }

    @Test
    void invalidPoliciesAndLogsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StratifiedPolicy(new double[][] {{0.5, 0.4}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BanditLog(1, 2, new int[] {0}, new int[] {1}, new double[] {1}, new double[] {0}));
        assertTrue(e.getMessage().contains("propensity 0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BanditLog(1, 2, new int[] {0}, new int[] {2}, new double[] {1}, new double[] {0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> new OffPolicyEvaluation.Config(Bootstrap.Config.defaults(), -1.0, 10, 2));
    }
}
