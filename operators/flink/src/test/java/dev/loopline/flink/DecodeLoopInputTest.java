package dev.loopline.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.validate.Limits;
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
    private static final Limits LIMITS = new Limits(Limits.DEFAULTS.maxRecordBytes(), Limits.DEFAULTS.maxFeatures(),
            Limits.DEFAULTS.maxActions(), SKEW, Limits.DEFAULTS.maxAgeMillis());

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
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeLoopInput(DecodeLoopInput.Kind.CONTEXT, LIMITS))) {
            contexts.processElement(new StreamRecord<>(context("late-ok", APPENDED - 3_600_000)));
            contexts.processElement(new StreamRecord<>(context("ancient", APPENDED - CENTURY)));
            contexts.processElement(new StreamRecord<>(context("skewed-ok", APPENDED + SKEW)));
            contexts.processElement(new StreamRecord<>(context("century", APPENDED + CENTURY)));
            assertEquals(List.of("late-ok", "skewed-ok"),
                    contexts.extractOutputValues().stream().map(i -> i.getContext().getEventId()).toList());
            List<DeadLetter> refused = contexts.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertEquals(2, refused.size());
            assertTrue(refused.get(0).getReason().startsWith("past-timestamp: context event ancient"), refused.get(0).getReason());
            refused = refused.subList(1, 2);
            assertTrue(refused.get(0).getReason().startsWith("future-timestamp: ")
                    && refused.get(0).getReason().contains("context event century")
                    && refused.get(0).getReason().contains("limits.maxClockSkewMillis"), refused.get(0).getReason());
        }
        try (OneInputStreamOperatorTestHarness<RawRecord, LoopInput> feedback =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeLoopInput(DecodeLoopInput.Kind.FEEDBACK, LIMITS))) {
            feedback.processElement(new StreamRecord<>(feedback("d1", APPENDED + CENTURY)));
            feedback.processElement(new StreamRecord<>(feedback("d2", APPENDED)));
            assertEquals(1, feedback.extractOutputValues().size());
            assertEquals(1, feedback.getSideOutput(DeadLetters.TAG).size());
        }
        try (OneInputStreamOperatorTestHarness<RawRecord, LoopInput> unchecked =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeLoopInput(DecodeLoopInput.Kind.CONTEXT, new Limits(1 << 20, 100, 100, 0, 0)))) {
            unchecked.processElement(new StreamRecord<>(context("century", APPENDED + CENTURY)));
            assertEquals(1, unchecked.extractOutputValues().size(), "0: unchecked");
        }
    }

    /**
     * The bad-input corpus (twelve kinds, twice over): every record the decoder can judge alone becomes
     * exactly one dead letter whose reason names the kind; feedback for a decision never made passes the
     * decoder and is the decide-and-learn operator's to refuse (unknown-decision, {@code LoopFunctionJoinTest}).
     */
    @Test
    void everyKindOfTheCorpusIsOneDeadLetterNamingItsKind() throws Exception {
        dev.loopline.envs.BadRecords corpus = new dev.loopline.envs.BadRecords(3, "payments");
        List<dev.loopline.envs.BadRecord> records = corpus.next(2 * dev.loopline.envs.BadRecord.Kind.values().length, APPENDED);
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        try (var contexts = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeLoopInput(DecodeLoopInput.Kind.CONTEXT, LIMITS));
                var feedback = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeLoopInput(DecodeLoopInput.Kind.FEEDBACK, LIMITS))) {
            for (dev.loopline.envs.BadRecord bad : records) {
                var harness = bad.topic() == dev.loopline.envs.BadRecord.Topic.CONTEXT ? contexts : feedback;
                int before = harness.getSideOutput(DeadLetters.TAG) == null ? 0 : harness.getSideOutput(DeadLetters.TAG).size();
                int passedBefore = harness.extractOutputValues().size();
                harness.processElement(new StreamRecord<>(new RawRecord("t", 0, 0, APPENDED, bad.key(), bad.value())));
                if (bad.kind() == dev.loopline.envs.BadRecord.Kind.ORPHAN_FEEDBACK) {
                    assertEquals(passedBefore + 1, harness.extractOutputValues().size(), "decided later, by its key's state");
                    continue;
                }
                var letters = harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
                assertEquals(before + 1, letters.size(), bad.kind() + " is exactly one dead letter");
                String reason = letters.get(letters.size() - 1).getReason();
                assertEquals(bad.kind().deadLetterKind(), dev.loopline.schemas.codec.RecordRejectedException.kindOf(reason), reason);
                kinds.add(bad.kind().deadLetterKind());
            }
            assertEquals(0, contexts.extractOutputValues().size(), "no bad context event reaches the loop");
        }
        assertEquals(11, kinds.size(), "eleven kinds judged here, the twelfth by the loop: " + kinds);
    }
}
