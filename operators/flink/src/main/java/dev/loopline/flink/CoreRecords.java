package dev.loopline.flink;

import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one adapter between the loop's Avro records and the learning cores, used by every operator and by
 * offline evaluation (model records are read by {@link dev.loopline.state.ModelVersions}).
 */
public final class CoreRecords {
    private CoreRecords() {}

    /** What a policy sees of a context event: its features and its offered actions with theirs. */
    public static DecisionInput decisionInput(ContextEvent event) {
        List<String> ids = new ArrayList<>(event.getActions().size());
        List<Map<String, Double>> features = new ArrayList<>(event.getActions().size());
        for (Action action : event.getActions()) {
            ids.add(action.getActionId());
            features.add(action.getFeatures());
        }
        return new DecisionInput(event.getEventId(), event.getFeatures(), ids, features);
    }

    /** One value per offered action, keyed by action id in offer order (probabilities, scores, bonuses). */
    public static Map<String, Double> perAction(DecisionInput input, double[] values) {
        Map<String, Double> byAction = new LinkedHashMap<>();
        for (int a = 0; a < input.size() && a < values.length; a++) {
            byAction.put(input.actionIds().get(a), values[a]);
        }
        return byAction;
    }
}
