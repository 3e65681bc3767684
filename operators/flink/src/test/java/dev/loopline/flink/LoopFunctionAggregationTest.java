package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.CONTEXT;
import static dev.loopline.flink.LoopHarness.SEED;
import static dev.loopline.flink.LoopHarness.TOMBSTONE;
import static dev.loopline.flink.LoopHarness.WAIT;
import static dev.loopline.flink.LoopHarness.rewardTotal;
import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.decisions;
import static dev.loopline.flink.LoopHarness.feedback;
import static dev.loopline.flink.LoopHarness.joined;
import static dev.loopline.flink.LoopHarness.learned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.join.FeedbackJoin;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.LoopInput;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Feedback aggregation {@code sum}: several outcomes of one decision are summed over the wait window. */
class LoopFunctionAggregationTest {
    private KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h;

    private static LoopSettings summing() {
        return LoopHarness.linUcb(0.0, false).withAggregation(FeedbackJoin.Aggregation.SUM);
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void feedbackInsideTheWindowIsSummedAndLearnedOnceWhenItCloses() throws Exception {
        h = LoopHarness.open(summing());
        h.processElement(context("u1", "e1", 1_000, 1.0, 0.0), 1_000);
        String action = decisions(h).get(0).getActionId();

        h.processElement(feedback("u1", "e1", 1_200, 0.25), 1_200);
        h.processElement(feedback("u1", "e1", 1_400, 0.5), 1_400);
        h.processElement(feedback("u1", "e1", 1_400, 0.5), 1_400); // redelivered: same event time
        assertTrue(joined(h).isEmpty(), "nothing is learned before the window closes");
        assertEquals(0, learned(h, "u1", action));

        h.processWatermark(2_100);
        assertEquals(1, joined(h).size());
        JoinedExample example = joined(h).get(0);
        assertEquals(JoinOutcome.JOINED, example.getOutcome());
        assertEquals(0.75, example.getReward(), 1e-12, "0.25 + 0.5, the redelivery not counted");
        assertEquals(1, learned(h, "u1", action), "learned once");
        assertEquals(0.75, rewardTotal(h, "u1", action), 1e-12, "the sum is learned as one outcome");
    }

    @Test
    void withoutFeedbackTheWindowStillEndsInTheDefaultReward() throws Exception {
        h = LoopHarness.open(summing());
        h.processElement(context("u1", "e1", 1_000, 1.0, 0.0), 1_000);
        h.processWatermark(2_100);
        assertEquals(JoinOutcome.TIMED_OUT, joined(h).get(0).getOutcome());
        h.processElement(feedback("u1", "e1", 2_500, 1.0), 2_500);
        assertEquals(JoinOutcome.LATE, joined(h).get(1).getOutcome());
    }

    @Test
    void anUnknownAggregationIsRefusedWhenTheJobIsBuilt() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FeedbackJoin.Aggregation.parse("mean"));
        assertTrue(e.getMessage().contains("aggregation 'mean' is unknown"), e.getMessage());
    }
}
