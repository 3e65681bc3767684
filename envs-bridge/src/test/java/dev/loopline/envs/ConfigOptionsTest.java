package dev.loopline.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.motor.DcMotorSimulator;
import dev.loopline.envs.recommender.RecommenderSimulator;
import dev.loopline.envs.robot.CartPoleConfig;
import dev.loopline.envs.robot.CartPoleSimulator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `--env-option NAME=VALUE` sets any scalar of a simulator's config; the config's own checks still apply. */
class ConfigOptionsTest {

    @Test
    void anOptionSetsOneComponentAndLeavesTheRestAtTheDefaults() {
        CartPoleSimulator robot = (CartPoleSimulator) Environments.create("robot", 4,
                Map.of("driftAfterMillis", "5000", "robots", "3"));
        CartPoleConfig c = robot.config();
        CartPoleConfig d = CartPoleConfig.defaults(4);
        assertEquals(5000, c.driftAfterMillis());
        assertEquals(3, c.robots());
        assertEquals(d.maxForce(), c.maxForce());
        assertEquals(d.delays(), c.delays());
        assertEquals(4, c.seed(), "the seed comes from --seed");
        assertTrue(ConfigOptions.names(CartPoleConfig.class).contains("pushProbability"));
        assertTrue(!ConfigOptions.names(CartPoleConfig.class).contains("seed"));
    }

    @Test
    void badNamesValuesAndRangesAreRefusedNamingTheOption() {
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> Environments.create(DcMotorSimulator.NAME, 1, Map.of("colour", "red")));
        assertTrue(unknown.getMessage().contains("motor has no option \"colour\"") && unknown.getMessage().contains("voltageLevels"),
                unknown.getMessage());
        var notANumber = assertThrows(IllegalArgumentException.class,
                () -> Environments.create(RecommenderSimulator.NAME, 1, Map.of("users", "many")));
        assertTrue(notANumber.getMessage().contains("users=many is not a int number"), notANumber.getMessage());
        var outOfRange = assertThrows(IllegalArgumentException.class,
                () -> Environments.create(CartPoleSimulator.NAME, 1, Map.of("maxForce", "-1")));
        assertTrue(outOfRange.getMessage().contains("maxForce"), outOfRange.getMessage());
        var replay = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("supervised:x.csv", 1, Map.of("users", "3")));
        assertTrue(replay.getMessage().contains("takes no options"), replay.getMessage());
    }
}
