package dev.loopline.flink;

import dev.loopline.core.time.Instants;
import dev.loopline.core.drift.DriftAlarm;
import dev.loopline.core.stats.StabilityTracker;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedOutcome;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drift alerts on the joined-example stream in one scope: keyed by entity, by segment or by one
 * constant key (global), it runs the configured {@link DriftAlarm} on the key's rewards and on its
 * residuals (reward − served prediction, where the decision had one) and emits each alert as a
 * {@link MetricEvent} named {@value #REWARD_ALERT} or {@value #RESIDUAL_ALERT}: scope and key = where,
 * {@code windowEnd} = the event time of the example it fired on, {@code value} = the detector's
 * statistic (negative when the stream fell), {@code unit} = the detector's name.
 *
 * <p>Only decisions that heard their feedback are watched: a timed-out decision's default reward says
 * nothing about the world, and its share swings with throughput. The global instance also closes
 * per-window mean rewards and, after each reward alert, reports the continual evaluation of the shift
 * ({@link StabilityTracker}) as {@code stability.*} metrics.
 *
 * <p>State per key: each alarm as its compact snapshot; globally also the open windows and the tracker.
 */
public final class DriftFunction extends KeyedProcessFunction<String, JoinedOutcome, MetricEvent> {
    public static final String REWARD_ALERT = "drift.alert.reward";
    public static final String RESIDUAL_ALERT = "drift.alert.residual";
    public static final String GLOBAL_KEY = "";
    private static final int SUM = 0, COUNT = 1, SHIFT = 2, SLOTS = 3;

    private final String scope;
    private final MonitorSettings settings;
    private transient ValueState<byte[]> rewardAlarm;
    private transient ValueState<byte[]> residualAlarm;
    private transient MapState<Long, double[]> windows;
    private transient ValueState<byte[]> tracker;

    /** @param scope {@link MonitorSettings#ENTITY}, {@link MonitorSettings#SEGMENT} or {@link MonitorSettings#GLOBAL} */
    public DriftFunction(String scope, MonitorSettings settings) {
        if (!MonitorSettings.SCOPES.contains(scope)) {
            throw new IllegalArgumentException("drift scope '" + scope + "' is unknown; use one of " + MonitorSettings.SCOPES);
        }
        this.scope = scope;
        this.settings = settings;
    }

    /** The operator uid of a scope's instance. */
    public static String uid(String scope) {
        return "drift-" + scope + "-v1";
    }

    /** Whether an outcome is watched: a decision that heard its feedback in time. */
    public static boolean watched(JoinedOutcome e) {
        return e.getOutcome() == JoinOutcome.JOINED;
    }

    /** The key of an example in a scope. */
    public static KeySelector<JoinedOutcome, String> keyOf(String scope) {
        return switch (scope) {
            case MonitorSettings.ENTITY -> JoinedOutcome::getEntityId;
            case MonitorSettings.SEGMENT -> e -> e.getSegment() == null ? "seg:" : e.getSegment();
            default -> e -> GLOBAL_KEY;
        };
    }

    @Override
    public void open(OpenContext openContext) {
        rewardAlarm = getRuntimeContext().getState(retained(new ValueStateDescriptor<>("drift-reward-alarm-v1",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
        residualAlarm = getRuntimeContext().getState(retained(new ValueStateDescriptor<>("drift-residual-alarm-v1",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
        if (scope.equals(MonitorSettings.GLOBAL)) {
            windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("drift-reward-windows-v1", Types.LONG,
                    PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
            tracker = getRuntimeContext().getState(new ValueStateDescriptor<>("stability-tracker-v1",
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        }
    }

    /** Entities and segments come and go: their detectors expire after the retention; the global one never does. */
    private ValueStateDescriptor<byte[]> retained(ValueStateDescriptor<byte[]> descriptor) {
        if (!scope.equals(MonitorSettings.GLOBAL) && settings.keyRetentionMillis() > 0) {
            descriptor.enableTimeToLive(org.apache.flink.api.common.state.StateTtlConfig
                    .newBuilder(java.time.Duration.ofMillis(settings.keyRetentionMillis())).build());
        }
        return descriptor;
    }

    @Override
    public void processElement(JoinedOutcome example, Context ctx, Collector<MetricEvent> out) throws Exception {
        if (!watched(example)) {
            return;
        }
        long t = ctx.timestamp() == null ? example.getResolvedAt() : ctx.timestamp();
        double reward = example.getReward();
        boolean shift = false;
        if (settings.streams().contains(MonitorSettings.REWARD)) {
            Optional<DriftAlarm.Alert> alert = observe(rewardAlarm, settings.rewardAlarm(), reward, t);
            if (alert.isPresent()) {
                out.collect(alertMetric(REWARD_ALERT, ctx.getCurrentKey(), alert.get()));
                shift = true;
            }
        }
        Double served = example.getServedPrediction();
        if (settings.streams().contains(MonitorSettings.RESIDUAL) && served != null && Double.isFinite(served)) {
            observe(residualAlarm, settings.residualAlarm(), reward - served, t)
                    .ifPresent(a -> out.collect(alertMetric(RESIDUAL_ALERT, ctx.getCurrentKey(), a)));
        }
        if (windows != null) {
            // A late example counts in the window the watermark is in, as in the monitor.
            long at = Instants.notBefore(t, ctx.timerService().currentWatermark());
            long end = Instants.windowEnd(at, settings.windowMillis());
            double[] w = windows.get(end);
            if (w == null) {
                w = new double[SLOTS];
                ctx.timerService().registerEventTimeTimer(end - 1);
            }
            w[SUM] += reward;
            w[COUNT]++;
            if (shift) {
                w[SHIFT] = 1;
            }
            windows.put(end, w);
        }
    }

    private static Optional<DriftAlarm.Alert> observe(ValueState<byte[]> state, DriftAlarm.Config config, double value,
            long t) throws Exception {
        byte[] bytes = state.value();
        DriftAlarm alarm = bytes == null ? new DriftAlarm(config) : DriftAlarm.restore(config, bytes);
        Optional<DriftAlarm.Alert> alert = alarm.observe(value, t);
        state.update(alarm.snapshot());
        return alert;
    }

    private MetricEvent alertMetric(String name, String key, DriftAlarm.Alert alert) {
        return MetricEvent.newBuilder().setName(name).setScope(scopeOf(scope)).setKey(key)
                .setWindowEnd(alert.firedAt()).setValue(alert.statistic())
                .setUnit(settings.rewardAlarm().detector().name()).build();
    }

    private static MetricScope scopeOf(String scope) {
        return switch (scope) {
            case MonitorSettings.ENTITY -> MetricScope.ENTITY;
            case MonitorSettings.SEGMENT -> MetricScope.SEGMENT;
            default -> MetricScope.GLOBAL;
        };
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricEvent> out) throws Exception {
        long end = timestamp + 1;
        double[] w = windows.get(end);
        if (w == null) {
            return;
        }
        windows.remove(end);
        byte[] bytes = tracker.value();
        StabilityTracker t = bytes == null ? new StabilityTracker(settings.stability())
                : StabilityTracker.restore(settings.stability(), bytes);
        Optional<StabilityTracker.Status> status = t.window(end, w[SUM] / w[COUNT], w[SHIFT] > 0);
        tracker.update(t.snapshot());
        status.ifPresent(s -> {
            if (s.newShift()) {
                out.collect(stability("stability.preShiftLevel", end, s.preShiftLevel(), "reward"));
            }
            out.collect(stability("stability.minReward", end, s.minimum(), "reward"));
            out.collect(stability("stability.gap", end, s.stabilityGap(), "reward"));
            s.recoveredAfterMillis().ifPresent(ms -> out.collect(stability("stability.recoveryMillis", end, ms, "ms")));
        });
    }

    private static MetricEvent stability(String name, long windowEnd, double value, String unit) {
        return MetricEvent.newBuilder().setName(name).setScope(MetricScope.GLOBAL).setKey(GLOBAL_KEY)
                .setWindowEnd(windowEnd).setValue(value).setUnit(unit).build();
    }
}
