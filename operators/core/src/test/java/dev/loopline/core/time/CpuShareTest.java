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
        pace.ran(1_000, 10);
        assertFalse(pace.allows(1_010));
        assertFalse(pace.allows(1_039));
        assertTrue(pace.allows(1_040));
        assertEquals(40, CpuShare.minInterval(10, 0.25));
    }

    @Test
    void aThreadsCpuTimeCountsItsWorkNotItsWaiting() throws Exception {
        long wallStart = System.nanoTime();
        long cpuStart = CpuShare.threadCpuNanos();
        // Blocked for 200 ms on a latch nobody counts down: waiting, not working.
        assertFalse(new java.util.concurrent.CountDownLatch(1).await(200, java.util.concurrent.TimeUnit.MILLISECONDS));
        double x = 0;
        for (long deadline = System.nanoTime() + 100_000_000L; System.nanoTime() < deadline; ) {
            x += Math.sqrt(x + 1);
        }
        long spent = CpuShare.spentNanos(cpuStart, wallStart);
        long wall = System.nanoTime() - wallStart;
        assertTrue(x > 0);
        if (cpuStart >= 0) {
            assertTrue(spent < wall - 150_000_000L, "sleeping took no CPU: " + spent + " ns of " + wall);
            assertTrue(spent > 20_000_000L, "spinning did: " + spent + " ns");
        } else {
            assertTrue(spent >= wall - 1_000_000L, "without CPU time, wall time");
        }
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
