package dev.loopline.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The error memory against the same slow base model on synthetic streams with known abrupt shifts,
 * with the command's defaults (refit every 2000 rows, window 2000, the default memory config, seed 1).
 */
class MemoryEvaluationTest {

    static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /**
     * A payments-like 0/1 stream: three Gaussian features and one of four routes; success is logistic
     * in them. Route c goes down at row 7300 (its logit drops by 4) and comes back at row 13700.
     */
    static MemoryEvaluation.Stream outage(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 20_000;
        double[][] x = new double[n][7];
        double[] y = new double[n];
        double[] routeEffect = {0, 0.3, -0.3, 0};
        for (int t = 0; t < n; t++) {
            double x1 = gaussian(random);
            double x2 = gaussian(random);
            double x3 = gaussian(random);
            int route = random.nextInt(4);
            double logit = 0.8 * x1 - 0.6 * x2 + 0.4 * x3 + 1.5 + routeEffect[route]
                    + (route == 2 && t >= 7300 && t < 13_700 ? -4 : 0);
            x[t] = new double[] {x1, x2, x3, route == 0 ? 1 : 0, route == 1 ? 1 : 0, route == 2 ? 1 : 0, route == 3 ? 1 : 0};
            y[t] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        }
        return new MemoryEvaluation.Stream(List.of("x1", "x2", "x3", "route=a", "route=b", "route=c", "route=d"), x, y,
                true, "1");
    }

    /** A regression stream {@code y = w·x + N(0, 0.5²)} in 5 dimensions; at row 9100 w₁ flips from 1 to -1 and the level rises by 1. */
    static MemoryEvaluation.Stream regression(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 20_000;
        double[] w = {1.0, -0.5, 0.8, 0.0, 0.3};
        double[][] x = new double[n][5];
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            double s = 0;
            for (int j = 0; j < 5; j++) {
                x[t][j] = gaussian(random);
                s += (j == 0 && t >= 9100 ? -1.0 : w[j]) * x[t][j];
            }
            y[t] = s + (t >= 9100 ? 1.0 : 0.0) + 0.5 * gaussian(random);
        }
        return new MemoryEvaluation.Stream(List.of("x1", "x2", "x3", "x4", "x5"), x, y, false, null);
    }

    static MemoryEvaluation.Options options(List<Integer> shifts) {
        return new MemoryEvaluation.Options(shifts, MemoryEvaluation.DEFAULT_WINDOW, MemoryEvaluation.DEFAULT_REFIT,
                0.003, ErrorMemoryConfig.defaults());
    }

    /**
     * Measured (seed 7): outage excess 70.9 → -26.7 (138 % less: after the outage the corrected model
     * is better than the base model was before it), recovery excess 211.6 → 90.8 (57 % less); stationary
     * Brier 0.1447 → 0.1466 (+1.3 %).
     */
    @Test
    void theMemoryCutsTheExcessAfterARouteOutageAndItsRecovery() {
        MemoryEvaluation.Result r = new MemoryEvaluation(outage(7), options(List.of(7300, 13_700))).run();
        assertEquals(2, r.perShift().size());
        for (MemoryEvaluation.ShiftFigures f : r.perShift()) {
            assertTrue(f.baseExcess() > 50, "the shift hurts the base model: " + f);
            assertTrue(f.reduction() >= 0.5, "excess cut by at least half: " + f);
        }
        assertTrue(r.stationaryChange() <= 0.02, "stationary cost " + r.stationaryChange());
        assertTrue(r.memoryLoss() < r.baseLoss());
        assertTrue(r.eventsPerSecond() > 0);
    }

    /**
     * Measured (seed 11): excess 6495 → 2603 (60 % less), 2596 above the memory's own level (60 %);
     * stationary squared error 0.2521 → 0.2562 (+1.6 %).
     */
    @Test
    void theMemoryCutsTheExcessAfterACoefficientFlip() {
        MemoryEvaluation.Result r = new MemoryEvaluation(regression(11), options(List.of(9100))).run();
        MemoryEvaluation.ShiftFigures f = r.perShift().get(0);
        assertTrue(f.reduction() >= 0.5, f.toString());
        assertTrue(f.reductionOwnLevel() >= 0.5, f.toString());
        assertTrue(r.stationaryChange() <= 0.02, "stationary cost " + r.stationaryChange());
    }

    @Test
    void theSameSeedGivesTheSameFigures() {
        MemoryEvaluation.Result a = new MemoryEvaluation(regression(3), options(List.of(9100))).run();
        MemoryEvaluation.Result b = new MemoryEvaluation(regression(3), options(List.of(9100))).run();
        assertEquals(a.perShift(), b.perShift());
        assertEquals(a.stationaryMemoryLoss(), b.stationaryMemoryLoss());
    }

    /** ADWIN on the base model's loss finds the flip 19 rows late (9119), and the refit's recovery at 12063. */
    @Test
    void withoutKnownShiftsTheyAreDetected() {
        MemoryEvaluation.Result r = new MemoryEvaluation(regression(11), options(List.of())).run();
        assertTrue(r.shiftsDetected());
        assertFalse(r.shifts().isEmpty());
        int first = r.shifts().get(0);
        assertTrue(first >= 9100 && first < 9400, "detected soon after the flip: " + r.shifts());
    }

    @Test
    void badOptionsAreRejected() {
        ErrorMemoryConfig m = ErrorMemoryConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> new MemoryEvaluation.Options(List.of(5, 3), 100, 0, 0.01, m));
        assertThrows(IllegalArgumentException.class, () -> new MemoryEvaluation.Options(List.of(), 5, 0, 0.01, m));
        assertThrows(IllegalArgumentException.class, () -> new MemoryEvaluation.Options(List.of(), 100, 5, 0.01, m));
        assertThrows(IllegalArgumentException.class, () -> new MemoryEvaluation(regression(1),
                new MemoryEvaluation.Options(List.of(50_000), 100, 0, 0.01, m)));
    }
}
