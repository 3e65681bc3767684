package dev.loopline.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Explanation;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.LoopInput;
import dev.loopline.schemas.internal.PendingDecision;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The job's internal records in the direct form: every field survives, names come back as one instance. */
class DirectSerializersTest {
    static final ContextEvent CONTEXT = ContextEvent.newBuilder().setEventId("e-1").setEntityId("user-ü").setTimestamp(1234)
            .setDomain("payments").setFeatures(Map.of("amount", 12.5, "risk", 0.25))
            .setActions(List.of(Action.newBuilder().setActionId("route-0").setFeatures(Map.of("fee", 0.3)).build(),
                    Action.newBuilder().setActionId("route-1").setFeatures(Map.of()).build()))
            .setOracleRewards(Map.of("route-0", 0.9, "route-1", 0.4)).build();
    static final Decision DECISION = Decision.newBuilder().setDecisionId("e-1").setEntityId("user-ü").setTimestamp(1234)
            .setActionId("route-1").setPropensity(0.25).setProbabilities(Map.of("route-0", 0.75, "route-1", 0.25))
            .setPolicy("squarecb").setModelVersion(7).setExplored(true).setLatencyMicros(950)
            .setExplanation(Explanation.newBuilder().setScores(Map.of("route-0", 0.8)).setBonus(Map.of("route-1", 0.1))
                    .setTopFeatures(Map.of("amount", -0.2)).build()).build();

    static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = serializer.deserialize(in);
        assertEquals(0, in.available(), "every byte read");
        return back;
    }

    @Test
    void pendingDecisionsSurviveSetOrAbsent() throws Exception {
        PendingDecisionSerializer serializer = new PendingDecisionSerializer();
        PendingDecision full = PendingDecision.newBuilder().setContext(CONTEXT).setDecision(DECISION).setDeadline(5234)
                .setResolved(false).setRewardSum(1.5).setFeedbackTimes(List.of(2000L, 2500L)).setBasePrediction(0.6)
                .setServedPrediction(0.55).setMemoryNeighbours(4).setMemoryOccupancy(0.5).build();
        assertEquals(full, roundTrip(serializer, full));
        PendingDecision tombstone = PendingDecision.newBuilder().setContext(null)
                .setDecision(Decision.newBuilder(DECISION).setExplanation(null).build()).setDeadline(1).setResolved(true)
                .build();
        assertEquals(tombstone, roundTrip(serializer, tombstone));
        PendingDecision noOracle = PendingDecision.newBuilder(full)
                .setContext(ContextEvent.newBuilder(CONTEXT).setOracleRewards(null).build()).setBasePrediction(null)
                .setServedPrediction(null).setMemoryOccupancy(null).build();
        assertEquals(noOracle, roundTrip(serializer, noOracle));
    }

    @Test
    void joinedExamplesAndLoopInputsSurvive() throws Exception {
        for (JoinOutcome outcome : JoinOutcome.values()) {
            JoinedExample e = JoinedExample.newBuilder().setContext(outcome == JoinOutcome.LATE ? null : CONTEXT)
                    .setDecision(DECISION).setReward(0.75).setOutcome(outcome).setResolvedAt(9_000).setBasePrediction(0.5)
                    .setServedPrediction(null).setMemoryNeighbours(2).setMemoryOccupancy(null).build();
            assertEquals(e, roundTrip(new JoinedExampleSerializer(), e));
        }
        LoopInput context = LoopInput.newBuilder().setContext(CONTEXT).setAppendTime(1_300).setRoutingKey("seg:region=2").build();
        assertEquals(context, roundTrip(new LoopInputSerializer(), context));
        for (Map<String, Double> signals : java.util.Arrays.asList(Map.of("clicks", 2.0), (Map<String, Double>) null)) {
            LoopInput feedback = LoopInput.newBuilder().setFeedback(Feedback.newBuilder().setDecisionId("e-1")
                    .setEntityId("user-ü").setTimestamp(1_500).setReward(1.0).setSignals(signals).build()).build();
            assertEquals(feedback, roundTrip(new LoopInputSerializer(), feedback));
        }
    }

    @Test
    void namesReadBackAreOneInstance() throws Exception {
        LoopInputSerializer serializer = new LoopInputSerializer();
        LoopInput input = LoopInput.newBuilder().setContext(CONTEXT).build();
        LoopInput a = roundTrip(serializer, input);
        LoopInput b = roundTrip(serializer, input);
        for (String name : a.getContext().getFeatures().keySet()) {
            String again = b.getContext().getFeatures().keySet().stream().filter(name::equals).findFirst().orElseThrow();
            assertSame(name, again, name);
        }
        assertSame(a.getContext().getActions().get(0).getActionId(), b.getContext().getActions().get(0).getActionId());
    }

    /** The direct form writes these fields; a schema that gains one must gain it here and in {@link RecordCodec}. */
    @Test
    void theFormCoversEveryFieldOfTheSchemas() {
        assertEquals(List.of("context", "decision", "deadline", "resolved", "rewardSum", "feedbackTimes", "basePrediction",
                "servedPrediction", "memoryNeighbours", "memoryOccupancy"), names(PendingDecision.getClassSchema()));
        assertEquals(List.of("context", "decision", "reward", "outcome", "resolvedAt", "basePrediction",
                "servedPrediction", "memoryNeighbours", "memoryOccupancy"), names(JoinedExample.getClassSchema()));
        assertEquals(List.of("context", "feedback", "appendTime", "routingKey"), names(LoopInput.getClassSchema()));
        assertEquals(List.of("eventId", "entityId", "timestamp", "domain", "features", "actions", "oracleRewards"),
                names(ContextEvent.getClassSchema()));
        assertEquals(List.of("actionId", "features"), names(Action.getClassSchema()));
        assertEquals(List.of("decisionId", "entityId", "timestamp", "actionId", "propensity", "probabilities", "policy",
                "modelVersion", "explored", "latencyMicros", "explanation"), names(Decision.getClassSchema()));
        assertEquals(List.of("scores", "bonus", "topFeatures"), names(Explanation.getClassSchema()));
        assertEquals(List.of("decisionId", "entityId", "timestamp", "reward", "signals"), names(Feedback.getClassSchema()));
        assertEquals(List.of("JOINED", "TIMED_OUT", "LATE"), JoinOutcome.getClassSchema().getEnumSymbols());
    }

    private static List<String> names(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }
}
