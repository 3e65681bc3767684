package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.ACTIONS;
import static dev.loopline.flink.LoopHarness.policy;
import static dev.loopline.flink.LoopHarness.rewardTotal;
import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.deadLetters;
import static dev.loopline.flink.LoopHarness.decisions;
import static dev.loopline.flink.LoopHarness.feedback;
import static dev.loopline.flink.LoopHarness.joined;
import static dev.loopline.flink.LoopHarness.last;
import static dev.loopline.flink.LoopHarness.learned;
import static dev.loopline.flink.LoopHarness.linUcb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.LoopInput;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delayed-feedback join of {@link LoopFunction} under LinUCB: decide, wait in event time, join or
 * time out, learn once. Deadlines are {@code timestamp + 1000 ms} rounded up to 100 ms.
 */
class LoopFunctionJoinTest {
    private KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private void open(LoopSettings settings) throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new LoopFunction(settings),
                LoopKeys::entityOf, Types.STRING, LoopFunction.MODELS);
        // The model stream never holds event time back (as in the job).
        h.processBroadcastWatermark(Long.MAX_VALUE - 1);
    }

    private void send(LoopInput input) throws Exception {
        long t = input.getContext() != null ? input.getContext().getTimestamp() : input.getFeedback().getTimestamp();
        h.processElement(input, t);
    }

    @Test
    void aDecidedContextJoinsItsFeedbackAndLearnsFromIt() throws Exception {
        open(linUcb(0.0, false));
        send(context("u1", "e1", 1_000, 1.0, 0.5));
        assertEquals(1, decisions(h).size());
        Decision d = decisions(h).get(0);
        assertEquals("e1", d.getDecisionId());
        assertEquals("u1", d.getEntityId());
        assertEquals(1_000, d.getTimestamp());
        assertEquals(PolicyFactory.LINUCB, d.getPolicy());
        assertEquals(0L, d.getModelVersion());
        assertEquals(ACTIONS, List.copyOf(d.getProbabilities().keySet()), "one probability per offered action, in order");
        assertEquals(1.0, d.getProbabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertEquals(1.0 / 3, d.getPropensity(), 1e-12, "three untried actions tie");
        assertEquals(d.getProbabilities().get(d.getActionId()), d.getPropensity());
        assertFalse(d.getExplored());
        assertTrue(joined(h).isEmpty());
        assertEquals(1, h.numEventTimeTimers(), "a timer at the decision's deadline");

        send(feedback("u1", "e1", 1_500, 1.0));
        assertEquals(1, joined(h).size());
        JoinedExample example = joined(h).get(0);
        assertEquals(JoinOutcome.JOINED, example.getOutcome());
        assertEquals(1.0, example.getReward());
        assertEquals(1_500, example.getResolvedAt());
        assertEquals(d, example.getDecision());
        assertEquals("e1", example.getContext().getEventId());
        assertEquals(1, learned(h, "u1", d.getActionId()), "the chosen arm learned once");
        assertEquals(1.0, rewardTotal(h, "u1", d.getActionId()), 1e-12, "the reward it learned");
        for (String other : ACTIONS) {
            if (!other.equals(d.getActionId())) {
                assertEquals(0, learned(h, "u1", other), "only the chosen arm learns");
            }
        }

        // The same context again: the rewarded action now has the only positive mean (alpha is 0).
        send(context("u1", "e2", 1_600, 1.0, 0.5));
        Decision d2 = last(decisions(h));
        assertEquals(d.getActionId(), d2.getActionId());
        assertEquals(1.0, d2.getPropensity());

        // e1's deadline passes: it was joined, so no timeout; e2's deadline then times e2 out.
        h.processWatermark(2_000);
        assertEquals(1, joined(h).size(), "a joined decision does not also time out");
        h.processWatermark(2_600);
        assertEquals(2, joined(h).size());
        assertEquals(JoinOutcome.TIMED_OUT, joined(h).get(1).getOutcome());
        assertEquals("e2", joined(h).get(1).getDecision().getDecisionId());
        assertTrue(deadLetters(h).isEmpty());
    }

    @Test
    void withoutFeedbackTheWatermarkTimesTheDecisionOutWithTheDefaultReward() throws Exception {
        open(linUcb(0.25, false));
        send(context("u1", "e1", 1_001, 2.0, -1.0)); // deadline 2001, rounded up to 2100
        String chosen = decisions(h).get(0).getActionId();
        h.processWatermark(2_099);
        assertTrue(joined(h).isEmpty(), "the deadline is rounded up to the 100 ms grid");
        assertEquals(0, learned(h, "u1", chosen));
        h.processWatermark(2_100);
        assertEquals(1, joined(h).size());
        JoinedExample example = joined(h).get(0);
        assertEquals(JoinOutcome.TIMED_OUT, example.getOutcome());
        assertEquals(0.25, example.getReward());
        assertEquals(2_100, example.getResolvedAt());
        assertEquals("e1", example.getContext().getEventId());
        assertEquals(1, learned(h, "u1", chosen), "the default reward is learned");
        assertEquals(0.25, rewardTotal(h, "u1", chosen), 1e-12);
    }

    @Test
    void withoutADefaultRewardATimeoutIsDroppedQuietly() throws Exception {
        open(linUcb(null, false));
        send(context("u1", "e1", 1_000, 1.0, 1.0));
        String chosen = decisions(h).get(0).getActionId();
        h.processWatermark(5_000);
        assertTrue(joined(h).isEmpty(), "no example without a reward");
        assertTrue(deadLetters(h).isEmpty());
        assertEquals(0, learned(h, "u1", chosen), "nothing learned");

        // Feedback inside the tombstone retention is late, not unknown, and still not learned.
        send(feedback("u1", "e1", 5_100, 1.0));
        assertEquals(1, joined(h).size());
        assertEquals(JoinOutcome.LATE, joined(h).get(0).getOutcome());
        assertNull(joined(h).get(0).getContext(), "the tombstone keeps no context when late feedback is not learned");
        assertEquals(0, learned(h, "u1", chosen));

        // Once the tombstone expires (deadline 2000 + 10 s) the decision is forgotten.
        h.processWatermark(12_000);
        send(feedback("u1", "e1", 12_100, 1.0));
        assertEquals(1, deadLetters(h).size());
        assertTrue(deadLetters(h).get(0).getReason().contains("unknown decision e1"), deadLetters(h).get(0).getReason());
    }

    @Test
    void feedbackAfterResolutionIsLateAndNotLearnedAgain() throws Exception {
        open(linUcb(0.0, false));
        send(context("u1", "e1", 1_000, 1.0, 0.0));
        send(context("u1", "e2", 1_000, 0.0, 1.0));
        String a1 = decisions(h).get(0).getActionId();
        String a2 = decisions(h).get(1).getActionId();
        send(feedback("u1", "e1", 1_200, 1.0)); // joined
        h.processWatermark(2_000); // e2 times out with reward 0
        assertEquals(List.of(JoinOutcome.JOINED, JoinOutcome.TIMED_OUT),
                joined(h).stream().map(JoinedExample::getOutcome).toList());
        byte[] before = policy(h, "u1").snapshot();
        int total = 0;
        for (String a : ACTIONS) {
            total += learned(h, "u1", a);
        }
        assertEquals(2, total, "one learning step per decision");

        send(feedback("u1", "e1", 2_100, 0.7)); // a duplicate of a joined decision's feedback
        send(feedback("u1", "e2", 2_200, 0.9)); // feedback for a decision that timed out
        assertEquals(4, joined(h).size());
        JoinedExample dup = joined(h).get(2);
        assertEquals(JoinOutcome.LATE, dup.getOutcome());
        assertEquals(0.7, dup.getReward());
        assertEquals("e1", dup.getDecision().getDecisionId());
        JoinedExample late = joined(h).get(3);
        assertEquals(JoinOutcome.LATE, late.getOutcome());
        assertEquals(0.9, late.getReward());
        assertEquals(2_200, late.getResolvedAt());
        assertTrue(java.util.Arrays.equals(before, policy(h, "u1").snapshot()),
                "late feedback must not be learned (learnLateFeedback=false)");
    }

    @Test
    void feedbackStampedAfterTheDeadlineIsLateEvenBeforeTheTimerFires() throws Exception {
        open(linUcb(0.0, false));
        send(context("u1", "e1", 1_000, 1.0, 0.0)); // deadline 2000
        send(context("u1", "e2", 1_000, 1.0, 0.0));
        String chosen = decisions(h).get(0).getActionId();
        send(feedback("u1", "e2", 2_000, 0.5)); // exactly at the deadline: still in time
        send(feedback("u1", "e1", 2_500, 1.0)); // the watermark is still at its start: the timer has not fired
        assertEquals(List.of(JoinOutcome.JOINED, JoinOutcome.LATE),
                joined(h).stream().map(JoinedExample::getOutcome).toList());
        JoinedExample late = joined(h).get(1);
        assertEquals("e1", late.getDecision().getDecisionId());
        assertEquals(1.0, late.getReward());
        assertNotNull(late.getContext(), "the decision was not resolved yet, so its context is at hand");
        int e2Learned = decisions(h).get(1).getActionId().equals(chosen) ? 1 : 0;
        assertEquals(e2Learned, learned(h, "u1", chosen), "late feedback is not learned");

        // The window of e1 then closes without in-time feedback: it times out with the default reward.
        h.processWatermark(2_000);
        assertEquals(3, joined(h).size());
        assertEquals(JoinOutcome.TIMED_OUT, joined(h).get(2).getOutcome());
        assertEquals("e1", joined(h).get(2).getDecision().getDecisionId());
        assertEquals(0.0, joined(h).get(2).getReward());
    }

    @Test
    void withLearnLateFeedbackAFeedbackAfterATimeoutIsLearnedToo() throws Exception {
        open(linUcb(0.0, true));
        send(context("u1", "e1", 1_000, 1.0, 0.0));
        String chosen = decisions(h).get(0).getActionId();
        h.processWatermark(2_000);
        assertEquals(1, learned(h, "u1", chosen), "the default reward");
        send(feedback("u1", "e1", 3_000, 1.0));
        JoinedExample late = last(joined(h));
        assertEquals(JoinOutcome.LATE, late.getOutcome());
        assertNotNull(late.getContext(), "the tombstone keeps the context when late feedback is learned");
        assertEquals(2, learned(h, "u1", chosen), "the late reward is learned as well");
    }

    /**
     * Feedback is delivered at least once, so the same feedback may arrive twice. A decision must not
     * learn twice from one feedback, even when late feedback is learned: neither a decision that already
     * joined it (u1) nor one that already learned it late after its timeout (u2).
     *
     * <p>Regression: the tombstone once kept the context after any resolution and the late branch
     * learned whenever a context was there, so redelivered feedback trained the arm twice.
     */
    @Test
    void withLearnLateFeedbackARedeliveredFeedbackIsNotLearnedTwice() throws Exception {
        open(linUcb(0.0, true));
        send(context("u1", "e1", 1_000, 1.0, 0.0));
        send(context("u2", "e2", 1_000, 1.0, 0.0));
        String a1 = decisions(h).get(0).getActionId();
        String a2 = decisions(h).get(1).getActionId();

        send(feedback("u1", "e1", 1_200, 1.0));
        send(feedback("u1", "e1", 1_200, 1.0)); // redelivered
        assertEquals(JoinOutcome.LATE, last(joined(h)).getOutcome());
        assertEquals(1, learned(h, "u1", a1), "a redelivered feedback of a joined decision was learned again");

        h.processWatermark(2_000); // e2 times out: learns the default reward
        send(feedback("u2", "e2", 3_000, 1.0)); // late: learned
        send(feedback("u2", "e2", 3_000, 1.0)); // the same late feedback, redelivered
        assertEquals(2, learned(h, "u2", a2), "default reward plus the late reward, once");
    }

    @Test
    void feedbackForAnUnknownDecisionIsADeadLetter() throws Exception {
        open(linUcb(0.0, false));
        LoopInput stray = feedback("u1", "never-decided", 1_000, 1.0);
        send(stray);
        assertTrue(decisions(h).isEmpty());
        assertTrue(joined(h).isEmpty());
        assertEquals(1, deadLetters(h).size());
        DeadLetter letter = deadLetters(h).get(0);
        assertTrue(letter.getReason().contains("unknown decision never-decided"), letter.getReason());
        assertEquals("feedback", letter.getSourceTopic());
        assertEquals(stray.getFeedback(), Codecs.feedback().decode(bytes(letter.getPayload())), "the original record travels along");
    }

    @Test
    void aDuplicateContextEventIsADeadLetterNotASecondDecision() throws Exception {
        open(linUcb(0.0, false));
        LoopInput event = context("u1", "e1", 1_000, 1.0, 0.0);
        send(event);
        send(context("u1", "e1", 1_050, 1.0, 0.0));
        assertEquals(1, decisions(h).size());
        assertEquals(1, deadLetters(h).size());
        DeadLetter letter = deadLetters(h).get(0);
        assertTrue(letter.getReason().contains("duplicate context event e1"), letter.getReason());
        assertEquals("context", letter.getSourceTopic());
        assertEquals("e1", Codecs.context().decode(bytes(letter.getPayload())).getEventId());

        // Still a duplicate once resolved, while its tombstone lasts.
        send(feedback("u1", "e1", 1_100, 1.0));
        send(context("u1", "e1", 1_200, 1.0, 0.0));
        assertEquals(1, decisions(h).size());
        assertEquals(2, deadLetters(h).size());
        assertEquals(1, joined(h).size());
    }

    @Test
    void entitiesDoNotSeeEachOthersDecisionsOrArms() throws Exception {
        open(linUcb(0.0, false));
        send(context("u1", "e1", 1_000, 1.0, 0.5));
        String chosen = decisions(h).get(0).getActionId();

        // u2 cannot answer u1's decision.
        send(feedback("u2", "e1", 1_100, 1.0));
        assertEquals(1, deadLetters(h).size());
        assertTrue(deadLetters(h).get(0).getReason().contains("unknown decision e1"), deadLetters(h).get(0).getReason());
        assertTrue(joined(h).isEmpty());

        // The same event id for u2 is not a duplicate: it is u2's own decision.
        send(context("u2", "e1", 1_100, 1.0, 0.5));
        assertEquals(2, decisions(h).size());
        assertEquals("u2", decisions(h).get(1).getEntityId());

        // u1 learns; u2's arms stay at the prior.
        send(feedback("u1", "e1", 1_200, 1.0));
        assertEquals(1, joined(h).size());
        assertEquals("u1", joined(h).get(0).getDecision().getEntityId());
        assertEquals(1, learned(h, "u1", chosen));
        for (String a : ACTIONS) {
            assertEquals(0, learned(h, "u2", a), "u2 learned from u1's feedback");
        }
        send(context("u1", "e3", 1_300, 1.0, 0.5));
        send(context("u2", "e3", 1_300, 1.0, 0.5));
        assertEquals(1.0, decisions(h).get(2).getPropensity(), "u1 exploits what it learned");
        assertEquals(chosen, decisions(h).get(2).getActionId());
        assertEquals(1.0 / 3, decisions(h).get(3).getPropensity(), 1e-12, "u2 has learned nothing");

        // u2's own decision times out on its own.
        h.processWatermark(2_100);
        List<JoinedExample> timedOut = joined(h).stream().filter(j -> j.getOutcome() == JoinOutcome.TIMED_OUT).toList();
        assertEquals(1, timedOut.size());
        assertEquals("u2", timedOut.get(0).getDecision().getEntityId());
        assertEquals("e1", timedOut.get(0).getDecision().getDecisionId());
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
