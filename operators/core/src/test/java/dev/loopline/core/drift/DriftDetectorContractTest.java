package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every drift detector keeps. A subclass names its config; the tests drive it with a
 * 0/1 stream whose error rate jumps (every detector, DDM included, accepts it).
 */
abstract class DriftDetectorContractTest {

    protected abstract DriftDetectorConfig config();

    /** A stream with one clear change at index 2000: errors at 20 %, then 60 %. */
    static double[] changing(long seed) {
        return Streams.bernoulli(seed, 2000, 0.2, 2000, 0.6);
    }

    @Test
    void sameInputGivesSameDetectionsAndStates() {
        DriftDetector a = config().create();
        DriftDetector b = config().create();
        double[] x = changing(1);
        for (int i = 0; i < x.length; i++) {
            assertEquals(a.update(x[i]), b.update(x[i]), "value " + i);
            assertEquals(a.state(), b.state(), "state after value " + i);
        }
        assertTrue(a.state().detections() > 0, "the change at 2000 must be detected");
    }

    @Test
    void detectsTheChange() {
        for (long seed = 1; seed <= 6; seed++) {
            List<Integer> hits = Streams.detections(config().create(), changing(seed));
            assertTrue(hits.stream().anyMatch(i -> i >= 2000 && i < 2500),
                    "seed " + seed + ": no detection within 500 values of the change at 2000: " + hits);
        }
    }

    @Test
    void copyCarriesTheStateAndIsIndependent() {
        double[] x = changing(3);
        List<Integer> reference = Streams.detections(config().create(), x);

        DriftDetector original = config().create();
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            if (original.update(x[i])) {
                hits.add(i);
            }
        }
        DriftDetector copy = original.copy();
        assertEquals(original.state(), copy.state());
        assertEquals(original.config(), copy.config());
        // Disturb the copy with a very different stream: the original must not notice.
        for (double v : Streams.bernoulli(99, 3000, 0.95, 0, 0)) {
            copy.update(v);
        }
        assertNotEquals(original.state(), copy.state());
        for (int i = 1500; i < x.length; i++) {
            if (original.update(x[i])) {
                hits.add(i);
            }
        }
        assertEquals(reference, hits, "the original changed when its copy was fed");

        // A fresh copy taken at 1500 continues exactly like the original.
        DriftDetector again = config().create();
        for (int i = 0; i < 1500; i++) {
            again.update(x[i]);
        }
        DriftDetector twin = again.copy();
        for (int i = 1500; i < x.length; i++) {
            assertEquals(again.update(x[i]), twin.update(x[i]), "value " + i);
        }
    }

    @Test
    void snapshotRestoresTheStateIntoAFreshDetectorThatContinuesAlike() {
        double[] x = changing(7);
        DriftDetector original = config().create();
        for (int i = 0; i < 2100; i++) {
            original.update(x[i]);
        }
        byte[] bytes = original.snapshot();
        DriftDetector restored = config().create();
        restored.restore(bytes);
        assertEquals(original.state(), restored.state());
        assertArrayEquals(bytes, restored.snapshot(), "a restored detector writes the same bytes");
        for (int i = 2100; i < x.length; i++) {
            assertEquals(original.update(x[i]), restored.update(x[i]), "value " + i);
            assertEquals(original.state(), restored.state(), "state after value " + i);
        }
        // Compact: a detector that saw 4,000 values fits in a few hundred bytes.
        assertTrue(bytes.length < 1024, bytes.length + " bytes");
    }

    @Test
    void damagedOrForeignSnapshotsAreRefusedAndChangeNothing() {
        DriftDetector d = config().create();
        for (double v : changing(8)) {
            d.update(v);
        }
        DriftState before = d.state();
        byte[] good = d.snapshot();
        assertThrows(IllegalArgumentException.class, () -> d.restore(java.util.Arrays.copyOf(good, good.length - 3)));
        assertThrows(IllegalArgumentException.class, () -> d.restore(java.util.Arrays.copyOf(good, good.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> d.restore(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        for (String other : DriftDetectorConfig.NAMES) {
            if (!other.equals(config().name())) {
                byte[] foreign = DriftDetectorConfig.defaults(other).create().snapshot();
                assertThrows(IllegalArgumentException.class, () -> d.restore(foreign), other);
            }
        }
        assertEquals(before, d.state(), "a refused snapshot leaves the state as it was");
    }

    @Test
    void resetForgetsEverything() {
        DriftDetector d = config().create();
        for (double v : changing(4)) {
            d.update(v);
        }
        assertTrue(d.state().observations() > 0);
        d.reset();
        DriftState s = d.state();
        assertEquals(0, s.observations());
        assertEquals(0, s.detections());
        assertEquals(DriftState.Signal.STABLE, s.signal());
        double[] x = changing(5);
        assertEquals(Streams.detections(config().create(), x), Streams.detections(d, x));
    }

    @Test
    void stateCountsObservationsAndDetections() {
        DriftDetector d = config().create();
        double[] x = changing(6);
        int detections = 0;
        for (int i = 0; i < x.length; i++) {
            boolean hit = d.update(x[i]);
            if (hit) {
                detections++;
            }
            assertEquals(i + 1, d.state().observations());
            assertEquals(detections, d.state().detections());
            assertEquals(hit, d.state().signal() == DriftState.Signal.DRIFT);
        }
    }

    @Test
    void nonFiniteValuesAreRefused() {
        DriftDetector d = config().create();
        assertThrows(IllegalArgumentException.class, () -> d.update(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.update(Double.POSITIVE_INFINITY));
        assertEquals(0, d.state().observations(), "a refused value must not count");
    }

    @Test
    void defaultsByNameMatchTheConfig() {
        assertEquals(config().name(), DriftDetectorConfig.defaults(config().name()).name());
        assertFalse(config().parameters().isEmpty());
    }
}
