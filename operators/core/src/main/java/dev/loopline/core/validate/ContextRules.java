package dev.loopline.core.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What makes a context or feedback event unusable, as plain checks on plain values. Each check returns
 * the {@link Rejection} (kind and reason for the dead letter), or empty when the event is fine.
 */
public final class ContextRules {
    private ContextRules() {}

    /** A record value larger than the limit is refused before anything reads it. */
    public static Optional<Rejection> checkSize(int bytes, Limits limits) {
        if (bytes <= limits.maxRecordBytes()) {
            return Optional.empty();
        }
        return Optional.of(new Rejection("record-too-large", "a record of " + bytes + " bytes, more than"
                + " limits.maxRecordBytes = " + limits.maxRecordBytes()));
    }

    public static Optional<Rejection> checkContext(String eventId, String entityId, Map<String, Double> features,
            List<String> actionIds, List<Map<String, Double>> actionFeatures, Limits limits) {
        if (eventId == null || eventId.isBlank()) {
            return Optional.of(new Rejection("missing-id", "context event without eventId"));
        }
        if (entityId == null || entityId.isBlank()) {
            return Optional.of(new Rejection("missing-id", "context event " + eventId + " without entityId"));
        }
        if (actionIds.isEmpty()) {
            return Optional.of(new Rejection("empty-actions", "context event " + eventId + " offers no actions (empty action set)"));
        }
        if (actionIds.size() > limits.maxActions()) {
            return Optional.of(new Rejection("too-many-actions", "context event " + eventId + " offers " + actionIds.size()
                    + " actions, more than limits.maxActions = " + limits.maxActions()));
        }
        long featureCount = features == null ? 0 : features.size();
        for (Map<String, Double> own : actionFeatures) {
            featureCount += own == null ? 0 : own.size();
        }
        if (featureCount > limits.maxFeatures()) {
            return Optional.of(new Rejection("too-many-features", "context event " + eventId + " carries " + featureCount
                    + " features (its own and its actions'), more than limits.maxFeatures = " + limits.maxFeatures()));
        }
        Optional<Rejection> bad = nonFinite(features, "context feature", eventId);
        if (bad.isPresent()) {
            return bad;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < actionIds.size(); i++) {
            String id = actionIds.get(i);
            if (id == null || id.isBlank()) {
                return Optional.of(new Rejection("missing-id", "context event " + eventId + " offers an action without actionId"));
            }
            if (!seen.add(id)) {
                return Optional.of(new Rejection("duplicate-action", "context event " + eventId + " offers action " + id + " twice"));
            }
            bad = nonFinite(actionFeatures.get(i), "feature of action " + id, eventId);
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    public static Optional<Rejection> checkFeedback(String decisionId, String entityId, double reward) {
        if (decisionId == null || decisionId.isBlank()) {
            return Optional.of(new Rejection("missing-id", "feedback without decisionId"));
        }
        if (entityId == null || entityId.isBlank()) {
            return Optional.of(new Rejection("missing-id", "feedback for " + decisionId + " without entityId"));
        }
        if (!Double.isFinite(reward)) {
            return Optional.of(new Rejection("non-finite-reward", "feedback for " + decisionId + " has a non-finite reward " + reward));
        }
        return Optional.empty();
    }

    /**
     * A record stamped further ahead of its broker append time than the clock skew allowed. One such record
     * would carry the loop's event time with it (the watermark follows the newest timestamp) and close every
     * wait window at once; it is refused instead. No check when the append time is unknown or the limit is 0.
     */
    public static Optional<Rejection> checkTimestamp(String what, long timestamp, long appendTime, Limits limits) {
        if (timestamp < 0) {
            return Optional.of(new Rejection("past-timestamp", what + " is stamped " + timestamp + ", before 1970"));
        }
        if (appendTime <= 0) {
            return Optional.empty();
        }
        long ahead = timestamp - appendTime;
        if (limits.maxClockSkewMillis() > 0 && ahead > limits.maxClockSkewMillis()) {
            return Optional.of(new Rejection("future-timestamp", what + " is stamped " + timestamp + ", " + ahead
                    + " ms after its broker append time: beyond the clock skew allowed (limits.maxClockSkewMillis = "
                    + limits.maxClockSkewMillis() + "); a record from the future would move the loop's event time"));
        }
        if (limits.maxAgeMillis() > 0 && -ahead > limits.maxAgeMillis()) {
            return Optional.of(new Rejection("past-timestamp", what + " is stamped " + timestamp + ", " + (-ahead)
                    + " ms before its broker append time: older than limits.maxAgeMillis = " + limits.maxAgeMillis()));
        }
        return Optional.empty();
    }

    private static Optional<Rejection> nonFinite(Map<String, Double> values, String what, String eventId) {
        if (values == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                return Optional.of(new Rejection("non-finite-feature",
                        "context event " + eventId + " has a non-finite " + what + " '" + e.getKey() + "' = " + v));
            }
        }
        return Optional.empty();
    }
}
