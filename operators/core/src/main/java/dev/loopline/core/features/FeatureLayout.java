package dev.loopline.core.features;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed order of named inputs, so a map of features becomes a vector the same way at training and
 * at serving time. Names come in three kinds: a context feature by its own name, an action feature
 * as {@code a:NAME}, and an action's identity as {@code action=ID} (1 when that action is scored).
 * A missing feature reads 0; a feature the layout does not name is ignored, so events may carry
 * more or fewer features than a model was trained with.
 */
public final class FeatureLayout {
    public static final String ACTION_FEATURE_PREFIX = "a:";
    public static final String ACTION_ID_PREFIX = "action=";

    private final List<String> names;
    private final String[] contextNames;
    private final int[] contextIndex;
    private final String[] actionFeatureNames;
    private final int[] actionFeatureIndex;
    private final Map<String, Integer> actionIdIndex;
    /** Without the action-id slots: the inputs of a network with one output per action (see {@link #headIds}). */
    private final int[] inputPosition;
    private final List<String> headIds;
    private final Map<String, Integer> headIndex;

    public FeatureLayout(List<String> names) {
        this.names = List.copyOf(names);
        List<String> ctx = new ArrayList<>();
        List<Integer> ctxIdx = new ArrayList<>();
        List<String> act = new ArrayList<>();
        List<Integer> actIdx = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        List<String> heads = new ArrayList<>();
        Map<String, Integer> headIdx = new HashMap<>();
        this.inputPosition = new int[this.names.size()];
        int next = 0;
        for (int i = 0; i < this.names.size(); i++) {
            String n = this.names.get(i);
            if (n.startsWith(ACTION_ID_PREFIX)) {
                String id = n.substring(ACTION_ID_PREFIX.length());
                ids.put(id, i);
                headIdx.put(id, heads.size());
                heads.add(id);
                inputPosition[i] = -1;
                continue;
            }
            inputPosition[i] = next++;
            if (n.startsWith(ACTION_FEATURE_PREFIX)) {
                act.add(n.substring(ACTION_FEATURE_PREFIX.length()));
                actIdx.add(i);
            } else {
                ctx.add(n);
                ctxIdx.add(i);
            }
        }
        this.contextNames = ctx.toArray(String[]::new);
        this.contextIndex = ctxIdx.stream().mapToInt(Integer::intValue).toArray();
        this.actionFeatureNames = act.toArray(String[]::new);
        this.actionFeatureIndex = actIdx.stream().mapToInt(Integer::intValue).toArray();
        this.actionIdIndex = Map.copyOf(ids);
        this.headIds = List.copyOf(heads);
        this.headIndex = Map.copyOf(headIdx);
    }

    /** Context features only, in the given order. */
    public static FeatureLayout ofContext(List<String> contextNames) {
        return new FeatureLayout(contextNames);
    }

    /** Context features, action features and one indicator per known action id (sorted, for stability). */
    public static FeatureLayout ofContextAndActions(List<String> contextNames, List<String> actionFeatureNames,
            List<String> actionIds) {
        List<String> all = new ArrayList<>(contextNames);
        for (String a : actionFeatureNames) {
            all.add(ACTION_FEATURE_PREFIX + a);
        }
        List<String> sortedIds = new ArrayList<>(actionIds);
        Collections.sort(sortedIds);
        for (String id : sortedIds) {
            all.add(ACTION_ID_PREFIX + id);
        }
        return new FeatureLayout(all);
    }

    public List<String> names() {
        return names;
    }

    public int dimension() {
        return names.size();
    }

    /** Writes the vector for (context, action) into {@code out}, which must have {@link #dimension()} slots. */
    public void vectorize(Map<String, Double> context, String actionId, Map<String, Double> actionFeatures,
            double[] out) {
        vectorizeContext(context, out);
        addAction(actionId, actionFeatures, out);
    }

    /** The context's part of the vector, zeros elsewhere: look the context up once, then {@link #withAction} per action. */
    public void vectorizeContext(Map<String, Double> context, double[] out) {
        java.util.Arrays.fill(out, 0.0);
        for (int i = 0; i < contextNames.length; i++) {
            Double v = context.get(contextNames[i]);
            if (v != null) {
                out[contextIndex[i]] = v;
            }
        }
    }

    /** {@code contextVector} (from {@link #vectorizeContext}) completed with one action's features and identity. */
    public void withAction(double[] contextVector, String actionId, Map<String, Double> actionFeatures, double[] out) {
        System.arraycopy(contextVector, 0, out, 0, out.length);
        addAction(actionId, actionFeatures, out);
    }

    private void addAction(String actionId, Map<String, Double> actionFeatures, double[] out) {
        if (actionFeatures != null) {
            for (int i = 0; i < actionFeatureNames.length; i++) {
                Double v = actionFeatures.get(actionFeatureNames[i]);
                if (v != null) {
                    out[actionFeatureIndex[i]] = v;
                }
            }
        }
        if (actionId != null) {
            Integer idx = actionIdIndex.get(actionId);
            if (idx != null) {
                out[idx] = 1.0;
            }
        }
    }

    /** The action ids named by the layout, in its order: the outputs of a network with one output per action. */
    public List<String> headIds() {
        return headIds;
    }

    /** The output of {@code actionId} in a network with one output per action, or -1 for an action it does not know. */
    public int headIndex(String actionId) {
        Integer h = headIndex.get(actionId);
        return h == null ? -1 : h;
    }

    /** The number of inputs of a network with one output per action: every slot but the action ids. */
    public int inputDimension() {
        return names.size() - headIds.size();
    }

    /** The inputs of a network with one output per action: context and action features, no action id. */
    public void vectorizeInputs(Map<String, Double> context, Map<String, Double> actionFeatures, double[] out) {
        vectorizeContextInputs(context, out);
        if (actionFeatures != null) {
            setActionInputs(actionFeatures, out);
        }
    }

    /** The context's inputs of a network with one output per action, zeros elsewhere. */
    public void vectorizeContextInputs(Map<String, Double> context, double[] out) {
        java.util.Arrays.fill(out, 0.0);
        for (int i = 0; i < contextNames.length; i++) {
            Double v = context.get(contextNames[i]);
            if (v != null) {
                out[inputPosition[contextIndex[i]]] = v;
            }
        }
    }

    /** One action's inputs of a network with one output per action, zeros elsewhere. */
    public void vectorizeActionInputs(Map<String, Double> actionFeatures, double[] out) {
        java.util.Arrays.fill(out, 0.0);
        setActionInputs(actionFeatures, out);
    }

    /** Whether the layout has action features (inputs that differ between the actions of one event). */
    public boolean hasActionFeatures() {
        return actionFeatureNames.length > 0;
    }

    private void setActionInputs(Map<String, Double> actionFeatures, double[] out) {
        for (int i = 0; i < actionFeatureNames.length; i++) {
            Double v = actionFeatures.get(actionFeatureNames[i]);
            if (v != null) {
                out[inputPosition[actionFeatureIndex[i]]] = v;
            }
        }
    }

    public double[] vectorize(Map<String, Double> context, String actionId, Map<String, Double> actionFeatures) {
        double[] out = new double[dimension()];
        vectorize(context, actionId, actionFeatures, out);
        return out;
    }
}
