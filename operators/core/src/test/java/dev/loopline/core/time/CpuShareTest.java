package dev.loopline.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuShareTest {
    @Test
    void aRunOfDAtAQuarterWaitsFourDFromItsStart() {
        CpuShare pace = new CpuShare(0.25);
        assertTrue(pace.allows(0), "the first run starts at once");
        pace.ran(1_000, 1_010);
        assertFalse(pace.allows(1_010));
        assertFalse(pace.allows(1_039));
        assertTrue(pace.allows(1_040));
        assertEquals(40, CpuShare.minInterval(10, 0.25));
    }

    @Test
    void aWholeCoreOnlyRunsSerially() {
        CpuShare pace = new CpuShare(1.0);
        pace.ran(0, 50);
        assertTrue(pace.allows(50));
        assertThrows(IllegalArgumentException.class, () -> new CpuShare(0));
        assertThrows(IllegalArgumentException.class, () -> new CpuShare(1.5));
    }
}
