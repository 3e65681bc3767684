package dev.loopline.core.model;

import dev.loopline.core.features.FeatureLayout;
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
}
