package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.decisions;
import static dev.loopline.flink.LoopHarness.feedback;
import static dev.loopline.flink.LoopHarness.joined;
import static dev.loopline.flink.LoopHarness.model;
import static dev.loopline.flink.LoopHarness.squareCb;
import static dev.loopline.flink.LoopHarness.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.JoinedOutcome;
import dev.loopline.schemas.internal.LoopInput;
import dev.loopline.schemas.internal.PendingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

/**
 * When nothing after the join reads whole examples (no trainer, no off-policy evaluation) and nothing learns from the
 * context at the outcome (a shared served model, no error memory), a waiting decision keeps only what the outcome's
 * projection reads. The outcomes the monitor and the drift detectors get are the same, field for field, and the
 * decisions too; the record kept per decision in flight is smaller.
 */
class LoopFunctionProjectionTest {
    private static final List<String> SEGMENT = List.of("x0");

    private static LoopSettings settings(boolean examplesRead) {
        LoopSettings s = squareCb();
        return new LoopSettings(s.policy(), s.contextFeatures(), s.join(), 0.0, null, s.keyRetentionMillis(), SEGMENT,
                null, false, examplesRead);
    }

    /** Contexts with a segment feature and oracle rewards; feedback for every other one, the rest time out. */
    private static List<JoinedOutcome> outcomes(boolean examplesRead, List<Decision> decided, List<JoinedExample> examples)
            throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h =
                LoopHarness.open(settings(examplesRead), new EmbeddedRocksDBStateBackend(), null, 1, 0)) {
            h.processBroadcastElement(model(1), 0);
            for (int i = 0; i < 40; i++) {
                LoopInput input = context("u" + (i % 4), "e" + i, 1_000 + 10L * i, i % 3, 0.1 * i);
                input.getContext().setOracleRewards(Map.of("a", 0.1 * (i % 5), "b", 0.5, "c", 0.2 + 0.01 * i));
                h.processElement(input, input.getContext().getTimestamp());
            }
            for (Decision d : decisions(h)) {
                if (Integer.parseInt(d.getDecisionId().substring(1)) % 2 == 0) {
                    h.processElement(feedback(d.getEntityId(), d.getDecisionId(), d.getTimestamp() + 5, 0.7), d.getTimestamp() + 5);
                }
            }
            h.processWatermark(10_000);
            decided.addAll(decisions(h));
            examples.addAll(joined(h));
            return values(h, LoopFunction.OUTCOMES);
        }
    }

    @Test
    void aDecisionInFlightKeepsOnlyWhatItsOutcomeReadsAndTheOutcomesAreTheSame() throws Exception {
        List<Decision> wholeDecisions = new ArrayList<>();
        List<Decision> projectedDecisions = new ArrayList<>();
        List<JoinedExample> wholeExamples = new ArrayList<>();
        List<JoinedExample> projectedExamples = new ArrayList<>();
        List<JoinedOutcome> whole = outcomes(true, wholeDecisions, wholeExamples);
        List<JoinedOutcome> projected = outcomes(false, projectedDecisions, projectedExamples);

        assertEquals(40, whole.size());
        assertEquals(whole, projected);
        assertEquals(wholeDecisions, projectedDecisions);
        assertTrue(whole.stream().allMatch(o -> o.getSegment() != null && o.getRegret() != null));
        assertEquals(20, whole.stream().filter(o -> o.getReward() == 0.7).count());

        // What was kept: the segment's feature, the chosen and the best action's oracle rewards, no actions.
        JoinedExample example = projectedExamples.get(0);
        ContextEvent kept = example.getContext();
        assertEquals(SEGMENT, List.copyOf(kept.getFeatures().keySet()));
        assertTrue(kept.getActions().isEmpty());
        assertTrue(kept.getOracleRewards().size() <= 2);
        assertTrue(kept.getOracleRewards().containsKey(example.getDecision().getActionId()));
        assertTrue(example.getDecision().getProbabilities().isEmpty());

        // Bytes in keyed state per decision in flight.
        JoinedExample full = wholeExamples.get(0);
        int wholeBytes = bytes(full.getContext(), full.getDecision());
        int projectedBytes = bytes(kept, example.getDecision());
        assertNotNull(full.getContext().getActions());
        System.out.printf("pending decision: %d bytes whole, %d projected%n", wholeBytes, projectedBytes);
        // Here 2 features and 3 bare actions; on payments events (`loopline bench --sizing`) the share is far smaller.
        assertTrue(projectedBytes < wholeBytes, projectedBytes + " vs " + wholeBytes);
    }

    private static int bytes(ContextEvent context, Decision decision) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        new PendingDecisionSerializer().serialize(PendingDecision.newBuilder().setContext(context).setDecision(decision)
                .setDeadline(1).build(), out);
        return out.length();
    }
}
