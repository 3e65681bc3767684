package dev.loopline.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Explanation;
import dev.loopline.schemas.internal.PendingDecision;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PendingDecisionSerializerTest {
    static PendingDecision full() {
        ContextEvent context = ContextEvent.newBuilder().setEventId("e-1").setEntityId("user-ü").setTimestamp(1234)
                .setDomain("payments").setFeatures(Map.of("amount", 12.5, "risk", 0.25))
                .setActions(List.of(Action.newBuilder().setActionId("route-0").setFeatures(Map.of("fee", 0.3)).build(),
                        Action.newBuilder().setActionId("route-1").setFeatures(Map.of()).build()))
                .setOracleRewards(Map.of("route-0", 0.9, "route-1", 0.4)).build();
        Decision decision = Decision.newBuilder().setDecisionId("e-1").setEntityId("user-ü").setTimestamp(1234)
                .setActionId("route-1").setPropensity(0.25).setProbabilities(Map.of("route-0", 0.75, "route-1", 0.25))
                .setPolicy("squarecb").setModelVersion(7).setExplored(true).setLatencyMicros(950)
                .setExplanation(Explanation.newBuilder().setScores(Map.of("route-0", 0.8)).setBonus(Map.of("route-1", 0.1))
                        .setTopFeatures(Map.of("amount", -0.2)).build()).build();
        return PendingDecision.newBuilder().setContext(context).setDecision(decision).setDeadline(5234).setResolved(false)
                .setRewardSum(1.5).setFeedbackTimes(List.of(2000L, 2500L)).setBasePrediction(0.6).setServedPrediction(0.55)
                .setMemoryNeighbours(4).setMemoryOccupancy(0.5).build();
    }

    static PendingDecision roundTrip(PendingDecisionSerializer serializer, PendingDecision p) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(p, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void everyFieldSurvivesARoundTripSetOrAbsent() throws Exception {
        PendingDecisionSerializer serializer = new PendingDecisionSerializer();
        PendingDecision full = full();
        assertEquals(full, roundTrip(serializer, full));
        PendingDecision sparse = PendingDecision.newBuilder().setContext(null)
                .setDecision(Decision.newBuilder(full.getDecision()).setExplanation(null).build())
                .setDeadline(1).setResolved(true).build();
        assertEquals(sparse, roundTrip(serializer, sparse));
        ContextEvent noOracle = ContextEvent.newBuilder(full.getContext()).setOracleRewards(null).build();
        PendingDecision tombstone = PendingDecision.newBuilder(full).setContext(noOracle).setBasePrediction(null)
                .setServedPrediction(null).setMemoryOccupancy(null).build();
        assertEquals(tombstone, roundTrip(serializer, tombstone));
    }

    @Test
    void namesReadBackAreOneInstance() throws Exception {
        PendingDecisionSerializer serializer = new PendingDecisionSerializer();
        PendingDecision a = roundTrip(serializer, full());
        PendingDecision b = roundTrip(serializer, full());
        String first = a.getContext().getFeatures().keySet().iterator().next();
        String again = b.getContext().getFeatures().keySet().stream().filter(first::equals).findFirst().orElseThrow();
        assertSame(first, again);
        assertSame(a.getDecision().getPolicy(), b.getDecision().getPolicy());
    }

    /** The format writes these fields; a schema that gains one must gain it here and in the serializer. */
    @Test
    void theFormatCoversEveryFieldOfTheSchemas() {
        assertEquals(List.of("context", "decision", "deadline", "resolved", "rewardSum", "feedbackTimes", "basePrediction",
                "servedPrediction", "memoryNeighbours", "memoryOccupancy"), names(PendingDecision.getClassSchema()));
        assertEquals(List.of("eventId", "entityId", "timestamp", "domain", "features", "actions", "oracleRewards"),
                names(ContextEvent.getClassSchema()));
        assertEquals(List.of("actionId", "features"), names(Action.getClassSchema()));
        assertEquals(List.of("decisionId", "entityId", "timestamp", "actionId", "propensity", "probabilities", "policy",
                "modelVersion", "explored", "latencyMicros", "explanation"), names(Decision.getClassSchema()));
        assertEquals(List.of("scores", "bonus", "topFeatures"), names(Explanation.getClassSchema()));
    }

    private static List<String> names(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }
}
