package dev.loopline.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.bandit.PolicyConfig;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.envs.data.LabelledData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SupervisedBanditEvalTest {
    /** Three classes separated by two raw features of very different scales, plus a noise column. */
    static LabelledData blobs(int rows, long seed) {
        StringBuilder csv = new StringBuilder("small,large,noise,label\n");
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < rows; i++) {
            int y = random.nextInt(3);
            double small = (y == 1 ? 0.004 : 0.0) + 0.001 * random.nextGaussian();
            double large = (y == 2 ? 5000 : 0) + 1000 * random.nextGaussian() + 1e4;
            csv.append(String.format(Locale.ROOT, "%g,%g,%g,k%d%n", small, large, random.nextGaussian(), y));
        }
        return LabelledData.of(CsvTable.parse(csv.toString()), null, List.of());
    }

    @Test
    void progressiveRoundsOverShuffledPasses() {
        SupervisedBanditEval eval = new SupervisedBanditEval(blobs(600, 1), new SupervisedBanditEval.Options(3, 9));
        SupervisedBanditEval.Result uniform = eval.uniform();
        assertEquals(1800, uniform.rounds());
        assertEquals(1.0 / 3, uniform.meanReward(), 0.05);
        SupervisedBanditEval.Result supervised = eval.supervised();
        assertEquals(SupervisedBanditEval.SUPERVISED, supervised.policy());
        assertTrue(supervised.meanReward() > 0.85, "supervised " + supervised.meanReward());
        for (PolicyConfig config : eval.configs(List.of("all"))) {
            SupervisedBanditEval.Result r = eval.run(config);
            assertTrue(r.meanReward() > 0.6, config.name() + " " + r.meanReward());
            assertTrue(r.eventsPerSecond() > 0);
        }
    }

    @Test
    void theSameSeedGivesTheSameFigures() {
        LabelledData data = blobs(300, 2);
        PolicyConfig config = PolicyFactory.defaults(PolicyFactory.SQUARECB_LINEAR, 4);
        double a = new SupervisedBanditEval(data, new SupervisedBanditEval.Options(2, 4)).run(config).meanReward();
        double b = new SupervisedBanditEval(data, new SupervisedBanditEval.Options(2, 4)).run(config).meanReward();
        assertEquals(a, b, 0.0);
    }

    /**
     * The target on the digits data (1797 rows x 11 passes = 19,767 rounds, seed 1): Vowpal
     * Wabbit's SquareCB reaches 0.905. Measured with the defaults: regcb-opt 0.9672, greedy 0.9554,
     * linucb 0.9506, squarecb-linear 0.9378, uniform 0.1016.
     */
    @Test
    void digitsReachTheReferenceLearner() {
        Path digits = dev.loopline.envs.TestData.path("digits.csv");
        assertTrue(Files.exists(digits), "the data set shipped in data/ " + digits.toAbsolutePath());
        LabelledData data = LabelledData.of(CsvTable.read(digits), null, List.of());
        SupervisedBanditEval eval = new SupervisedBanditEval(data, new SupervisedBanditEval.Options(11, 1));
        SupervisedBanditEval.Result best = eval.run(PolicyFactory.defaults(PolicyFactory.REGCB_OPT, 1));
        assertEquals(19_767, best.rounds());
        assertEquals(0.9672, best.meanReward(), 0.002);
        assertTrue(eval.uniform().meanReward() < 0.12);
    }

    /**
     * The loop's default policy offline: SquareCB over the reward network, retrained every 1000 outcomes
     * as the loop's trainer does (3 passes over digits, seed 4, 5 trainings). Measured: mean 0.624, last
     * pass 0.851 (uniform 0.098).
     */
    @Test
    void theServedSquareCbIsRetrainedOfflineAndLearns() {
        LabelledData data = LabelledData.of(CsvTable.read(dev.loopline.envs.TestData.path("digits.csv")), null, List.of());
        SupervisedBanditEval eval = new SupervisedBanditEval(data, new SupervisedBanditEval.Options(3, 4));
        SupervisedBanditEval.Result r = eval.run(PolicyFactory.defaults(PolicyFactory.SQUARECB, 4));
        assertEquals(3 * 1797, r.rounds());
        assertTrue(r.meanReward() > 0.45, "mean " + r.meanReward());
        assertTrue(r.lastPassMeanReward() > 0.75, "last pass " + r.lastPassMeanReward());
    }
}
