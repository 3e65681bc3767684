package dev.loopline.envs.vehicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.control.ControlEnvironmentContractTest;
import dev.loopline.schemas.ContextEvent;
import org.junit.jupiter.api.Test;

class AdaptiveCruiseSimulatorTest extends ControlEnvironmentContractTest {

    @Override
    protected AdaptiveCruiseSimulator create(long seed) {
        return new AdaptiveCruiseSimulator(AdaptiveCruiseConfig.defaults(seed));
    }

    @Override
    protected double rewardNoise() {
        return AdaptiveCruiseConfig.DEFAULT_REWARD_NOISE;
    }

    @Test
    void idmExpertBehavesLikeADriver() {
        // free road, below the set speed: accelerate; far below the desired gap and closing: brake hard
        assertTrue(AdaptiveCruiseSimulator.idm(20, 30, 150, 30) > 0.5);
        assertTrue(AdaptiveCruiseSimulator.idm(25, 10, 15, 30) < -3);
        // following at the desired gap at the lead's speed: about zero
        assertEquals(0.0, AdaptiveCruiseSimulator.idm(20, 20, 2 + 20 * 1.5, 40), 0.2);
    }

    /** Measured once (seed 42, 100k events, no drift): expert (IDM) 0.824, oracle 0.834, uniform 0.715. */
    @Test
    void expertBeatsUniformRandomByAClearMargin() {
        Means m = expertMeans(new AdaptiveCruiseSimulator(AdaptiveCruiseConfig.defaults(42).withoutDrift()), 100_000);
        System.out.println("vehicle seed 42, 100k events: " + m);
        assertTrue(m.policy() - m.uniform() > 0.08, "expert - uniform " + (m.policy() - m.uniform()));
        assertTrue(m.oracle() >= m.policy(), "the oracle is at least the expert");
        assertEquals(m.policy(), m.realizedPolicy(), 0.005, "realized rewards follow the oracle");
    }

    /**
     * Rain (braking capped at 4 m/s^2, desired headway 2.5 s) calls for gentler driving with the same
     * telemetry. Measured once (seed 5, 20k pre-drift states scored before and after the drift): the best
     * acceleration goes down in 48.9% of states and up in 0.14%. Asserted with margins.
     */
    @Test
    void rainMakesTheBestAccelerationLowerAsDocumented() {
        AdaptiveCruiseSimulator sim = create(5);
        int n = 20_000;
        int up = 0;
        int down = 0;
        for (int i = 0; i < n; i++) {
            ContextEvent e = sim.next(T0 + i);
            int b = bestLevel(sim, e, e.getTimestamp());
            int a = bestLevel(sim, e, T0 + 40_000);
            up += a > b ? 1 : 0;
            down += a < b ? 1 : 0;
        }
        System.out.printf("vehicle drift: best acceleration up in %.4f, down in %.4f of states%n", up / (double) n,
                down / (double) n);
        assertTrue(down > 0.40 * n, "down: " + down);
        assertTrue(up < 0.005 * n, "up: " + up);
        assertEquals(2.5, sim.desiredHeadway(true));
        assertEquals(4.0, sim.maxDeceleration(true));
    }

    @Test
    void invalidConfigIsRefusedWithAUsefulMessage() {
        AdaptiveCruiseConfig d = AdaptiveCruiseConfig.defaults(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withVehicles(5000));
        assertTrue(e.getMessage().contains("vehicles 5000") && e.getMessage().contains("[1, 1000]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withTraffic(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> d.withDrift(1, 0.1, 4));
        assertThrows(IllegalArgumentException.class, () -> d.withDrift(1, 2.5, 0));
    }
}
