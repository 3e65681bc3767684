package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DdmTest extends DriftDetectorContractTest {

    @Override
    protected DriftDetectorConfig config() {
        return Ddm.Config.defaults();
    }

    @Test
    void goldenBernoulliJump() {
        // 591 is DDM's known weakness: early on, p_min + s_min is estimated from few values, and a run
        // of errors crosses three of its standard deviations.
        assertEquals(List.of(591, 2485), Streams.detections(config().create(), Streams.bernoulli(11, 2000, 0.2, 2000, 0.5)));
    }

    @Test
    void goldenStationaryStreamHasNoFalseAlarm() {
        assertEquals(List.of(), Streams.detections(config().create(), Streams.bernoulli(13, 20000, 0.3, 0, 0)));
    }

    @Test
    void warnsBeforeItDetects() {
        Ddm ddm = new Ddm(Ddm.Config.defaults());
        double[] x = Streams.bernoulli(11, 2000, 0.2, 2000, 0.5);
        int firstWarning = -1;
        for (int i = 0; i < 2485; i++) {
            ddm.update(x[i]);
            if (i >= 2000 && firstWarning < 0 && ddm.state().signal() == DriftState.Signal.WARNING) {
                firstWarning = i;
            }
        }
        assertTrue(firstWarning >= 2000 && firstWarning < 2485, "first warning after the change at " + firstWarning);
        assertTrue(ddm.update(x[2485]), "the drift at 2485");
    }

    @Test
    void aPerfectStartDoesNotMakeTheFirstErrorADrift() {
        Ddm ddm = new Ddm(Ddm.Config.defaults());
        for (int i = 0; i < 100; i++) {
            ddm.update(0);
        }
        assertEquals(false, ddm.update(1));
    }

    @Test
    void valuesOutsideTheUnitIntervalAreRefused() {
        Ddm ddm = new Ddm(Ddm.Config.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ddm.update(2));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ddm.update(-0.5));
    }

    @Test
    void invalidConfigIsRefusedWithTheAllowedRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Ddm.Config(30, 3, 2));
        assertTrue(e.getMessage().contains("driftLevel=2.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ddm.Config(0, 2, 3));
    }
}
