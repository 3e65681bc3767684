package dev.loopline.core.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What makes a context or feedback event unusable, as plain checks on plain values. Each check returns
 * the dead-letter reason, or empty when the event is fine.
 */
public final class ContextRules {
    private ContextRules() {}

    public static Optional<String> checkContext(String eventId, String entityId, Map<String, Double> features,
            List<String> actionIds, List<Map<String, Double>> actionFeatures) {
        if (eventId == null || eventId.isBlank()) {
            return Optional.of("context event without eventId");
        }
        if (entityId == null || entityId.isBlank()) {
            return Optional.of("context event " + eventId + " without entityId");
        }
        if (actionIds.isEmpty()) {
            return Optional.of("context event " + eventId + " offers no actions (empty action set)");
        }
        Optional<String> bad = nonFinite(features, "context feature", eventId);
        if (bad.isPresent()) {
            return bad;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < actionIds.size(); i++) {
            String id = actionIds.get(i);
            if (id == null || id.isBlank()) {
                return Optional.of("context event " + eventId + " offers an action without actionId");
            }
            if (!seen.add(id)) {
                return Optional.of("context event " + eventId + " offers action " + id + " twice");
            }
            bad = nonFinite(actionFeatures.get(i), "feature of action " + id, eventId);
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    public static Optional<String> checkFeedback(String decisionId, String entityId, double reward) {
        if (decisionId == null || decisionId.isBlank()) {
            return Optional.of("feedback without decisionId");
        }
        if (entityId == null || entityId.isBlank()) {
            return Optional.of("feedback for " + decisionId + " without entityId");
        }
        if (!Double.isFinite(reward)) {
            return Optional.of("feedback for " + decisionId + " has a non-finite reward " + reward);
        }
        return Optional.empty();
    }

    /**
     * A record stamped further ahead of its broker append time than the clock skew allowed. One such record
     * would carry the loop's event time with it (the watermark follows the newest timestamp) and close every
     * wait window at once; it is refused instead. No check when the append time is unknown or the limit is 0.
     */
    public static Optional<String> checkTimestamp(String what, long timestamp, long appendTime, long maxSkewMillis) {
        if (maxSkewMillis <= 0 || appendTime <= 0 || timestamp - appendTime <= maxSkewMillis) {
            return Optional.empty();
        }
        return Optional.of(what + " is stamped " + timestamp + ", " + (timestamp - appendTime)
                + " ms after its broker append time: beyond the clock skew allowed (limits.maxClockSkewMillis = "
                + maxSkewMillis + "); a record from the future would move the loop's event time");
    }

    private static Optional<String> nonFinite(Map<String, Double> values, String what, String eventId) {
        if (values == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                return Optional.of("context event " + eventId + " has a non-finite " + what + " '" + e.getKey() + "' = " + v);
            }
        }
        return Optional.empty();
    }
}
