package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Invalid settings fail when the policy is built, with a message naming the value, the range and a fix. */
class ConfigValidationTest {
    static void refused(Executable build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void eachRecordChecksItsRange() {
        refused(() -> new EpsilonGreedy.Config(1.5, 0, 0), "epsilon=1.5", "[0, 1]");
        refused(() -> new EpsilonGreedy.Config(0.1, 0, 0.2), "minEpsilon=0.2");
        refused(() -> new Softmax.Config(0), "temperature=0.0", "1e-6");
        refused(() -> new UpperConfidence.Config(-1), "alpha=-1.0", "[0, 100]");
        refused(() -> new LinearThompson.Config(0.5, 3), "draws=3", "[16, 1000000]");
        refused(() -> new LinearThompson.Config(Double.NaN, 100), "scale=NaN");
        refused(() -> new InverseGap.Config(10, 2), "exponent=2.0", "[0, 1]");
        refused(() -> new BootstrapThompson.Config(1), "members=1", "[2, 256]");
        refused(() -> new RegCbOptimistic.Config(0), "c0=0.0", "(0, 100]");
        refused(() -> new RidgeScorer.Config(0, 0), "ridge=0.0", "(0, 1e6]");
        refused(() -> new HybridScorer.Config(1, 0, 0), "maxShared=0");
        refused(() -> new FeatureSpace.Config(true, 0.5, 10), "clip=0.5");
        refused(() -> new FeatureSpace.Config(true, 5, 100_000), "maxFeatures=100000");
    }

    @Test
    void strategiesAndScorersMustFit() {
        refused(() -> new PolicyConfig("x", 1, FeatureSpace.Config.defaults(), new ServingModelScorer.Config(),
                UpperConfidence.Config.defaults()), "needs confidence widths", "serving-model");
        refused(() -> new PolicyConfig("x", 1, FeatureSpace.Config.defaults(), new ServingModelScorer.Config(),
                BootstrapThompson.Config.defaults()), "does not learn");
        refused(() -> new PolicyConfig(" ", 1, FeatureSpace.Config.defaults(), RidgeScorer.Config.defaults(),
                new Greedy.Config()), "1-64 characters");
        refused(() -> PolicyFactory.defaults("thompson", 1), "'thompson' is unknown", "lin-ts");
    }

    @Test
    void everyNamedPolicyHasValidDefaults() {
        for (String name : PolicyFactory.ALL) {
            assertTrue(PolicyFactory.create(name, 3).name().equals(name));
        }
    }

    @Test
    void theDefaultTuningIsEveryPolicysOwnDefaults() {
        for (String name : PolicyFactory.ALL) {
            org.junit.jupiter.api.Assertions.assertEquals(PolicyFactory.defaults(name, 3),
                    PolicyFactory.config(name, 3, PolicyTuning.DEFAULTS), name);
        }
    }

    @Test
    void aKnobTunesThePartsThatHaveItAndNothingElse() {
        PolicyTuning tuned = PolicyTuning.DEFAULTS.withUcbAlpha(2.0).withRidge(4.0).withGammaScale(3.0).withGammaMin(1.0);
        PolicyConfig linucb = PolicyFactory.config(PolicyFactory.LINUCB, 3, tuned);
        org.junit.jupiter.api.Assertions.assertEquals(new UpperConfidence.Config(2.0), linucb.exploration());
        org.junit.jupiter.api.Assertions.assertEquals(4.0, ((RidgeScorer.Config) linucb.scorer()).ridge());
        org.junit.jupiter.api.Assertions.assertEquals(new InverseGap.Config(3.0, 0.5, 1.0),
                PolicyFactory.config(PolicyFactory.SQUARECB, 3, tuned).exploration());
        PolicyConfig linear = PolicyFactory.config(PolicyFactory.SQUARECB_LINEAR, 3, tuned);
        org.junit.jupiter.api.Assertions.assertEquals(InverseGap.Config.defaults(), linear.exploration(),
                "squarecb's gamma knobs are the served policy's; squarecb-linear keeps its schedule");
        org.junit.jupiter.api.Assertions.assertEquals(4.0, ((RidgeScorer.Config) linear.scorer()).ridge());
        org.junit.jupiter.api.Assertions.assertEquals(PolicyFactory.defaults(PolicyFactory.GREEDY, 3).exploration(),
                PolicyFactory.config(PolicyFactory.GREEDY, 3, tuned).exploration());
    }
}
