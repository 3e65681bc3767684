package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.ACTIONS;
import static dev.loopline.flink.LoopHarness.CONTEXT;
import static dev.loopline.flink.LoopHarness.SEED;
import static dev.loopline.flink.LoopHarness.TOMBSTONE;
import static dev.loopline.flink.LoopHarness.WAIT;
import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.decisions;
import static dev.loopline.flink.LoopHarness.feedback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Explanation;
import org.junit.jupiter.api.Test;

class LoopFunctionExplainTest {
    private static LoopSettings explaining(String policy, double rate) {
        return LoopSettings.of(policy, SEED, CONTEXT, WAIT, 0.0, false, TOMBSTONE).withExplainRate(rate);
    }

    @Test
    void linUcbExplainsScoresBonusAndTopFeatures() throws Exception {
        try (var h = LoopHarness.open(explaining(PolicyFactory.LINUCB, 1.0))) {
            h.processElement(context("u1", "e1", 1_000, 1.0, 0.5), 1_000);
            String chosen = decisions(h).get(0).getActionId();
            h.processElement(feedback("u1", "e1", 1_100, 1.0), 1_100);
            h.processElement(context("u1", "e2", 1_200, 1.0, 0.5), 1_200);
            Explanation why = decisions(h).get(1).getExplanation();
            assertEquals(ACTIONS.size(), why.getScores().size(), "a score per offered action");
            assertEquals(ACTIONS.size(), why.getBonus().size());
            assertTrue(why.getBonus().values().stream().allMatch(b -> b > 0), "UCB widths are positive");
            assertTrue(why.getScores().get(chosen) > 0, "the rewarded action now scores above zero");
            assertTrue(why.getTopFeatures().containsKey("x0"), "x0 drove the score: " + why.getTopFeatures());
        }
    }

    @Test
    void suitePoliciesExplainToo() throws Exception {
        try (var h = LoopHarness.open(explaining("regcb-opt", 1.0))) {
            h.processElement(context("u1", "e1", 1_000, 1.0, 0.5), 1_000);
            Decision d = decisions(h).get(0);
            assertEquals("regcb-opt", d.getPolicy());
            assertEquals(ACTIONS.size(), d.getExplanation().getScores().size());
        }
    }

    @Test
    void withoutARateDecisionsCarryNoExplanation() throws Exception {
        try (var h = LoopHarness.open(explaining(PolicyFactory.LINUCB, 0.0))) {
            h.processElement(context("u1", "e1", 1_000, 1.0, 0.5), 1_000);
            assertNull(decisions(h).get(0).getExplanation());
        }
    }
}
