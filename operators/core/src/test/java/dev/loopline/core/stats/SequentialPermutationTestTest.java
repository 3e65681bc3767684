package dev.loopline.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.stats.SequentialPermutationTest.Decision;
import dev.loopline.core.stats.SequentialPermutationTest.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialPermutationTestTest {
    static final List<String> ONE_TASK = List.of("task");
    static final List<String> TWO = List.of("a", "b");

    static SequentialPermutationTest.Config config(double alpha, int interims, long seed) {
        return new SequentialPermutationTest.Config(alpha, 5, interims, 10_000, seed);
    }

    /** scores[0][p] = runs of policy p on the one task. */
    static double[][][] oneTask(double[]... policies) {
        return new double[][][] {policies};
    }

    @Test
    void identicalPoliciesAreDeclaredEqualAfterAllRuns() {
        double[] runs = BootstrapTest.normal(1, 20, 0, 1);
        SequentialPermutationTest t = SequentialPermutationTest.replay(oneTask(runs, runs.clone()), ONE_TASK, TWO,
                config(0.05, 4, 7));
        Decision d = t.decisions().get(0);
        assertEquals(Verdict.EQUAL, d.verdict());
        assertEquals(4, d.interim());
        assertEquals(20, d.runs());
        assertEquals(0, d.meanDifference(), 0);
        assertTrue(t.levelSpent() <= 0.05 + 1e-12);
    }

    @Test
    void policiesFromTheSameDistributionAreDeclaredEqual() {
        // One fixed draw (about one in twenty draws is a false rejection at alpha = 0.05; see the
        // family-wise error test below for the rate).
        SequentialPermutationTest t = SequentialPermutationTest.replay(
                oneTask(BootstrapTest.normal(40, 20, 0, 1), BootstrapTest.normal(41, 20, 0, 1)), ONE_TASK, TWO, config(0.05, 4, 7));
        assertEquals(Verdict.EQUAL, t.decisions().get(0).verdict());
        assertEquals(4, t.interim());
    }

    @Test
    void aClearlyBetterPolicyIsDeclaredBetterAtTheFirstInterim() {
        double[][][] scores = oneTask(BootstrapTest.normal(4, 20, 2, 0.5), BootstrapTest.normal(5, 20, 0, 0.5));
        SequentialPermutationTest t = SequentialPermutationTest.replay(scores, ONE_TASK, TWO, config(0.05, 4, 7));
        Decision d = t.decisions().get(0);
        assertEquals(Verdict.BETTER, d.verdict());
        assertEquals(1, d.interim(), "decided after the first batch of 5 runs, not after all 20");
        assertEquals(5, d.runs());
        assertTrue(t.finished());
        assertEquals(1, t.interim(), "the replay stops as soon as everything is decided");

        SequentialPermutationTest reversed = SequentialPermutationTest.replay(
                oneTask(scores[0][1], scores[0][0]), ONE_TASK, TWO, config(0.05, 4, 7));
        assertEquals(Verdict.WORSE, reversed.decisions().get(0).verdict());
    }

    @Test
    void aModeratelyBetterPolicyNeedsMoreBatchesButStopsEarly() {
        double[][][] scores = oneTask(BootstrapTest.normal(6, 20, 1, 1), BootstrapTest.normal(8, 20, 0, 1));
        SequentialPermutationTest t = SequentialPermutationTest.replay(scores, ONE_TASK, TWO, config(0.05, 4, 7));
        Decision d = t.decisions().get(0);
        assertEquals(Verdict.BETTER, d.verdict());
        // Measured: decided at interim 2 (10 runs each).
        assertTrue(d.interim() > 1 && d.interim() < 4, "decided at interim " + d.interim());
    }

    @Test
    void tooSmallALevelPerInterimCannotRejectWithFiveRuns() {
        // With 5 runs each, the most extreme split has permutation probability 2/252 ≈ 0.008: a first
        // interim with alpha/K = 0.0025 cannot reject even a huge difference. By the second (0.005 of
        // level, with the statistic summed over two batches of 252 splits each) it can.
        double[][][] scores = oneTask(BootstrapTest.normal(4, 20, 10, 0.1), BootstrapTest.normal(5, 20, 0, 0.1));
        SequentialPermutationTest t = SequentialPermutationTest.replay(scores, ONE_TASK, TWO, config(0.01, 4, 7));
        Decision d = t.decisions().get(0);
        assertEquals(Verdict.BETTER, d.verdict());
        assertEquals(2, d.interim());
    }

    @Test
    void manyPoliciesAndTasksStepDown() {
        List<String> tasks = List.of("t1", "t2");
        List<String> policies = List.of("good", "base", "twin");
        double[][][] scores = new double[2][3][];
        for (int t = 0; t < 2; t++) {
            scores[t][0] = BootstrapTest.normal(10 + t, 20, 3, 0.5);
            scores[t][1] = BootstrapTest.normal(20 + t, 20, 0, 0.5);
            scores[t][2] = BootstrapTest.normal(30 + t, 20, 0, 0.5);
        }
        SequentialPermutationTest t = SequentialPermutationTest.replay(scores, tasks, policies, config(0.05, 4, 3));
        for (Decision d : t.decisions()) {
            if (d.first().equals("good")) {
                assertEquals(Verdict.BETTER, d.verdict(), d.toString());
                assertTrue(d.interim() < 4, d.toString());
            } else {
                assertEquals(Verdict.EQUAL, d.verdict(), d.toString());
                assertEquals(4, d.interim());
            }
        }
        assertEquals(6, t.decisions().size());
    }

    @Test
    void familyWiseErrorStaysWithinAlphaUnderTheNull() {
        // 400 comparisons of two policies with the same score distribution at alpha = 0.1, 4 interims.
        // Measured: 35 false rejections (8.75 %); the bound allows 40 plus three binomial standard
        // deviations (18).
        int rejections = 0;
        int experiments = 400;
        for (int e = 0; e < experiments; e++) {
            double[][][] scores = oneTask(BootstrapTest.normal(1000 + 2L * e, 20, 0, 1),
                    BootstrapTest.normal(1001 + 2L * e, 20, 0, 1));
            SequentialPermutationTest t = SequentialPermutationTest.replay(scores, ONE_TASK, TWO,
                    new SequentialPermutationTest.Config(0.1, 5, 4, 500, e));
            if (t.decisions().get(0).verdict() != Verdict.EQUAL) {
                rejections++;
            }
        }
        assertTrue(rejections <= 58, rejections + " false rejections in " + experiments);
    }

    @Test
    void batchesMustHaveThePlannedShape() {
        SequentialPermutationTest t = new SequentialPermutationTest(config(0.05, 1, 1), ONE_TASK, TWO);
        assertThrows(IllegalArgumentException.class, () -> t.addBatch(oneTask(new double[5], new double[4])));
        assertThrows(IllegalArgumentException.class, () -> t.addBatch(oneTask(new double[5], new double[] {1, 2, 3, 4, Double.NaN})));
        t.addBatch(oneTask(new double[5], new double[5]));
        assertThrows(IllegalStateException.class, () -> t.addBatch(oneTask(new double[5], new double[5])));
        assertEquals(Verdict.EQUAL, t.decisions().get(0).verdict());
    }

    @Test
    void configIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SequentialPermutationTest.Config(0.7, 5, 4, 1000, 1));
        assertTrue(e.getMessage().contains("alpha=0.7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SequentialPermutationTest.Config(0.05, 0, 4, 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new SequentialPermutationTest.Config(0.05, 5, 4, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new SequentialPermutationTest(config(0.05, 4, 1), ONE_TASK, List.of("a")));
    }
}
