package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianNaiveBayesTest {
    @Test
    void predictsNothingBeforeLearning() {
        assertNull(new GaussianNaiveBayes(2).predict(new double[] {0, 0}));
    }

    @Test
    void separatesThreeGaussianClasses() {
        GaussianNaiveBayes nb = new GaussianNaiveBayes(2);
        SplittableRandom r = new SplittableRandom(5);
        double[][] centres = {{0, 0}, {4, 0}, {0, 4}};
        String[] names = {"a", "b", "c"};
        int correct = 0;
        int n = 3000;
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            double[] x = {centres[c][0] + r.nextDouble() - 0.5, centres[c][1] + r.nextDouble() - 0.5};
            if (i >= 300 && names[c].equals(nb.predict(x))) {
                correct++;
            }
            nb.learn(x, names[c]);
        }
        assertEquals(n - 300, correct, "well separated classes are all predicted right once learned");
        assertEquals(n, nb.seen());
    }

    @Test
    void aConstantFeatureDoesNotBreakIt() {
        GaussianNaiveBayes nb = new GaussianNaiveBayes(2);
        for (int i = 0; i < 50; i++) {
            nb.learn(new double[] {1, i % 2 == 0 ? -1 : 1}, i % 2 == 0 ? "neg" : "pos");
        }
        assertEquals("pos", nb.predict(new double[] {1, 0.9}));
        assertEquals("neg", nb.predict(new double[] {1, -0.9}));
    }

    @Test
    void wrongInputIsRefused() {
        GaussianNaiveBayes nb = new GaussianNaiveBayes(2);
        assertThrows(IllegalArgumentException.class, () -> nb.learn(new double[] {1}, "a"));
        assertThrows(IllegalArgumentException.class, () -> nb.learn(new double[] {1, Double.NaN}, "a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianNaiveBayes(0));
        assertTrue(e.getMessage().contains("at least one"));
    }
}
