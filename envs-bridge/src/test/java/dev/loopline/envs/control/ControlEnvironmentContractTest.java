package dev.loopline.envs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.EnvironmentContractTest;
import dev.loopline.envs.Outcome;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every control task adds to the environment contract: all levels offered in every event, the
 * oracle equals the recomputed expected reward, realized rewards stay within the noise bound and
 * average to the oracle, and the expert's action is a valid, deterministic level.
 */
public abstract class ControlEnvironmentContractTest extends EnvironmentContractTest {

    @Override
    protected abstract ControlSimulator create(long seed);

    /** The configured outcome noise bound. */
    protected abstract double rewardNoise();

    @Test
    void oracleIsTheExactExpectedRewardOfEveryLevel() {
        ControlSimulator env = create(11);
        double bias = 0;
        int n = 20_000;
        int count = 0;
        for (int i = 0; i < n; i++) {
            ContextEvent e = env.next(time(i));
            assertEquals(env.actionIds(), offered(e));
            Map<String, Double> oracle = e.getOracleRewards();
            for (Action a : e.getActions()) {
                int k = env.actionIndex(a.getActionId());
                double expected = oracle.get(a.getActionId());
                assertEquals(expected, env.expectedReward(e, k), 0.0, "oracle is recomputable exactly");
                Outcome o = env.outcome(e, a.getActionId());
                assertTrue(Math.abs(o.reward() - expected) <= rewardNoise() + 1e-12,
                        "realized " + o.reward() + " vs expected " + expected);
                bias += o.reward() - expected;
                count++;
            }
            int expert = env.expertActionIndex(e);
            assertTrue(expert >= 0 && expert < env.actionIds().size(), "expert index " + expert);
            assertEquals(expert, env.expertActionIndex(e));
        }
        // the noise is zero-mean: over 100k+ outcomes the mean error is far below its bound
        assertEquals(0.0, bias / count, rewardNoise() / 50, "mean realized - expected");
    }

    /**
     * Mean expected reward of the expert, the oracle-greedy policy and uniform random over {@code n}
     * events of a drift-free environment.
     */
    protected static Means expertMeans(ControlSimulator env, int n) {
        return measure(env, n, e -> env.actionIds().get(env.expertActionIndex(e)), i -> T0 + i);
    }

    /** Index of the best level by the oracle (the lowest one on ties). */
    protected static int bestLevel(ControlSimulator env, ContextEvent e, long timestamp) {
        ContextEvent at = ContextEvent.newBuilder(e).setTimestamp(timestamp).build();
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < env.actionIds().size(); k++) {
            double v = env.expectedReward(at, k);
            if (v > bestValue) {
                bestValue = v;
                best = k;
            }
        }
        return best;
    }
}
