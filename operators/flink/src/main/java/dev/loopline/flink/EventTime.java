package dev.loopline.flink;

import dev.loopline.core.time.Instants;
import dev.loopline.schemas.internal.LoopInput;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * The loop's event time, in one place: where watermarks come from (window ends and deadlines are computed
 * without overflowing by {@link dev.loopline.core.time.Instants}).
 *
 * <p>Event time comes from the loop's own inputs (context and feedback records) only. The model stream is
 * broadcast into the same operators but carries no event time: it is marked idle from the start, so it
 * neither holds the loop back nor, when the loop's inputs are quiet, pushes every operator after the decision
 * operator to the end of time (a watermark near {@code Long.MAX_VALUE} used to do that, and the window ends
 * computed from it overflowed).
 *
 * <p>A loop input that has never seen a record is idle (an unassigned or empty partition must not hold the
 * others back). One that has seen records and then goes quiet for longer than {@link #QUIET_AFTER} (by its
 * input-activity clock, which stands still while the task is back-pressured) is taken to be at the wall
 * clock: its watermark moves to the wall clock less the out-of-order bound, as if records stamped with the
 * clock kept coming. So the decisions still waiting for feedback time out and the metric windows close
 * while traffic pauses and after it stops, instead of waiting for the next record, and a feedback input that
 * delivered a batch stamped hours ago stops holding the loop back once it is quiet (as an idle input did).
 * The price: an input whose producers' clocks run behind the job's by more than the bound sees its first
 * records after a pause arrive late.
 */
public final class EventTime {
    /** How far records may arrive out of timestamp order before they count as late. */
    public static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofMillis(500);
    /** After this long without a record an input's event time follows its clock. */
    public static final Duration QUIET_AFTER = Duration.ofSeconds(2);

    private EventTime() {}

    /** Watermarks of the context and feedback streams, from each record's own timestamp. */
    public static WatermarkStrategy<LoopInput> loopInputs() {
        return WatermarkStrategy.<LoopInput>forGenerator(context -> new LoopInputWatermarks(
                        MAX_OUT_OF_ORDERNESS.toMillis(), QUIET_AFTER.toMillis(), context.getInputActivityClock(),
                        System::currentTimeMillis))
                .withTimestampAssigner((input, ts) -> input.getContext() != null
                        ? input.getContext().getTimestamp() : input.getFeedback().getTimestamp());
    }

    /** The model stream's: none at all (idle from the start, so it never counts in the loop's event time). */
    public static <T> WatermarkStrategy<T> noEventTime() {
        return WatermarkStrategy.forGenerator(context -> new AlwaysIdle<>());
    }

    /** Bounded out-of-orderness while records come; the wall clock once the input is quiet. */
    static final class LoopInputWatermarks implements WatermarkGenerator<LoopInput> {
        private final long outOfOrdernessMillis;
        private final long quietAfterMillis;
        private final RelativeClock clock;
        private final LongSupplier wallClock;
        private long maxTimestamp = Long.MIN_VALUE;
        private long lastRecordAt;
        private long emitted = Long.MIN_VALUE;

        LoopInputWatermarks(long outOfOrdernessMillis, long quietAfterMillis, RelativeClock clock, LongSupplier wallClock) {
            this.outOfOrdernessMillis = outOfOrdernessMillis;
            this.quietAfterMillis = quietAfterMillis;
            this.clock = clock;
            this.wallClock = wallClock;
        }

        @Override
        public void onEvent(LoopInput input, long timestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            lastRecordAt = clock.relativeTimeMillis();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (maxTimestamp == Long.MIN_VALUE) {
                output.markIdle();
                return;
            }
            long watermark = Instants.plus(maxTimestamp, -outOfOrdernessMillis - 1);
            if (clock.relativeTimeMillis() - lastRecordAt >= quietAfterMillis) {
                watermark = Math.max(watermark, Instants.plus(wallClock.getAsLong(), -outOfOrdernessMillis - 1));
            }
            if (watermark > emitted) {
                emitted = watermark;
            }
            output.emitWatermark(new Watermark(emitted));
        }
    }

    /** Marks its stream idle at once and for good: the stream's records flow, its time never counts. */
    static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
