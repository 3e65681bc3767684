package dev.loopline.flink;

import dev.loopline.core.time.Instants;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.schemas.internal.LoopInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/**
 * The loop's event time: an empty input is idle, a busy one trails its newest record by the out-of-order
 * bound, a quiet one is taken to be at the wall clock, the model stream never counts, and no window end or deadline
 * wraps around at the end of time (which used to turn a closing window into a timer at {@code Long.MIN_VALUE}).
 */
class EventTimeTest {
    private static final long BOUND = EventTime.MAX_OUT_OF_ORDERNESS.toMillis();
    private static final long QUIET = EventTime.QUIET_AFTER.toMillis();

    @Test
    void anInputThatHasSeenNothingIsIdleSoItHoldsNobodyBack() {
        Recorder out = new Recorder();
        generator(new ManualClock()).onPeriodicEmit(out);
        assertTrue(out.idle);
        assertTrue(out.watermarks.isEmpty());
    }

    @Test
    void aBusyInputTrailsItsNewestRecordByTheOutOfOrderBound() {
        ManualClock clock = new ManualClock();
        WatermarkGenerator<LoopInput> g = generator(clock);
        Recorder out = new Recorder();
        g.onEvent(null, 10_000, out);
        g.onEvent(null, 9_000, out);
        clock.now += 100;
        g.onPeriodicEmit(out);
        assertEquals(10_000 - BOUND - 1, out.last());
        assertFalse(out.idle);
    }

    @Test
    void aQuietInputIsTakenToBeAtTheWallClockAndNeverGoesBack() {
        ManualClock clock = new ManualClock();
        long[] wall = {50_300};
        WatermarkGenerator<LoopInput> g = generator(clock, wall);
        Recorder out = new Recorder();
        g.onEvent(null, 50_000, out);
        clock.now += QUIET - 1;
        wall[0] += QUIET - 1;
        g.onPeriodicEmit(out);
        assertEquals(50_000 - BOUND - 1, out.last(), "not quiet yet");
        clock.now += 1 + 3_000;
        wall[0] += 1 + 3_000;
        g.onPeriodicEmit(out);
        assertEquals(wall[0] - BOUND - 1, out.last(), "as if records stamped by the wall clock had kept coming");
        // Traffic resumes with a record older than the clock-driven watermark: the watermark holds, it never goes back.
        g.onEvent(null, 51_000, out);
        g.onPeriodicEmit(out);
        assertEquals(wall[0] - BOUND - 1, out.last());
        g.onEvent(null, 60_000, out);
        g.onPeriodicEmit(out);
        assertEquals(60_000 - BOUND - 1, out.last());
    }

    @Test
    void aBatchOfOldFeedbackHoldsTheLoopBackOnlyUntilItsInputIsQuiet() {
        ManualClock clock = new ManualClock();
        long[] wall = {10_000_000};
        WatermarkGenerator<LoopInput> g = generator(clock, wall);
        Recorder out = new Recorder();
        long hoursAgo = wall[0] - 3 * 3_600_000;
        g.onEvent(null, hoursAgo, out);
        g.onPeriodicEmit(out);
        assertEquals(hoursAgo - BOUND - 1, out.last(), "while the batch arrives its own time counts, as for any input");
        clock.now += QUIET;
        wall[0] += QUIET;
        g.onPeriodicEmit(out);
        assertEquals(wall[0] - BOUND - 1, out.last(), "quiet, it no longer holds the context stream back by hours");
    }

    @Test
    void theModelStreamIsIdleFromTheStartEvenWhileItsRecordsFlow() {
        Recorder out = new Recorder();
        WatermarkGenerator<Object> g = new EventTime.AlwaysIdle<>();
        g.onEvent(new Object(), Long.MAX_VALUE - 1, out);
        g.onPeriodicEmit(out);
        assertTrue(out.idle);
        assertTrue(out.watermarks.isEmpty(), "the model stream never sets the loop's event time");
    }

    @Test
    void windowEndsAndDeadlinesStopAtTheEndOfTimeInsteadOfWrappingAround() {
        assertEquals(2_000, Instants.windowEnd(1_000, 1_000));
        assertEquals(2_000, Instants.windowEnd(1_999, 1_000));
        assertEquals(0, Instants.windowEnd(-1, 1_000));
        assertEquals(Long.MAX_VALUE, Instants.windowEnd(Long.MAX_VALUE - 1, 1_000));
        assertEquals(Long.MAX_VALUE, Instants.windowEnd(Long.MAX_VALUE, 1_000));

        assertEquals(Long.MAX_VALUE, Instants.notBefore(5, Long.MAX_VALUE), "the final watermark is not wrapped");
        assertEquals(11, Instants.notBefore(5, 10));
        assertEquals(20, Instants.notBefore(20, 10));

        assertEquals(Long.MAX_VALUE, Instants.plus(Long.MAX_VALUE - 10, 15_000));
        assertEquals(Long.MIN_VALUE, Instants.plus(Long.MIN_VALUE + 10, -15_000));
        assertEquals(16_000, Instants.plus(1_000, 15_000));

        assertEquals(200, Instants.ceilTo(101, 100));
        assertEquals(100, Instants.ceilTo(100, 100));
        assertEquals(0, Instants.ceilTo(-99, 100));
        assertEquals(Long.MAX_VALUE, Instants.ceilTo(Long.MAX_VALUE - 5, 100));
    }

    private static WatermarkGenerator<LoopInput> generator(RelativeClock clock) {
        return generator(clock, new long[] {0});
    }

    private static WatermarkGenerator<LoopInput> generator(RelativeClock clock, long[] wall) {
        return new EventTime.LoopInputWatermarks(BOUND, QUIET, clock, () -> wall[0]);
    }

    private static final class ManualClock implements RelativeClock {
        long now = 1_000_000;

        @Override
        public long relativeTimeMillis() {
            return now;
        }

        @Override
        public long relativeTimeNanos() {
            return now * 1_000_000;
        }
    }

    private static final class Recorder implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }
}
