package dev.loopline.core.model;

import dev.loopline.core.features.FeatureLayout;
import java.util.List;
import java.util.Map;

/** A reward model ready to score: its version, the input layout it was trained on, the network. */
public record ServingModel(long version, FeatureLayout layout, Mlp network, long trainedExamples) {
    public ServingModel {
        if (layout.dimension() != network.inputDimension()) {
            throw new IllegalArgumentException("input schema has " + layout.dimension()
                    + " features but the network takes " + network.inputDimension());
        }
    }

    public double score(Map<String, Double> context, String actionId, Map<String, Double> actionFeatures,
            double[] scratch) {
        layout.vectorize(context, actionId, actionFeatures, scratch);
        return network.score(scratch);
    }

    /** Every offered action's score, the context looked up once for all of them. */
    public double[] scoreAll(Map<String, Double> context, List<String> actionIds, List<Map<String, Double>> actionFeatures) {
        double[] contextVector = new double[layout.dimension()];
        layout.vectorizeContext(context, contextVector);
        double[] scratch = new double[contextVector.length];
        double[] scores = new double[actionIds.size()];
        for (int a = 0; a < scores.length; a++) {
            layout.withAction(contextVector, actionIds.get(a), actionFeatures.get(a), scratch);
            scores[a] = network.score(scratch);
        }
        return scores;
    }
}
