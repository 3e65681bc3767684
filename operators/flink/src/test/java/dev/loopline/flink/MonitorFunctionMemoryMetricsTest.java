package dev.loopline.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.loopline.schemas.Decision;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.JoinedOutcome;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The error memory's figures per metrics window, computed from what the decisions served. */
class MonitorFunctionMemoryMetricsTest {

    static JoinedExample example(String id, double reward, Double base, Double served, int neighbours, Double occupancy) {
        Decision d = Decision.newBuilder().setDecisionId(id).setEntityId("u").setTimestamp(100).setActionId("a")
                .setPropensity(1.0).setProbabilities(new HashMap<>(Map.of("a", 1.0))).setPolicy("squarecb")
                .setModelVersion(1).setExplored(false).setLatencyMicros(0).build();
        return JoinedExample.newBuilder().setDecision(d).setReward(reward).setOutcome(JoinOutcome.JOINED)
                .setResolvedAt(200).setBasePrediction(base).setServedPrediction(served).setMemoryNeighbours(neighbours)
                .setMemoryOccupancy(occupancy).build();
    }

    static Map<String, Double> window(JoinedExample... examples) throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new MonitorFunction(1_000)),
                (JoinedOutcome e) -> MonitorFunction.KEY, Types.INT)) {
            h.open();
            for (JoinedExample e : examples) {
                h.processElement(Outcomes.of(e, List.of()), 200);
            }
            h.processWatermark(1_000);
            return h.extractOutputValues().stream().collect(Collectors.toMap(m -> m.getName().toString(),
                    MetricEvent::getValue));
        }
    }

    @Test
    void hitRateCorrectionOccupancyAndResidualsBeforeAndAfter() throws Exception {
        Map<String, Double> m = window(
                example("1", 0.0, 0.8, 0.2, 12, 0.5),   // a hit that moved 0.6 towards the outcome
                example("2", 1.0, 0.7, 0.7, 0, 0.25));  // a miss
        assertEquals(0.5, m.get("errorMemory.hitRate"), 1e-12);
        assertEquals(0.3, m.get("errorMemory.meanAbsCorrection"), 1e-12);
        assertEquals(0.375, m.get("errorMemory.occupancy"), 1e-12);
        assertEquals((-0.8 + 0.3) / 2, m.get("errorMemory.residualMeanBefore"), 1e-12);
        assertEquals((-0.2 + 0.3) / 2, m.get("errorMemory.residualMeanAfter"), 1e-12);
        assertEquals((0.64 + 0.09) / 2, m.get("errorMemory.squaredErrorBefore"), 1e-12);
        assertEquals((0.04 + 0.09) / 2, m.get("errorMemory.squaredErrorAfter"), 1e-12);
    }

    @Test
    void noMemoryNoMemoryMetrics() throws Exception {
        Map<String, Double> m = window(example("1", 1.0, 0.8, 0.8, 0, null));
        assertFalse(m.keySet().stream().anyMatch(k -> k.startsWith("errorMemory.")), m.toString());
        assertEquals(1.0, m.get("reward.mean"));
    }
}
