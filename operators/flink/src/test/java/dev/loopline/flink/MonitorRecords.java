package dev.loopline.flink;

import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** Joined examples and metric read-back for the monitoring operators' tests. */
final class MonitorRecords {
    private MonitorRecords() {}

    /** A decision of {@code entity} joined with its reward at {@code t}, in segment {@code region}. */
    static JoinedExample joined(String entity, String eventId, long t, double region, String actionId,
            double propensity, double reward, Double served) {
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("region", region);
        List<Action> actions = new ArrayList<>();
        for (String a : List.of("a", "b", "c")) {
            actions.add(Action.newBuilder().setActionId(a).setFeatures(Map.of()).build());
        }
        ContextEvent context = ContextEvent.newBuilder().setEventId(eventId).setEntityId(entity).setTimestamp(t - 100)
                .setDomain("test").setFeatures(features).setActions(actions).build();
        Map<String, Double> p = new LinkedHashMap<>();
        for (String a : List.of("a", "b", "c")) {
            p.put(a, a.equals(actionId) ? propensity : (1 - propensity) / 2);
        }
        Decision decision = Decision.newBuilder().setDecisionId(eventId).setEntityId(entity).setTimestamp(t - 100)
                .setActionId(actionId).setPropensity(propensity).setProbabilities(p).setPolicy("test").setModelVersion(0)
                .setExplored(false).setLatencyMicros(1).build();
        return JoinedExample.newBuilder().setContext(context).setDecision(decision).setReward(reward)
                .setOutcome(JoinOutcome.JOINED).setResolvedAt(t).setServedPrediction(served).setBasePrediction(served)
                .build();
    }

    static List<MetricEvent> metrics(AbstractStreamOperatorTestHarness<MetricEvent> h) {
        List<MetricEvent> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof MetricEvent m) {
                out.add(m);
            }
        }
        return out;
    }

    static List<MetricEvent> named(List<MetricEvent> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name)).toList();
    }
}
