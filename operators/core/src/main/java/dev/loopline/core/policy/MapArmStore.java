package dev.loopline.core.policy;

import java.util.HashMap;
import java.util.Map;

/** An in-memory {@link ArmStore} for offline evaluation and tests. */
public final class MapArmStore implements ArmStore {
    private final Map<String, double[]> arms = new HashMap<>();

    @Override
    public double[] load(String actionId) {
        return arms.get(actionId);
    }

    @Override
    public void store(String actionId, double[] state) {
        arms.put(actionId, state);
    }

    public int size() {
        return arms.size();
    }

    /** An independent deep copy. */
    public MapArmStore copy() {
        MapArmStore c = new MapArmStore();
        arms.forEach((k, v) -> c.arms.put(k, v.clone()));
        return c;
    }
}
