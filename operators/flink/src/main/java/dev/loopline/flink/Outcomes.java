package dev.loopline.flink;

import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.JoinedOutcome;
import java.util.List;
import java.util.Map;

/**
 * The projection of a joined example that the monitor and the drift detectors read: scalars, the segment and
 * the oracle regret, without the context's features and the decision's maps, which only the trainer and the
 * off-policy evaluation need. Made where the example is joined, so each analyst's keyed edge serialises a
 * few fields instead of the whole example.
 */
public final class Outcomes {
    private Outcomes() {}

    /** The projection of an example; {@code segmentFeatures} name the segment (none: no segment). */
    public static JoinedOutcome of(JoinedExample example, List<String> segmentFeatures) {
        ContextEvent context = example.getContext();
        Decision decision = example.getDecision();
        return JoinedOutcome.newBuilder().setEntityId(decision.getEntityId()).setActionId(decision.getActionId())
                .setSegment(context == null || segmentFeatures.isEmpty() ? null
                        : SegmentRouter.segmentOf(context.getFeatures(), segmentFeatures))
                .setReward(example.getReward()).setOutcome(example.getOutcome()).setResolvedAt(example.getResolvedAt())
                .setExplored(decision.getExplored()).setModelVersion(decision.getModelVersion())
                .setRegret(regretOf(context, decision.getActionId())).setBasePrediction(example.getBasePrediction())
                .setServedPrediction(example.getServedPrediction()).setMemoryNeighbours(example.getMemoryNeighbours())
                .setMemoryOccupancy(example.getMemoryOccupancy()).build();
    }

    /**
     * The context a waiting decision keeps when nothing but this projection will read it: its ids and time, the
     * segment's features, and the oracle rewards of the chosen and the best action (the regret needs no others).
     * A few dozen bytes in keyed state instead of every feature of every action.
     */
    public static ContextEvent projected(ContextEvent context, String chosen, List<String> segmentFeatures) {
        Map<String, Double> features = new java.util.HashMap<>();
        for (String name : segmentFeatures) {
            Double value = context.getFeatures().get(name);
            if (value != null) {
                features.put(name, value);
            }
        }
        Map<String, Double> oracle = null;
        Map<String, Double> all = context.getOracleRewards();
        if (all != null && all.containsKey(chosen)) {
            oracle = new java.util.HashMap<>();
            oracle.put(chosen, all.get(chosen));
            Map.Entry<String, Double> best = java.util.Collections.max(all.entrySet(), Map.Entry.comparingByValue());
            oracle.put(best.getKey(), best.getValue());
        }
        return ContextEvent.newBuilder().setEventId(context.getEventId()).setEntityId(context.getEntityId())
                .setTimestamp(context.getTimestamp()).setDomain(context.getDomain()).setFeatures(features)
                .setActions(List.of()).setOracleRewards(oracle).build();
    }

    /**
     * The decision as this projection reads it: without its per-action probabilities and explanation. Built field by
     * field: a builder copied from the decision would deep-copy the very maps it then drops, once per decision.
     */
    public static Decision projected(Decision decision) {
        return Decision.newBuilder().setDecisionId(decision.getDecisionId()).setEntityId(decision.getEntityId())
                .setTimestamp(decision.getTimestamp()).setActionId(decision.getActionId())
                .setPropensity(decision.getPropensity()).setProbabilities(Map.of()).setPolicy(decision.getPolicy())
                .setModelVersion(decision.getModelVersion()).setExplored(decision.getExplored())
                .setLatencyMicros(decision.getLatencyMicros()).build();
    }

    /** The best oracle reward minus the chosen action's, or null unless the context carried oracle rewards. */
    static Double regretOf(ContextEvent context, String chosen) {
        if (context == null || context.getOracleRewards() == null) {
            return null;
        }
        Map<String, Double> oracle = context.getOracleRewards();
        Double mine = oracle.get(chosen);
        if (mine == null) {
            return null;
        }
        double best = oracle.values().stream().mapToDouble(Double::doubleValue).max().orElse(mine);
        return best - mine;
    }
}
