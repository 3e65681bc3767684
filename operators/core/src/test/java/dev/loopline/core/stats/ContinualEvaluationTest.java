package dev.loopline.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ContinualEvaluationTest {
    @Test
    void windowMeansDropAPartialLastWindow() {
        assertArrayEquals(new double[] {1.5, 3.5}, ContinualEvaluation.windowMeans(new double[] {1, 2, 3, 4, 5}, 2), 1e-12);
        assertEquals(2, ContinualEvaluation.windowOf(1050, 500));
    }

    @Test
    void dropMinimumAndRecovery() {
        //                0    1    2    3    4    5    6    7    8
        double[] r = {0.9, 1.0, 1.0, 1.0, 0.2, 0.5, 0.9, 1.0, 1.0};
        ContinualEvaluation.Report report = ContinualEvaluation.evaluate(r, new int[] {4},
                new ContinualEvaluation.Config(3, 0.0));
        ContinualEvaluation.ShiftReport s = report.shifts().get(0);
        assertEquals(4, s.shiftWindow());
        assertEquals(1.0, s.preShiftLevel(), 1e-12); // mean of windows 1..3
        assertEquals(0.2, s.minimum(), 1e-12);
        assertEquals(4, s.minimumWindow());
        assertEquals(0.8, s.stabilityGap(), 1e-12);
        assertEquals(OptionalInt.of(3), s.windowsToRecover()); // window 7 is back at 1.0
        // With a tolerance of 0.15, window 6 (0.9) already counts.
        assertEquals(OptionalInt.of(2), ContinualEvaluation.evaluate(r, new int[] {4},
                new ContinualEvaluation.Config(3, 0.15)).shifts().get(0).windowsToRecover());
    }

    @Test
    void eachShiftIsJudgedUpToTheNextOne() {
        //             0  1  2    3    4  5  6    7
        double[] r = {1, 1, 1, 0.4, 0.7, 2, 2, 0.5};
        ContinualEvaluation.Report report = ContinualEvaluation.evaluate(r, new int[] {3, 7},
                new ContinualEvaluation.Config(5, 0.0));
        ContinualEvaluation.ShiftReport first = report.shifts().get(0);
        assertEquals(1.0, first.preShiftLevel(), 1e-12);
        assertEquals(0.4, first.minimum(), 1e-12);
        assertEquals(OptionalInt.of(2), first.windowsToRecover());
        ContinualEvaluation.ShiftReport second = report.shifts().get(1);
        // The baseline of the second shift starts at the first shift: windows 3..6.
        assertEquals((0.4 + 0.7 + 2 + 2) / 4, second.preShiftLevel(), 1e-12);
        assertFalse(second.recovered(), "the series ends in the dip");
        assertEquals(0.4, report.worstMinimum(), 1e-12);
        assertEquals(0.45, report.averageMinimum(), 1e-12);
        assertEquals(1, report.recoveredShifts());
        assertEquals(second.stabilityGap(), report.largestGap(), 1e-12);
    }

    @Test
    void noDropMeansNoGapAndImmediateRecovery() {
        ContinualEvaluation.ShiftReport s = ContinualEvaluation.evaluate(new double[] {1, 1, 2, 2}, new int[] {2},
                ContinualEvaluation.Config.defaults()).shifts().get(0);
        assertEquals(0, s.stabilityGap());
        assertEquals(OptionalInt.of(0), s.windowsToRecover());
    }

    @Test
    void badShiftsAreRefused() {
        double[] r = {1, 1, 1};
        ContinualEvaluation.Config c = ContinualEvaluation.Config.defaults();
        assertThrows(IllegalArgumentException.class, () -> ContinualEvaluation.evaluate(r, new int[] {0}, c));
        assertThrows(IllegalArgumentException.class, () -> ContinualEvaluation.evaluate(r, new int[] {3}, c));
        assertThrows(IllegalArgumentException.class, () -> ContinualEvaluation.evaluate(r, new int[] {2, 1}, c));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ContinualEvaluation.Config(0, 0));
        assertTrue(e.getMessage().contains("baselineWindows=0"));
    }
}
