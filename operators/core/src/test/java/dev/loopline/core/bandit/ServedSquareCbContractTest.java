package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.model.Mlp;
import dev.loopline.core.model.ServingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SquareCB over a reward model trained elsewhere: the scorer serves, it does not learn. */
class ServedSquareCbContractTest extends BanditPolicyContractTest {
    static final ServingModel MODEL = model(42);

    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.SQUARECB, SEED);
    }

    @Override
    protected void prepare(BanditPolicy policy) {
        ((ServingModelScorer) policy.scorer()).use(MODEL);
    }

    @Override
    protected boolean learns() {
        return false;
    }

    @Test
    void decisionsCarryTheServedVersionAndAreUniformBeforeTheFirstOne() {
        BanditPolicy policy = PolicyFactory.create(config());
        DecisionInput input = new DecisionInput("v", Map.of("x0", 1.0), List.of("a0", "a1", "a2", "a3"),
                List.of(Map.of(), Map.of(), Map.of(), Map.of()));
        BanditDecision before = policy.choose(input);
        assertEquals(0L, before.modelVersion());
        assertEquals("squarecb/fallback", before.policy(), "the safe default is logged as such");
        assertFalse(before.explored());
        for (double p : before.probabilities()) {
            assertEquals(0.25, p, 1e-12);
        }
        prepare(policy);
        BanditDecision served = policy.choose(input);
        assertEquals(MODEL.version(), served.modelVersion());
        assertEquals("squarecb", served.policy());
    }

    @Test
    void withoutAModelEveryActionIsDrawnEquallyOften() {
        BanditPolicy policy = PolicyFactory.create(config());
        List<String> actions = List.of("a0", "a1", "a2", "a3");
        int[] counts = new int[actions.size()];
        int n = 8_000;
        for (int i = 0; i < n; i++) {
            DecisionInput input = new DecisionInput("f-" + i, Map.of(), actions, java.util.Collections.nCopies(4, Map.of()));
            counts[policy.choose(input).index()]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - n / actions.size()) < 150, "fallback is not uniform: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void gammaFollowsTheServedModelsExamplesWithItsFloor() {
        InverseGap gap = new InverseGap((InverseGap.Config) config().exploration());
        assertEquals(10.0, gap.gamma(1), 1e-12, "a young model explores at the floor");
        assertEquals(10.0, gap.gamma(100), 1e-12);
        assertEquals(100.0, gap.gamma(10_000), 1e-12, "then gamma = sqrt(examples)");
        PolicyConfig tuned = PolicyFactory.config(PolicyFactory.SQUARECB, SEED, PolicyTuning.DEFAULTS.withGammaScale(2.0).withGammaMin(5.0));
        InverseGap tunedGap = new InverseGap((InverseGap.Config) tuned.exploration());
        assertEquals(5.0, tunedGap.gamma(1), 1e-12);
        assertEquals(200.0, tunedGap.gamma(10_000), 1e-12);
    }

    static ServingModel model(long seed) {
        List<String> actions = new ArrayList<>();
        for (int a = 0; a < 10; a++) {
            actions.add("a" + a);
        }
        FeatureLayout layout = FeatureLayout.ofContextAndActions(CONTEXT, List.of("cost"), actions);
        int d = layout.dimension();
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[d];
        for (int i = 0; i < d; i++) {
            w[i] = (float) (random.nextGaussian() * 0.01);
        }
        Mlp network = new Mlp(new int[] {d}, new int[] {1}, new float[][] {w}, new float[][] {{0.1f}});
        return new ServingModel(7L, layout, network, 5_000L);
    }
}
