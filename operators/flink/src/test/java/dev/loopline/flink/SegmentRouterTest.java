package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.feedback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.schemas.internal.LoopInput;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Segment scope: a decision's feedback, which names only the entity, reaches the decision's segment. */
class SegmentRouterTest {

    @Test
    void feedbackFollowsItsDecisionToTheSegment() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SegmentRouter(List.of("x0"), 60_000)), LoopKeys::entityOf, Types.STRING)) {
            h.open();
            h.processElement(context("u1", "e1", 1_000, 1.0, 0.0), 1_000);
            h.processElement(context("u1", "e2", 1_000, 0.0, 0.0), 1_000);
            h.processElement(feedback("u1", "e1", 1_500, 1.0), 1_500);
            h.processElement(feedback("u1", "e2", 1_500, 1.0), 1_500);
            h.processElement(feedback("u1", "never", 1_500, 1.0), 1_500);
            List<String> keys = h.extractOutputValues().stream().map(LoopKeys::routingOf).toList();
            assertEquals(List.of("seg:x0=1", "seg:x0=0", "seg:x0=1", "seg:x0=0"), keys.subList(0, 4));
            assertTrue(keys.get(4).startsWith("unrouted:"), "unknown feedback goes where the loop refuses it: " + keys.get(4));
        }
    }

    @Test
    void segmentNamesAreStableAndReadable() {
        assertEquals("seg:a=1,b=0.2500", SegmentRouter.segmentOf(Map.of("a", 1.0, "b", 0.25), List.of("a", "b")));
        assertEquals("seg:missing=0", SegmentRouter.segmentOf(Map.of(), List.of("missing")));
    }
}
