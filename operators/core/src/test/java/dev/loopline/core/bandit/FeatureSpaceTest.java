package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureSpaceTest {
    static DecisionInput event(Map<String, Double> context) {
        return new DecisionInput("e", context, List.of("a"), List.of(Map.of()));
    }

    static double value(FeatureSpace space, Map<String, Double> context, String name) {
        Featurized f = space.featurize(event(context));
        double[] x = new double[f.dimension()];
        f.vector(0, x);
        for (int s = 1; s < f.dimension(); s++) {
            if (space.name(s).equals(name)) {
                return x[s];
            }
        }
        throw new AssertionError("no slot for " + name);
    }

    @Test
    void standardisesWithTheRunningMeanAndDeviation() {
        FeatureSpace space = new FeatureSpace(FeatureSpace.Config.defaults());
        for (int i = 1; i <= 100; i++) {
            space.observe(event(Map.of("x", (double) i)));
        }
        double sd = Math.sqrt((100.0 * 100 - 1) / 12); // population deviation of 1..100
        assertEquals(0.0, value(space, Map.of("x", 50.5), "x"), 1e-12);
        assertEquals(1.0, value(space, Map.of("x", 50.5 + sd), "x"), 1e-12);
        Featurized f = space.featurize(event(Map.of("x", 3.0)));
        double[] x = new double[f.dimension()];
        f.vector(0, x);
        assertEquals(1.0, x[0], "the bias is never standardised");
    }

    @Test
    void aMissingFeatureReadsZeroAndALateOneWasZeroBefore() {
        FeatureSpace space = new FeatureSpace(FeatureSpace.Config.defaults());
        for (int i = 0; i < 10; i++) {
            space.observe(event(Map.of("x", 1.0)));
        }
        for (int i = 0; i < 10; i++) {
            space.observe(event(Map.of("x", 1.0, "late", 1.0)));
        }
        // late: ten 0s then ten 1s, mean 0.5 and deviation 0.5.
        assertEquals(1.0, value(space, Map.of("late", 1.0), "late"), 1e-12);
        assertEquals(-1.0, value(space, Map.of(), "late"), 1e-12);
        // x never varied: it carries no information and reads 0.
        assertEquals(0.0, value(space, Map.of("x", 5.0), "x"), 0.0);
    }

    @Test
    void clipsOutliersAndIgnoresValuesThatAreNotNumbers() {
        FeatureSpace space = new FeatureSpace(new FeatureSpace.Config(true, 3.0, 16));
        for (int i = 0; i < 50; i++) {
            space.observe(event(Map.of("x", (double) (i % 2))));
        }
        assertEquals(3.0, value(space, Map.of("x", 1e9), "x"), 0.0);
        assertEquals(-3.0, value(space, Map.of("x", -1e9), "x"), 0.0);
        Map<String, Double> nan = new LinkedHashMap<>();
        nan.put("x", Double.NaN);
        assertEquals(-1.0, value(space, nan, "x"), 1e-12); // read as missing, i.e. 0
    }

    @Test
    void slotsDoNotDependOnTheMapOrderAndStopAtTheCap() {
        Map<String, Double> forward = new LinkedHashMap<>();
        Map<String, Double> backward = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            forward.put("f" + i, 1.0);
            backward.put("f" + (5 - i), 1.0);
        }
        FeatureSpace a = new FeatureSpace(new FeatureSpace.Config(true, 5, 4));
        FeatureSpace b = new FeatureSpace(new FeatureSpace.Config(true, 5, 4));
        a.observe(event(forward));
        b.observe(event(backward));
        assertEquals(5, a.dimension());
        for (int s = 0; s < a.dimension(); s++) {
            assertEquals(a.name(s), b.name(s));
        }
        assertEquals(2, a.refused());
        assertEquals(5, a.featurize(event(forward)).dimension(), "names without a slot are ignored");
    }

    @Test
    void actionFeaturesAreTheirOwnNameSpace() {
        FeatureSpace space = new FeatureSpace(FeatureSpace.Config.defaults());
        DecisionInput input = new DecisionInput("e", Map.of("price", 1.0), List.of("a", "b"),
                List.of(Map.of("price", 2.0), Map.of("price", 4.0)));
        space.observe(input);
        assertEquals(3, space.dimension());
        assertEquals("price", space.name(1));
        assertEquals("a:price", space.name(2));
        Featurized f = space.featurize(input);
        double[] x = new double[3];
        f.vector(1, x);
        assertEquals(1.0, x[2], 1e-12); // 4 against mean 3, deviation 1
    }
}
