package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdwinTest extends DriftDetectorContractTest {

    @Override
    protected DriftDetectorConfig config() {
        return Adwin.Config.defaults();
    }

    // ---- golden streams: exact detection indices, pinned -------------------------------------

    @Test
    void goldenBernoulliJump() {
        // 20 % -> 50 % at 2000: ADWIN cuts at the first clock ticks after the change, then keeps
        // shrinking the window over the next checks while the old values drain out.
        assertEquals(List.of(2079, 2111, 2143, 2175),
                Streams.detections(new Adwin(config0()), Streams.bernoulli(11, 2000, 0.2, 2000, 0.5)));
    }

    @Test
    void goldenGaussianShiftUpAndDown() {
        assertEquals(List.of(1055, 1151, 1183),
                Streams.detections(new Adwin(config0()), Streams.gaussian(12, 1000, 0, 2000, 1, 1)));
        assertEquals(List.of(1055, 1183),
                Streams.detections(new Adwin(config0()), Streams.gaussian(14, 1000, 1, 2000, 0, 1)));
    }

    @Test
    void goldenStationaryStreamHasNoFalseAlarm() {
        assertEquals(List.of(), Streams.detections(new Adwin(config0()), Streams.bernoulli(13, 20000, 0.3, 0, 0)));
    }

    private static Adwin.Config config0() {
        return Adwin.Config.defaults();
    }

    // ---- the exponential histogram -------------------------------------------------------------

    @Test
    void withoutChangeTheWindowHoldsEverythingInLogarithmicMemory() {
        Adwin adwin = new Adwin(config0());
        double[] x = Streams.bernoulli(21, 100_000, 0.3, 0, 0);
        double sum = 0;
        for (double v : x) {
            adwin.update(v);
            sum += v;
        }
        assertEquals(0, adwin.state().detections());
        assertEquals(100_000, adwin.width());
        assertEquals(sum / x.length, adwin.state().mean(), 1e-12);
        // M buckets per row plus one in flight, log2(W) rows.
        int rows = 64 - Long.numberOfLeadingZeros(adwin.width());
        assertTrue(adwin.buckets() <= (config0().maxBuckets() + 1) * rows,
                adwin.buckets() + " buckets for a window of " + adwin.width());
    }

    @Test
    void afterAChangeTheWindowKeepsOnlyTheNewConcept() {
        Adwin adwin = new Adwin(config0());
        for (double v : Streams.gaussian(22, 5000, 0, 3000, 5, 1)) {
            adwin.update(v);
        }
        assertTrue(adwin.width() <= 3000 && adwin.width() > 2500, "width " + adwin.width());
        assertEquals(5.0, adwin.state().mean(), 0.1);
    }

    @Test
    void smallerDeltaDetectsLater() {
        double[] x = Streams.bernoulli(11, 2000, 0.2, 2000, 0.5);
        int strict = Streams.detections(new Adwin(Adwin.Config.withDelta(1e-6)), x).get(0);
        int loose = Streams.detections(new Adwin(Adwin.Config.withDelta(0.1)), x).get(0);
        assertTrue(loose <= 2079 && 2079 <= strict, "loose " + loose + ", strict " + strict);
    }

    @Test
    void invalidConfigIsRefusedWithTheAllowedRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Adwin.Config.withDelta(1.5));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("(0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adwin.Config(0.002, 0, 5, 5, 10));
        assertThrows(IllegalArgumentException.class, () -> new Adwin.Config(0.002, 32, 1, 5, 10));
    }
}
