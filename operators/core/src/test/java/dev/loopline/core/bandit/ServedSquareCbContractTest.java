package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.model.Mlp;
import dev.loopline.core.model.ServingModel;
import dev.loopline.core.policy.DecisionInput;
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
        return new PolicyConfig("squarecb-served", SEED, FeatureSpace.Config.defaults(), new ServingModelScorer.Config(),
                InverseGap.Config.defaults());
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
        for (double p : before.probabilities()) {
            assertEquals(0.25, p, 1e-12);
        }
        prepare(policy);
        assertEquals(MODEL.version(), policy.choose(input).modelVersion());
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
