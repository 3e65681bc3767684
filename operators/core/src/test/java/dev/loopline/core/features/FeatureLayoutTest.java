package dev.loopline.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureLayoutTest {
    static final FeatureLayout LAYOUT = FeatureLayout.ofContextAndActions(
            List.of("x", "y"), List.of("cost"), List.of("b", "a"));

    @Test
    void namesAreContextThenActionFeaturesThenSortedActionIndicators() {
        assertEquals(List.of("x", "y", "a:cost", "action=a", "action=b"), LAYOUT.names());
        assertEquals(5, LAYOUT.dimension());
    }

    @Test
    void vectorizesContextActionFeaturesAndTheScoredActionsIndicator() {
        double[] v = LAYOUT.vectorize(Map.of("x", 1.5, "y", -2.0), "b", Map.of("cost", 0.25));
        assertArrayEquals(new double[] {1.5, -2.0, 0.25, 0, 1}, v);
        v = LAYOUT.vectorize(Map.of("x", 1.5, "y", -2.0), "a", Map.of("cost", 0.75));
        assertArrayEquals(new double[] {1.5, -2.0, 0.75, 1, 0}, v);
    }

    @Test
    void missingFeaturesReadZeroAndUnknownOnesAreIgnored() {
        double[] v = LAYOUT.vectorize(Map.of("y", 3.0, "z", 99.0), "c", Map.of("weight", 5.0));
        assertArrayEquals(new double[] {0, 3.0, 0, 0, 0}, v, "x missing, z unknown, action c unknown, cost missing");
        assertArrayEquals(new double[5], LAYOUT.vectorize(Map.of(), null, null), "no action: no indicator, no action features");
    }

    @Test
    void aReusedBufferIsClearedFirst() {
        double[] scratch = {9, 9, 9, 9, 9};
        LAYOUT.vectorize(Map.of("x", 1.0), "a", Map.of(), scratch);
        assertArrayEquals(new double[] {1, 0, 0, 1, 0}, scratch);
    }

    @Test
    void contextOnlyLayoutTakesTheGivenOrder() {
        FeatureLayout ctx = FeatureLayout.ofContext(List.of("b", "a", "c"));
        assertEquals(List.of("b", "a", "c"), ctx.names());
        assertArrayEquals(new double[] {2, 1, 0}, ctx.vectorize(Map.of("a", 1.0, "b", 2.0), "a", Map.of("a", 7.0)));
    }

    @Test
    void aLayoutReadFromNamesEqualsTheBuiltOne() {
        FeatureLayout fromNames = new FeatureLayout(LAYOUT.names());
        Map<String, Double> ctx = Map.of("x", 0.5, "y", 0.25);
        for (String action : List.of("a", "b", "c")) {
            assertArrayEquals(LAYOUT.vectorize(ctx, action, Map.of("cost", 3.0)),
                    fromNames.vectorize(ctx, action, Map.of("cost", 3.0)));
        }
    }

    @Test
    void namesAreACopy() {
        List<String> names = new ArrayList<>(List.of("x", "y"));
        FeatureLayout layout = new FeatureLayout(names);
        names.add("z");
        assertEquals(2, layout.dimension());
        assertThrows(UnsupportedOperationException.class, () -> layout.names().add("w"));
    }

    @Test
    void aNullValueInTheMapReadsAsZero() {
        Map<String, Double> ctx = new HashMap<>();
        ctx.put("x", null);
        ctx.put("y", 4.0);
        assertArrayEquals(new double[] {0, 4, 0, 0, 0}, LAYOUT.vectorize(ctx, null, null));
    }
}
