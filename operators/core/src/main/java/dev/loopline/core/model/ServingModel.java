package dev.loopline.core.model;

import dev.loopline.core.features.FeatureLayout;
import java.util.List;
import java.util.Map;

/**
 * A reward model ready to score: its version, the input layout it was trained on, the network, and the
 * examples behind it. The network either scores one (context, action) row ({@value Mlp#FORMAT}: the
 * action's identity is an input) or every action at once from the context and the action's features
 * ({@value Mlp#HEADS_FORMAT}: a shared output that scores any action from its features, plus one
 * correction per action id of the layout), which the dimensions tell apart.
 */
public record ServingModel(long version, FeatureLayout layout, Mlp network, long trainedExamples) {
    public ServingModel {
        int heads = layout.headIds().size();
        boolean rows = network.inputDimension() == layout.dimension() && network.outputDimension() == 1;
        boolean perAction = heads > 0 && network.inputDimension() == layout.inputDimension()
                && network.outputDimension() == heads + 1;
        if (!rows && !perAction) {
            throw new IllegalArgumentException("input schema has " + layout.dimension() + " features (" + heads
                    + " action ids) but the network takes " + network.inputDimension() + " inputs and gives "
                    + network.outputDimension() + " outputs");
        }
    }

    /** Whether the network has one output per action of the layout. */
    public boolean perActionHeads() {
        return network.inputDimension() != layout.dimension() || network.outputDimension() > 1;
    }

    public double score(Map<String, Double> context, String actionId, Map<String, Double> actionFeatures) {
        return scoreAll(context, List.of(actionId), java.util.Collections.singletonList(actionFeatures))[0];
    }

    /**
     * Every offered action's score. Row models look the context up once for all actions; a model with one
     * output per action sums the context's part of its first layer once per event, adds each distinct set of
     * action features to it (nothing, when actions carry none), and reads two outputs per action: the shared
     * output plus the action's own correction (the shared output alone for an action it has no correction for).
     */
    public double[] scoreAll(Map<String, Double> context, List<String> actionIds, List<Map<String, Double>> actionFeatures) {
        double[] scores = new double[actionIds.size()];
        if (perActionHeads()) {
            double[] inputs = new double[layout.inputDimension()];
            layout.vectorizeContextInputs(context, inputs);
            float[] contextSums = network.firstLayerSums(inputs);
            float[] sums = contextSums;
            double shared = network.outputFrom(sums, 0);
            Map<String, Double> scored = Map.of();
            for (int a = 0; a < scores.length; a++) {
                Map<String, Double> own = actionFeatures.get(a);
                Map<String, Double> features = own == null || !layout.hasActionFeatures() ? Map.of() : own;
                if (!features.equals(scored)) {
                    sums = contextSums.clone();
                    layout.vectorizeActionInputs(features, inputs);
                    network.addToFirstLayerSums(inputs, sums);
                    shared = network.outputFrom(sums, 0);
                    scored = features;
                }
                int head = layout.headIndex(actionIds.get(a));
                scores[a] = head >= 0 ? shared + network.outputFrom(sums, 1 + head) : shared;
            }
            return scores;
        }
        double[] contextVector = new double[layout.dimension()];
        layout.vectorizeContext(context, contextVector);
        double[] scratch = new double[contextVector.length];
        for (int a = 0; a < scores.length; a++) {
            layout.withAction(contextVector, actionIds.get(a), actionFeatures.get(a), scratch);
            scores[a] = network.score(scratch);
        }
        return scores;
    }
}
