package dev.loopline.core.bandit;

import java.util.List;
import java.util.Map;

/**
 * What a policy sees for one decision: the event id (the seed of its random draw), the context
 * features and the offered actions with their own features. Never empty: empty action sets are
 * refused before a policy is asked.
 */
public record DecisionInput(String eventId, Map<String, Double> context, List<String> actionIds,
        List<Map<String, Double>> actionFeatures) {
    public DecisionInput {
        if (actionIds.isEmpty()) {
            throw new IllegalArgumentException("a decision needs at least one offered action");
        }
        if (actionFeatures.size() != actionIds.size()) {
            throw new IllegalArgumentException("actionFeatures has " + actionFeatures.size()
                    + " entries for " + actionIds.size() + " actions");
        }
    }

    public int size() {
        return actionIds.size();
    }
}
