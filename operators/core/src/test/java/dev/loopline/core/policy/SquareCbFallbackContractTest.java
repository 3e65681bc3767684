package dev.loopline.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.policy.SquareCbContractTest.SquareCbSubject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SquareCB before any model version has arrived: the uniform safe default. */
class SquareCbFallbackContractTest extends PolicyContractTest {
    @Override
    protected Subject newSubject() {
        return new SquareCbSubject(new SquareCb(SquareCbContractTest.CONFIG), null);
    }

    @Override
    protected boolean learnsOnline() {
        return false;
    }

    @Test
    void withoutAModelTheChoiceIsUniformAndMarkedAsFallback() {
        SquareCb policy = new SquareCb(SquareCbContractTest.CONFIG);
        int[] counts = new int[ACTIONS.size()];
        List<Map<String, Double>> features = java.util.Collections.nCopies(ACTIONS.size(), Map.of());
        int n = 8_000;
        for (int i = 0; i < n; i++) {
            DecisionInput input = new DecisionInput("f-" + i, Map.of(), ACTIONS, features);
            Choice choice = policy.choose(input, null, Draws.forEvent(SEED, input.eventId()));
            assertEquals(SquareCb.FALLBACK, choice.policy());
            assertEquals("squarecb/fallback", choice.policy());
            assertEquals(0L, choice.modelVersion());
            assertFalse(choice.explored());
            assertEquals(1.0 / ACTIONS.size(), choice.propensity(), 1e-15);
            counts[choice.index()]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - n / ACTIONS.size()) < 150, "fallback is not uniform: " + java.util.Arrays.toString(counts));
        }
    }
}
