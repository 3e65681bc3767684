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
     * output per action runs once per distinct set of action features (once, when actions carry none): an
     * action scores the shared output plus its own correction, an action it has no correction for the
     * shared output alone.
     */
    public double[] scoreAll(Map<String, Double> context, List<String> actionIds, List<Map<String, Double>> actionFeatures) {
        double[] scores = new double[actionIds.size()];
        if (perActionHeads()) {
            double[] input = new double[layout.inputDimension()];
            double[] outputs = null;
            Map<String, Double> scored = null;
            for (int a = 0; a < scores.length; a++) {
                Map<String, Double> own = actionFeatures.get(a);
                Map<String, Double> features = own == null ? Map.of() : own;
                if (outputs == null || !features.equals(scored)) {
                    layout.vectorizeInputs(context, features, input);
                    outputs = network.scores(input);
                    scored = features;
                }
                int head = layout.headIndex(actionIds.get(a));
                scores[a] = head >= 0 ? outputs[0] + outputs[1 + head] : outputs[0];
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
