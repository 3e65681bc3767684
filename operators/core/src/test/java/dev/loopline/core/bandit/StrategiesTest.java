package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each strategy's distribution against its formula. */
class StrategiesTest {
    static ScoreSheet sheet(double[] means, double[] widths, long learned) {
        return new ScoreSheet(means, widths, null, learned, Double.NaN, Double.NaN);
    }

    @Test
    void greedySplitsExactTiesOnly() {
        Spread s = new Greedy().explore(sheet(new double[] {0.2, 0.7, 0.7, 0.1}, null, 0), new SplittableRandom(1));
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, s.probabilities(), 0.0);
    }

    @Test
    void epsilonGreedyDecaysToItsFloor() {
        EpsilonGreedy e = new EpsilonGreedy(new EpsilonGreedy.Config(0.2, 0.5, 0.01));
        assertEquals(0.2, e.epsilon(0), 1e-12);
        assertEquals(0.02, e.epsilon(99), 1e-12);
        assertEquals(0.01, e.epsilon(1_000_000), 0.0);
        double[] p = e.explore(sheet(new double[] {0.1, 0.9}, null, 99), new SplittableRandom(1)).probabilities();
        assertArrayEquals(new double[] {0.01, 0.99}, p, 1e-12);
    }

    @Test
    void softmaxIsBoltzmann() {
        double[] p = new Softmax(new Softmax.Config(0.5)).explore(sheet(new double[] {1.0, 0.0}, null, 0),
                new SplittableRandom(1)).probabilities();
        assertEquals(Math.exp(2) / (Math.exp(2) + 1), p[0], 1e-12);
    }

    @Test
    void inverseGapWeightingFollowsTheGammaSchedule() {
        InverseGap igw = new InverseGap(new InverseGap.Config(10, 0.5));
        assertEquals(100.0, igw.gamma(100), 1e-12);
        double[] p = igw.explore(sheet(new double[] {0.9, 0.5, 0.1}, null, 100), new SplittableRandom(1)).probabilities();
        assertEquals(1.0 / (3 + 100 * 0.4), p[1], 1e-12);
        assertEquals(1.0 / (3 + 100 * 0.8), p[2], 1e-12);
        assertEquals(1 - p[1] - p[2], p[0], 1e-12);
    }

    @Test
    void upperConfidenceAddsAlphaWidths() {
        Spread s = new UpperConfidence(new UpperConfidence.Config(2.0)).explore(
                sheet(new double[] {0.5, 0.4}, new double[] {0.01, 0.1}, 10), new SplittableRandom(1));
        assertArrayEquals(new double[] {0, 1}, s.probabilities(), 0.0);
        assertArrayEquals(new double[] {0.02, 0.2}, s.bonus(), 1e-12);
    }

    @Test
    void regCbClipsOptimismToTheRewardsSeenAndSplitsTheTop() {
        RegCbOptimistic regcb = new RegCbOptimistic(new RegCbOptimistic.Config(0.1));
        double radius = Math.sqrt(0.1 * Math.log(3 * 50));
        assertEquals(radius, regcb.radius(3, 50), 1e-12);
        double[] means = {0.6, 0.2, 0.1};
        double[] widths = {0.1, 5.0, 0.01};
        // Before any reward: no clipping, the widest action wins.
        assertArrayEquals(new double[] {0, 1, 0},
                regcb.explore(sheet(means, widths, 50), new SplittableRandom(1)).probabilities(), 0.0);
        // Rewards seen in [0, 0.6]: both of the first two reach the top, 0.6.
        ScoreSheet clipped = new ScoreSheet(means, widths, null, 50, 0.0, 0.6);
        assertArrayEquals(new double[] {0.5, 0.5, 0}, regcb.explore(clipped, new SplittableRandom(1)).probabilities(), 0.0);
    }

    @Test
    void baggingGivesEachActionTheShareOfMembersThatPreferIt() {
        double[][] members = {{1, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0.5, 0.5, 0}};
        ScoreSheet s = new ScoreSheet(new double[3], null, members, 0, Double.NaN, Double.NaN);
        BootstrapThompson bag = new BootstrapThompson();
        for (int seed = 0; seed < 50; seed++) {
            Spread spread = bag.explore(s, new SplittableRandom(seed));
            assertArrayEquals(new double[] {0.375, 0.625, 0}, spread.probabilities(), 1e-12);
            assertTrue(spread.chosen() == 0 || spread.chosen() == 1);
        }
    }

    @Test
    void thompsonEstimatesThePropensityOfItsOwnDraw() {
        // Two actions: P(first wins) = Phi((0.5 - 0.4) / sqrt(0.1^2 + 0.2^2)) = Phi(0.4472) = 0.67264.
        LinearThompson ts = new LinearThompson(new LinearThompson.Config(1.0, 20_000));
        int wins = 0;
        for (int seed = 0; seed < 20; seed++) {
            Spread spread = ts.explore(sheet(new double[] {0.5, 0.4}, new double[] {0.1, 0.2}, 10), new SplittableRandom(seed));
            assertTrue(spread.estimated());
            assertEquals(0.67264, spread.probabilities()[0], 4 * Math.sqrt(0.67 * 0.33 / 20_000));
            assertTrue(spread.probabilities()[spread.chosen()] > 0);
            wins += spread.chosen() == 0 ? 1 : 0;
        }
        assertTrue(wins > 5 && wins < 20, "the decision follows the posterior draw: " + wins);
    }
}
