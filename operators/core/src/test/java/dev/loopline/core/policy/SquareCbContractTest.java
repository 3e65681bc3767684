package dev.loopline.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.model.Mlp;
import dev.loopline.core.model.ServingModel;
import dev.loopline.core.model.TestNetworks;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SquareCB over a fixed, hand-made reward model (context, the {@code cost} action feature, action ids). */
class SquareCbContractTest extends PolicyContractTest {
    static final SquareCb.Config CONFIG = SquareCb.Config.defaults();
    static final FeatureLayout LAYOUT = FeatureLayout.ofContextAndActions(CONTEXT, List.of(ACTION_FEATURE), ACTIONS);
    static final long VERSION = 3;
    static final long EXAMPLES = 400;

    /** SquareCB with a model; its state is the model, which it never changes itself. */
    record SquareCbSubject(SquareCb policy, ServingModel model) implements Subject {
        @Override
        public Choice choose(DecisionInput input, SplittableRandom random) {
            return policy.choose(input, model, random);
        }

        @Override
        public void learn(DecisionInput input, int chosen, double reward) {
            // SquareCB learns through the trainer, which publishes a new model version.
        }

        @Override
        public Subject copy() {
            return new SquareCbSubject(policy, model);
        }

        /** The model published as bytes and read back, as a serving operator receives it. */
        @Override
        public Subject roundTrip() {
            if (model == null) {
                return new SquareCbSubject(new SquareCb(CONFIG), null);
            }
            ServingModel restored = new ServingModel(model.version(), new FeatureLayout(model.layout().names()),
                    Mlp.decode(model.network().encode()), model.trainedExamples());
            return new SquareCbSubject(new SquareCb(CONFIG), restored);
        }
    }

    static ServingModel model() {
        return new ServingModel(VERSION, LAYOUT, TestNetworks.random(LAYOUT.dimension(), 6, 0.8, 5), EXAMPLES);
    }

    @Override
    protected Subject newSubject() {
        return new SquareCbSubject(new SquareCb(CONFIG), model());
    }

    @Override
    protected boolean learnsOnline() {
        return false;
    }

    // ---- SquareCB specifics --------------------------------------------------------------------

    @Test
    void distributionIsTheInverseGapWeightingOfTheModelsScores() {
        SquareCb policy = new SquareCb(CONFIG);
        ServingModel model = model();
        double gamma = policy.gamma(EXAMPLES);
        assertEquals(20.0, gamma, 1e-12, "max(gammaMin 10, 1 * sqrt(400))");
        int explored = 0;
        for (DecisionInput input : probes(1_000, 21)) {
            Choice choice = policy.choose(input, model, Draws.forEvent(SEED, input.eventId()));
            assertEquals(SquareCb.NAME, choice.policy());
            assertEquals(VERSION, choice.modelVersion());
            int k = input.size();
            double[] expectedScores = new double[k];
            int best = 0;
            for (int a = 0; a < k; a++) {
                expectedScores[a] = model.network().score(
                        LAYOUT.vectorize(input.context(), input.actionIds().get(a), input.actionFeatures().get(a)));
                assertEquals(expectedScores[a], choice.scores()[a], 0.0, "score of action " + a);
                if (expectedScores[a] > expectedScores[best]) {
                    best = a;
                }
            }
            double rest = 0;
            for (int a = 0; a < k; a++) {
                if (a != best) {
                    double p = 1.0 / (k + gamma * (expectedScores[best] - expectedScores[a]));
                    assertEquals(p, choice.probabilities()[a], 1e-15, "p(" + a + ")");
                    rest += p;
                }
            }
            assertEquals(1.0 - rest, choice.probabilities()[best], 1e-12, "the best action takes the rest");
            assertTrue(choice.probabilities()[best] >= 1.0 / k - 1e-12, "the best action gets at least 1/K");
            assertEquals(choice.index() != best, choice.explored());
            if (choice.explored()) {
                explored++;
            }
        }
        assertTrue(explored > 0 && explored < 1_000, "SquareCB should explore sometimes: " + explored);
    }

    @Test
    void gammaGrowsWithTheSquareRootOfTheExamplesAboveTheFloor() {
        SquareCb policy = new SquareCb(new SquareCb.Config(2.0, 5.0));
        assertEquals(5.0, policy.gamma(0));
        assertEquals(5.0, policy.gamma(1));
        assertEquals(5.0, policy.gamma(4)); // 2 * 2 = 4 < 5
        assertEquals(20.0, policy.gamma(100));
        assertEquals(2000.0, policy.gamma(1_000_000));
        assertEquals(2.0, new SquareCb(new SquareCb.Config(2.0, 0)).gamma(-3), "negative counts read as 1");
    }

    @Test
    void configRefusesValuesOutsideTheirRangeAndNamesThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SquareCb.Config(0, 1));
        assertTrue(e.getMessage().contains("gammaScale=0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SquareCb.Config(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new SquareCb.Config(1e5, 1));
        e = assertThrows(IllegalArgumentException.class, () -> new SquareCb.Config(1, -1));
        assertTrue(e.getMessage().contains("gammaMin=-1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SquareCb.Config(1, Double.NaN));
    }

    @Test
    void aModelWhoseLayoutDisagreesWithItsNetworkCannotServe() {
        Mlp network = TestNetworks.random(LAYOUT.dimension() + 1, 3, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> new ServingModel(1, LAYOUT, network, 10));
    }

    @Test
    void equalScoresShareTheMassEvenly() {
        // A network that ignores its input (all weights zero) scores every action the same.
        int dim = LAYOUT.dimension();
        Mlp flat = new Mlp(new int[] {dim}, new int[] {1}, new float[][] {new float[dim]}, new float[][] {{0.25f}});
        ServingModel model = new ServingModel(1, LAYOUT, flat, 1_000_000);
        DecisionInput input = probes(1, 31).get(0);
        Choice choice = new SquareCb(CONFIG).choose(input, model, Draws.forEvent(SEED, input.eventId()));
        for (double p : choice.probabilities()) {
            assertEquals(1.0 / input.size(), p, 1e-12);
        }
    }
}
