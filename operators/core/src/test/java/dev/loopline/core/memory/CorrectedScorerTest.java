package dev.loopline.core.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Predict with the base model, correct by the memory; learn the base model's residual. */
class CorrectedScorerTest {
    static final ErrorMemoryConfig CONFIG = ErrorMemoryConfig.defaults().withWeighting(1, 0.2, 0.6, 0);
    static final ToDoubleFunction<double[]> BASE = x -> 0.2 + 0.1 * x[0];

    @Test
    void predictsThenCorrectsThenLearnsTheBaseResidual() {
        CorrectedScorer scorer = new CorrectedScorer(BASE, new ErrorMemory(CONFIG));
        double[] x = {1, 2, 3};
        double[] kept = x.clone();
        Correction first = scorer.predict(x, 0);
        assertFalse(first.hit());
        assertEquals(0.3, first.corrected(), 1e-12);
        scorer.learn(x, 0.8, first, 0); // base residual 0.5
        Correction second = scorer.predict(x, 1);
        assertEquals(0.3, second.base(), 1e-12);
        assertEquals(0.8, second.corrected(), 1e-12);
        scorer.learn(x, 0.8, second, 1); // still the base residual 0.5, not the corrected one 0
        assertEquals(0.8, scorer.predict(x, 2).corrected(), 1e-12);
        assertArrayEquals(kept, x);
        ErrorMemoryStats s = scorer.memory().statistics();
        assertEquals(0.5, s.residualMeanBefore(), 1e-12);
        assertEquals(0.25, s.residualMeanAfter(), 1e-12);
    }

    @Test
    void boundsHoldAProbabilityInsideZeroAndOne() {
        CorrectedScorer scorer = new CorrectedScorer(BASE, CorrectedScorer.Representation.features(),
                new ErrorMemory(CONFIG), 0, 1);
        double[] x = {5, 0};
        scorer.learn(x, 3.0, 0); // base 0.7, residual 2.3
        Correction c = scorer.predict(x, 1);
        assertTrue(c.hit());
        assertEquals(1.0, c.corrected());
        assertEquals(0.7, c.base(), 1e-12);
    }

    @Test
    void theRepresentationMayUseTheBasePrediction() {
        CorrectedScorer.Representation withScore = (x, p) -> new double[] {x[0], p};
        CorrectedScorer scorer = new CorrectedScorer(BASE, withScore, new ErrorMemory(CONFIG), -10, 10);
        scorer.learn(new double[] {1, 9}, 1.3, 0);
        assertEquals(2, scorer.memory().dimension());
        Correction c = scorer.predict(new double[] {1, 1}, 1); // another x[1], the same x[0] and score
        assertTrue(c.hit());
        assertEquals(1.0, c.topSimilarity(), 1e-12);
    }

    @Test
    void emptyBoundsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CorrectedScorer(BASE,
                CorrectedScorer.Representation.features(), new ErrorMemory(CONFIG), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CorrectedScorer(null, new ErrorMemory(CONFIG)));
    }
}
