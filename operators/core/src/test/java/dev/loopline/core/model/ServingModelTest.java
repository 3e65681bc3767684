package dev.loopline.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loopline.core.features.FeatureLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ServingModelTest {
    static final List<String> CONTEXT = List.of("x0", "x1", "x2", "x3", "x4");
    static final List<String> ACTION_FEATURES = List.of("fee", "speed");
    static final List<String> ACTIONS = List.of("a", "b", "c");

    /** The split pass (context summed once, each action's features added) scores as a whole pass per row. */
    @Test
    void perActionScoresEqualAWholePassPerRow() {
        FeatureLayout layout = FeatureLayout.ofContextAndActions(CONTEXT, ACTION_FEATURES, ACTIONS);
        Mlp network = TestNetworks.random(layout.inputDimension(), 16, ACTIONS.size() + 1, 1.0, 3);
        ServingModel model = new ServingModel(1, layout, network, 100);
        SplittableRandom r = new SplittableRandom(5);
        List<String> offered = List.of("c", "a", "unknown", "b", "a");
        for (int event = 0; event < 200; event++) {
            Map<String, Double> context = new LinkedHashMap<>();
            for (String name : CONTEXT) {
                if (r.nextInt(5) > 0) { // some features missing, as in real events
                    context.put(name, r.nextDouble(-3, 3));
                }
            }
            List<Map<String, Double>> features = new ArrayList<>();
            for (int a = 0; a < offered.size(); a++) {
                // The repeated "a" shares its features with the first; one action carries none.
                features.add(a == 2 ? Map.of() : a == 4 ? features.get(1)
                        : Map.of("fee", r.nextDouble(), "speed", r.nextDouble(0, 5)));
            }
            double[] scores = model.scoreAll(context, offered, features);
            double[] row = new double[layout.inputDimension()];
            for (int a = 0; a < offered.size(); a++) {
                layout.vectorizeInputs(context, features.get(a), row);
                double[] outputs = network.scores(row);
                int head = layout.headIndex(offered.get(a));
                double expected = head >= 0 ? outputs[0] + outputs[1 + head] : outputs[0];
                assertEquals(expected, scores[a], 1e-4 * Math.max(1, Math.abs(expected)), "event " + event + " action " + a);
            }
        }
    }

    @Test
    void aSplitForwardPassEqualsTheWholePass() {
        Mlp network = TestNetworks.random(6, 8, 3, 1.0, 9);
        double[] shared = {1.5, 0, -2, 0, 0, 0};
        double[] own = {0, 0, 0, 0.5, 0, 3};
        double[] whole = {1.5, 0, -2, 0.5, 0, 3};
        float[] sums = network.firstLayerSums(shared);
        network.addToFirstLayerSums(own, sums);
        double[] expected = network.scores(whole);
        double[] split = network.outputsFrom(sums);
        for (int o = 0; o < 3; o++) {
            assertEquals(expected[o], split[o], 1e-5, "output " + o);
            assertEquals(expected[o], network.outputFrom(sums, o), 1e-5, "output " + o + " read alone");
        }
    }
}
