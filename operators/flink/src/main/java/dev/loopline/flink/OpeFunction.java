package dev.loopline.flink;

import dev.loopline.core.time.CpuShare;
import dev.loopline.core.time.Instants;
import dev.loopline.core.ope.OffPolicyEvaluation;
import dev.loopline.core.ope.ReplayEvaluation;
import dev.loopline.core.stats.Interval;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online off-policy evaluation and regret without an oracle ({@link ReplayEvaluation}), on one
 * constant key with parallelism 1. Resolved decisions (joined or timed out with the default reward,
 * as the loop learned them) wait in state, filed under their metrics window, until it closes in event
 * time; then they enter the sliding window in arrival order and every candidate, the best fixed action
 * and the reference are estimated. Filing by window means a closing window reads its own decisions only:
 * those of later windows are neither read back nor rewritten. The closes take at most {@code
 * monitor.ope.maxCpuShare} of a core over time ({@link CpuShare}): one due sooner is put off to the next window
 * end, whose estimates then cover both windows. Emits, per window closed:
 * <ul>
 *   <li>{@code ope.snips} and {@code ope.dr}, scope POLICY, key = candidate, with bootstrap interval,
 *       and {@code ope.ess} (effective sample size of the candidate's weights);</li>
 *   <li>{@code regret.estimate.bestFixed.window} / {@code .cumulative} and
 *       {@code regret.estimate.reference.window} / {@code .cumulative}, scope GLOBAL, with bounds.</li>
 * </ul>
 */
public final class OpeFunction extends KeyedProcessFunction<Integer, JoinedExample, MetricEvent> {
    public static final String UID = "loop-ope-v1";
    public static final int KEY = 0;
    private static final Logger LOG = LoggerFactory.getLogger(OpeFunction.class);

    private final MonitorSettings settings;
    /** Decisions waiting for their window to close, by (window end, arrival number). */
    private transient MapState<Tuple2<Long, Long>, JoinedExample> waiting;
    private transient ValueState<Long> arrivals;
    /** Where the previous release kept the waiting decisions in one list; drained at the first window closed. */
    private transient ListState<JoinedExample> legacyPending;
    private transient ValueState<byte[]> evaluation;
    private transient CpuShare pace;

    public OpeFunction(MonitorSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("ope-waiting-v2",
                Types.TUPLE(Types.LONG, Types.LONG), JoinedExampleSerializer.TYPE));
        arrivals = getRuntimeContext().getState(new ValueStateDescriptor<>("ope-arrivals-v2", Types.LONG));
        legacyPending = getRuntimeContext().getListState(new ListStateDescriptor<>("ope-pending-v1",
                new AvroTypeInfo<>(JoinedExample.class)));
        evaluation = getRuntimeContext().getState(new ValueStateDescriptor<>("ope-replay-v1",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        pace = new CpuShare(settings.opeMaxCpuShare());
    }

    /** Whether an example is a logged decision the estimators can use. */
    static boolean usable(JoinedExample e) {
        if (e.getOutcome() == JoinOutcome.LATE || e.getDecision() == null || e.getContext() == null
                || !Double.isFinite(e.getReward())) {
            return false;
        }
        double p = e.getDecision().getPropensity();
        return p > 0 && p <= 1 && e.getContext().getActions().stream()
                .anyMatch(a -> a.getActionId().equals(e.getDecision().getActionId()));
    }

    @Override
    public void processElement(JoinedExample example, Context ctx, Collector<MetricEvent> out) throws Exception {
        if (!usable(example)) {
            return;
        }
        long t = Instants.notBefore(ctx.timestamp() == null ? example.getResolvedAt() : ctx.timestamp(),
                ctx.timerService().currentWatermark());
        long end = Instants.windowEnd(t, settings.windowMillis());
        // Timers on the same timestamp are deduplicated, so each window closes once.
        ctx.timerService().registerEventTimeTimer(end - 1);
        waiting.put(Tuple2.of(end, nextArrival()), example);
    }

    private long nextArrival() throws Exception {
        Long last = arrivals.value();
        long next = last == null ? 0 : last + 1;
        arrivals.update(next);
        return next;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricEvent> out) throws Exception {
        long end = timestamp + 1;
        long started = System.nanoTime();
        long nextClose = end + settings.windowMillis() - 1;
        // Over its share of a core, a close is put off to the next window end: its decisions stay filed and count
        // there. Never when event time is past that end already (the end of input): the close is now or never.
        if (!pace.allows(started) && ctx.timerService().currentWatermark() < nextClose) {
            ctx.timerService().registerEventTimeTimer(nextClose);
            return;
        }
        long cpuStart = CpuShare.threadCpuNanos();
        try {
            close(end, out);
        } finally {
            pace.ran(started, CpuShare.spentNanos(cpuStart, started));
        }
    }

    private void close(long end, Collector<MetricEvent> out) throws Exception {
        ReplayEvaluation replay = load();
        // The previous release's waiting decisions arrived before any filed since: they come first in their window.
        long legacyArrival = Long.MIN_VALUE;
        for (JoinedExample e : legacyPending.get()) {
            waiting.put(Tuple2.of(Instants.windowEnd(e.getResolvedAt(), settings.windowMillis()), legacyArrival++), e);
        }
        legacyPending.clear();
        // Only the keys are read to find the closing window's decisions: values are deserialised when taken.
        List<Map.Entry<Long, JoinedExample>> due = new ArrayList<>();
        for (Iterator<Map.Entry<Tuple2<Long, Long>, JoinedExample>> it = waiting.iterator(); it.hasNext(); ) {
            Map.Entry<Tuple2<Long, Long>, JoinedExample> entry = it.next();
            if (entry.getKey().f0 <= end) {
                due.add(Map.entry(entry.getKey().f1, entry.getValue()));
                it.remove();
            }
        }
        due.sort(Map.Entry.comparingByKey());
        for (Map.Entry<Long, JoinedExample> entry : due) {
            observe(replay, entry.getValue());
        }
        var report = replay.closeWindow();
        evaluation.update(replay.snapshot());
        if (report.isEmpty()) {
            return;
        }
        for (ReplayEvaluation.PolicyEstimate c : report.get().candidates()) {
            out.collect(estimate("ope.snips", c.policy(), end, c.snips()));
            out.collect(estimate("ope.dr", c.policy(), end, c.dr()));
            out.collect(metric("ope.ess", MetricScope.POLICY, c.policy(), end, c.effectiveSampleSize(), null, "decisions"));
        }
        report.get().bestFixed().ifPresent(r -> regret(r, end, out));
        regret(report.get().reference(), end, out);
    }

    private static void observe(ReplayEvaluation replay, JoinedExample e) {
        replay.observe(CoreRecords.decisionInput(e.getContext()), e.getDecision().getActionId(),
                e.getDecision().getPropensity(), e.getReward());
    }

    private ReplayEvaluation load() throws Exception {
        byte[] bytes = evaluation.value();
        if (bytes == null) {
            return new ReplayEvaluation(settings.ope());
        }
        try {
            return ReplayEvaluation.restore(settings.ope(), bytes);
        } catch (IllegalArgumentException e) {
            // The candidates or the reference changed since the savepoint: their replay starts afresh.
            LOG.warn("Off-policy window starts afresh: {}", e.getMessage());
            return new ReplayEvaluation(settings.ope());
        }
    }

    private static void regret(ReplayEvaluation.Regret r, long end, Collector<MetricEvent> out) {
        String name = "regret.estimate." + r.comparator();
        out.collect(metric(name + ".window", MetricScope.GLOBAL, "", end, r.window(), r.windowInterval(), "reward"));
        out.collect(metric(name + ".cumulative", MetricScope.GLOBAL, "", end, r.cumulative(),
                new Interval(r.cumulativeLow(), r.cumulativeHigh(), r.perDecisionInterval().level()), "reward"));
    }

    private static MetricEvent estimate(String name, String policy, long end, OffPolicyEvaluation.Estimate e) {
        return metric(name, MetricScope.POLICY, policy, end, e.value(), e.interval(), "reward");
    }

    private static MetricEvent metric(String name, MetricScope scope, String key, long end, double value,
            Interval interval, String unit) {
        MetricEvent.Builder b = MetricEvent.newBuilder().setName(name).setScope(scope).setKey(key).setWindowEnd(end)
                .setValue(value).setUnit(unit);
        if (interval != null) {
            b.setLow(interval.low()).setHigh(interval.high());
        }
        return b.build();
    }
}
