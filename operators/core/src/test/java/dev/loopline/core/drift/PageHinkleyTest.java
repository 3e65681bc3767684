package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageHinkleyTest extends DriftDetectorContractTest {

    @Override
    protected DriftDetectorConfig config() {
        return PageHinkley.Config.defaults();
    }

    private static PageHinkley.Config watching(PageHinkley.Direction direction) {
        PageHinkley.Config d = PageHinkley.Config.defaults();
        return new PageHinkley.Config(d.minInstances(), d.delta(), d.lambda(), d.alpha(), direction);
    }

    @Test
    void goldenBernoulliJump() {
        assertEquals(List.of(2044), Streams.detections(config().create(), Streams.bernoulli(11, 2000, 0.2, 2000, 0.5)));
    }

    @Test
    void goldenGaussianShiftUp() {
        // The rise is caught 43 values in; the detector restarts, and with unit noise and the small
        // allowance delta = 0.005 the restarted sum drifts up to lambda once more (a false alarm).
        assertEquals(List.of(1043, 2793), Streams.detections(config().create(), Streams.gaussian(12, 1000, 0, 2000, 1, 1)));
    }

    @Test
    void goldenStationaryStreamHasNoFalseAlarm() {
        assertEquals(List.of(), Streams.detections(config().create(), Streams.bernoulli(13, 20000, 0.3, 0, 0)));
    }

    @Test
    void directionDecidesWhichChangeIsWatched() {
        double[] down = Streams.gaussian(14, 1000, 1, 2000, 0, 1);
        assertEquals(List.of(), Streams.detections(watching(PageHinkley.Direction.INCREASE).create(), down));
        assertEquals(List.of(1034, 2894), Streams.detections(watching(PageHinkley.Direction.DECREASE).create(), down));
        assertEquals(List.of(1034, 2894), Streams.detections(watching(PageHinkley.Direction.BOTH).create(), down));
        double[] up = Streams.gaussian(12, 1000, 0, 2000, 1, 1);
        assertEquals(List.of(1043, 2793), Streams.detections(watching(PageHinkley.Direction.BOTH).create(), up));
    }

    @Test
    void restartsAfterADetection() {
        PageHinkley ph = new PageHinkley(PageHinkley.Config.defaults());
        double[] x = Streams.gaussian(12, 1000, 0, 2000, 1, 1);
        for (int i = 0; i <= 1043; i++) {
            ph.update(x[i]);
        }
        assertEquals(DriftState.Signal.DRIFT, ph.state().signal());
        assertTrue(ph.state().statistic() >= 50);
        ph.update(x[1044]);
        assertEquals(DriftState.Signal.STABLE, ph.state().signal());
        assertEquals(x[1044], ph.state().mean(), 1e-12, "the running mean restarts with the first value after a drift");
    }

    @Test
    void invalidConfigIsRefusedWithTheAllowedRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PageHinkley.Config(30, 0.005, 50, 1.5, PageHinkley.Direction.INCREASE));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("(0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley.Config(30, -1, 50, 1, PageHinkley.Direction.INCREASE));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley.Config(30, 0.005, 0, 1, PageHinkley.Direction.INCREASE));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley.Config(0, 0.005, 50, 1, PageHinkley.Direction.INCREASE));
    }
}
