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

    static Optional<String> context(String eventId, String entityId, Map<String, Double> features, List<String> ids,
            List<Map<String, Double>> actionFeatures) {
        return ContextRules.checkContext(eventId, entityId, features, ids, actionFeatures);
    }

    static List<Map<String, Double>> noFeatures(int n) {
        return java.util.Collections.nCopies(n, Map.of());
    }

    static void assertReason(Optional<String> reason, String... parts) {
        assertTrue(reason.isPresent(), "expected a dead-letter reason mentioning " + Arrays.toString(parts));
        for (String part : parts) {
            assertTrue(reason.get().contains(part), reason.get());
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
        assertReason(context("e1", "u1", CTX, List.of(), List.of()), "e1", "empty action set");
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
        assertReason(context("e1", "u1", CTX, List.of("a", "b", "a"), noFeatures(3)), "offers action a twice");
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
