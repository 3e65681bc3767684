package dev.loopline.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContextRulesTest {
    static final Map<String, Double> CTX = Map.of("x0", 0.5, "x1", -1.0);

    static Optional<Rejection> context(String eventId, String entityId, Map<String, Double> features, List<String> ids,
            List<Map<String, Double>> actionFeatures) {
        return ContextRules.checkContext(eventId, entityId, features, ids, actionFeatures, Limits.DEFAULTS);
    }

    static List<Map<String, Double>> noFeatures(int n) {
        return java.util.Collections.nCopies(n, Map.of());
    }

    static void assertReason(Optional<Rejection> rejection, String... parts) {
        assertTrue(rejection.isPresent(), "expected a dead-letter reason mentioning " + Arrays.toString(parts));
        String reason = rejection.get().reason();
        assertTrue(reason.startsWith(rejection.get().kind() + ": "), "the reason names its kind: " + reason);
        for (String part : parts) {
            assertTrue(reason.contains(part), reason);
        }
    }

    @Test
    void aWellFormedContextPasses() {
        assertEquals(Optional.empty(), context("e1", "u1", CTX, List.of("a", "b"),
                List.of(Map.of("cost", 1.0), Map.of())));
        assertEquals(Optional.empty(), context("e1", "u1", Map.of(), List.of("a"), noFeatures(1)),
                "no context features is fine");
        assertEquals(Optional.empty(), context("e1", "u1", CTX, List.of("a"), java.util.Collections.singletonList(null)),
                "absent action features are fine");
    }

    @Test
    void idsMustBePresent() {
        assertReason(context(null, "u1", CTX, List.of("a"), noFeatures(1)), "without eventId");
        assertReason(context("  ", "u1", CTX, List.of("a"), noFeatures(1)), "without eventId");
        assertReason(context("e1", null, CTX, List.of("a"), noFeatures(1)), "e1", "without entityId");
        assertReason(context("e1", "", CTX, List.of("a"), noFeatures(1)), "e1", "without entityId");
    }

    @Test
    void anEmptyActionSetIsRefused() {
        assertReason(context("e1", "u1", CTX, List.of(), List.of()), "empty-actions", "e1", "empty action set");
    }

    @Test
    void eventsBeyondTheLimitsAreRefusedBeforeTheirValuesAreRead() {
        Limits small = new Limits(1024, 3, 2, 1_000, 60_000);
        assertReason(ContextRules.checkSize(2_000, small), "record-too-large", "2000 bytes", "limits.maxRecordBytes = 1024");
        assertEquals(Optional.empty(), ContextRules.checkSize(1024, small));
        assertReason(ContextRules.checkContext("e1", "u1", CTX, List.of("a", "b", "c"), noFeatures(3), small),
                "too-many-actions", "3 actions", "limits.maxActions = 2");
        assertReason(ContextRules.checkContext("e1", "u1", CTX, List.of("a", "b"), List.of(Map.of("f", 1.0), Map.of("g", 2.0)),
                small), "too-many-features", "4 features", "limits.maxFeatures = 3");
    }

    @Test
    void timestampsFarFromTheBrokerClockAreRefused() {
        Limits limits = new Limits(1024, 10, 10, 1_000, 60_000);
        assertEquals(Optional.empty(), ContextRules.checkTimestamp("e", 10_500, 10_000, limits));
        assertEquals(Optional.empty(), ContextRules.checkTimestamp("e", 10_500, 0, limits), "append time unknown");
        assertReason(ContextRules.checkTimestamp("e", 12_000, 10_000, limits), "future-timestamp", "2000 ms after");
        assertReason(ContextRules.checkTimestamp("e", 100_000, 200_000, limits), "past-timestamp", "100000 ms before");
        assertReason(ContextRules.checkTimestamp("e", -5, 0, limits), "past-timestamp", "before 1970");
        Limits unchecked = new Limits(1024, 10, 10, 0, 0);
        assertEquals(Optional.empty(), ContextRules.checkTimestamp("e", Long.MAX_VALUE / 2, 10_000, unchecked));
    }

    @Test
    void nonFiniteContextFeaturesAreRefused() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Map<String, Double> features = new HashMap<>(CTX);
            features.put("speed", bad);
            assertReason(context("e1", "u1", features, List.of("a"), noFeatures(1)),
                    "non-finite context feature 'speed'", String.valueOf(bad));
        }
        Map<String, Double> withNull = new HashMap<>(CTX);
        withNull.put("speed", null);
        assertReason(context("e1", "u1", withNull, List.of("a"), noFeatures(1)), "'speed' = null");
    }

    @Test
    void nonFiniteActionFeaturesAreRefused() {
        assertReason(context("e1", "u1", CTX, List.of("a", "b"), List.of(Map.of(), Map.of("cost", Double.NaN))),
                "feature of action b 'cost'", "NaN");
        assertReason(context("e1", "u1", CTX, List.of("a"), List.of(Map.of("cost", Double.POSITIVE_INFINITY))),
                "feature of action a", "Infinity");
    }

    @Test
    void duplicateAndBlankActionIdsAreRefused() {
        assertReason(context("e1", "u1", CTX, List.of("a", "b", "a"), noFeatures(3)), "duplicate-action", "offers action a twice");
        assertReason(context("e1", "u1", CTX, List.of("a", " "), noFeatures(2)), "action without actionId");
        assertReason(context("e1", "u1", CTX, Arrays.asList("a", null), noFeatures(2)), "action without actionId");
    }

    @Test
    void feedbackNeedsIdsAndAFiniteReward() {
        assertEquals(Optional.empty(), ContextRules.checkFeedback("d1", "u1", -3.5));
        assertReason(ContextRules.checkFeedback(null, "u1", 1), "feedback without decisionId");
        assertReason(ContextRules.checkFeedback(" ", "u1", 1), "feedback without decisionId");
        assertReason(ContextRules.checkFeedback("d1", "", 1), "d1", "without entityId");
        assertReason(ContextRules.checkFeedback("d1", "u1", Double.NaN), "d1", "non-finite reward NaN");
        assertReason(ContextRules.checkFeedback("d1", "u1", Double.NEGATIVE_INFINITY), "non-finite reward");
    }
}
