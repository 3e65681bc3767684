package dev.loopline.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.internal.LoopInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** A record stamped far ahead of its broker append time is a dead letter, so it cannot carry the loop's event time away. */
class DecodeLoopInputTest {
    private static final long APPENDED = 1_700_000_000_000L;
    private static final long SKEW = 300_000;
    private static final long CENTURY = 100L * 365 * 24 * 3600 * 1000;

    private static RawRecord context(String id, long timestamp) {
        ContextEvent event = ContextEvent.newBuilder().setEventId(id).setEntityId("e").setTimestamp(timestamp)
                .setFeatures(Map.of("x", 1.0)).setActions(List.of(new Action("a", Map.of()))).build();
        return new RawRecord("loopline.context", 0, 7, APPENDED, "e".getBytes(StandardCharsets.UTF_8),
                Codecs.context().encode(event));
    }

    private static RawRecord feedback(String id, long timestamp) {
        Feedback f = Feedback.newBuilder().setDecisionId(id).setEntityId("e").setTimestamp(timestamp).setReward(1).build();
        return new RawRecord("loopline.feedback", 0, 8, APPENDED, "e".getBytes(StandardCharsets.UTF_8),
                Codecs.feedback().encode(f));
    }

    @Test
    void aContextOrFeedbackFromTheFutureIsADeadLetterAndTheRestPasses() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, LoopInput> contexts =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeLoopInput(DecodeLoopInput.Kind.CONTEXT, SKEW))) {
            contexts.processElement(new StreamRecord<>(context("late-ok", APPENDED - 3_600_000)));
            contexts.processElement(new StreamRecord<>(context("skewed-ok", APPENDED + SKEW)));
            contexts.processElement(new StreamRecord<>(context("century", APPENDED + CENTURY)));
            assertEquals(List.of("late-ok", "skewed-ok"),
                    contexts.extractOutputValues().stream().map(i -> i.getContext().getEventId()).toList());
            List<DeadLetter> refused = contexts.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertEquals(1, refused.size());
            assertTrue(refused.get(0).getReason().contains("context event century")
                    && refused.get(0).getReason().contains("limits.maxClockSkewMillis"), refused.get(0).getReason());
        }
        try (OneInputStreamOperatorTestHarness<RawRecord, LoopInput> feedback =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeLoopInput(DecodeLoopInput.Kind.FEEDBACK, SKEW))) {
            feedback.processElement(new StreamRecord<>(feedback("d1", APPENDED + CENTURY)));
            feedback.processElement(new StreamRecord<>(feedback("d2", APPENDED)));
            assertEquals(1, feedback.extractOutputValues().size());
            assertEquals(1, feedback.getSideOutput(DeadLetters.TAG).size());
        }
        try (OneInputStreamOperatorTestHarness<RawRecord, LoopInput> unchecked =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeLoopInput(DecodeLoopInput.Kind.CONTEXT, 0))) {
            unchecked.processElement(new StreamRecord<>(context("century", APPENDED + CENTURY)));
            assertEquals(1, unchecked.extractOutputValues().size(), "0: unchecked");
        }
    }
}
