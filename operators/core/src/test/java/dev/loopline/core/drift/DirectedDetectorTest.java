package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.drift.PageHinkley.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Detections in one direction only: on an error stream a fall is no drift; a rise is found at the same row as before. */
class DirectedDetectorTest {
    /** A 0/1 error stream whose error rate moves from {@code before} to {@code after} at row 3,000. */
    static double[] errors(double before, double after, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[6_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < (i < 3_000 ? before : after) ? 1 : 0;
        }
        return x;
    }

    static List<Integer> detections(DriftDetectorConfig config, Direction direction, double[] stream) {
        DirectedDetector d = new DirectedDetector(config, direction);
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            if (d.update(stream[i])) {
                hits.add(i);
            }
        }
        return hits;
    }

    @Test
    void adwinOnAFallingErrorRateFiresOnlyWhenFallsAreWatched() {
        double[] falling = errors(0.4, 0.1, 3);
        List<Integer> both = detections(Adwin.Config.defaults(), Direction.BOTH, falling);
        assertTrue(!both.isEmpty() && both.get(0) >= 3_000, "ADWIN cuts its window when the error rate falls: " + both);
        assertEquals(List.of(), detections(Adwin.Config.defaults(), Direction.INCREASE, falling), "no rise, no drift");
        assertEquals(both, detections(Adwin.Config.defaults(), Direction.DECREASE, falling));
    }

    @Test
    void aRisingErrorRateIsDetectedAtTheSameRowsWhateverElseIsWatched() {
        double[] rising = errors(0.1, 0.4, 4);
        List<Integer> both = detections(Adwin.Config.defaults(), Direction.BOTH, rising);
        assertTrue(!both.isEmpty() && both.get(0) >= 3_000, both.toString());
        assertEquals(both, detections(Adwin.Config.defaults(), Direction.INCREASE, rising));
        assertEquals(List.of(), detections(Adwin.Config.defaults(), Direction.DECREASE, rising));
    }

    @Test
    void pageHinkleyIsBuiltForTheDirectionAndDdmRefusesFalls() {
        double[] falling = errors(0.4, 0.1, 5);
        assertEquals(List.of(), detections(PageHinkley.Config.defaults(), Direction.INCREASE, falling));
        assertTrue(!detections(PageHinkley.Config.defaults(), Direction.DECREASE, falling).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DirectedDetector(Ddm.Config.defaults(), Direction.DECREASE));
        assertTrue(e.getMessage().contains("only rises"), e.getMessage());
    }
}
