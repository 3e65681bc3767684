package dev.loopline.flink;

import dev.loopline.core.time.Instants;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedOutcome;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Global loop metrics per event-time window: feedback joined, timed out and late, mean reward,
 * regret (exact when the context carried oracle rewards), exploration share, model version in use, and,
 * with the error memory on, what it did to the chosen actions' predictions: hit rate, mean correction,
 * occupancy, residual (observed minus predicted) before and after the correction.
 * Runs on a constant key with parallelism 1; a late example counts in the window the watermark is in.
 */
public final class MonitorFunction extends KeyedProcessFunction<Integer, JoinedOutcome, MetricEvent> {
    public static final String UID = "loop-monitor-v1";
    public static final int KEY = 0;

    private static final int JOINED = 0, TIMED_OUT = 1, LATE = 2, REWARD_SUM = 3, REWARD_N = 4, REGRET_SUM = 5,
            ORACLE_N = 6, EXPLORED = 7, DECIDED = 8, MODEL_VERSION = 9, MEMORY_N = 10, MEMORY_HITS = 11,
            MEMORY_ABS_CORRECTION = 12, MEMORY_OCCUPANCY = 13, RESIDUAL_BEFORE = 14, RESIDUAL_AFTER = 15,
            SQUARED_BEFORE = 16, SQUARED_AFTER = 17, SLOTS = 18;
    private static final int CUM_REGRET = 0, CUM_JOINED = 1, CUM_TIMED_OUT = 2, CUM_LATE = 3, CUM_SLOTS = 4;

    private final long windowMillis;
    private transient MapState<Long, double[]> windows;
    private transient ValueState<double[]> totals;

    public MonitorFunction(long windowMillis) {
        if (windowMillis < 1) {
            throw new IllegalArgumentException("metrics window " + windowMillis + " ms must be at least 1 ms");
        }
        this.windowMillis = windowMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("monitor-windows-v1", Types.LONG,
                PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        totals = getRuntimeContext().getState(new ValueStateDescriptor<>("monitor-totals-v1",
                PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(JoinedOutcome example, Context ctx, Collector<MetricEvent> out) throws Exception {
        long t = Instants.notBefore(ctx.timestamp() == null ? example.getResolvedAt() : ctx.timestamp(),
                ctx.timerService().currentWatermark());
        long end = Instants.windowEnd(t, windowMillis);
        double[] w = slots(windows.get(end));
        if (w == null) {
            w = new double[SLOTS];
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
        switch (example.getOutcome()) {
            case JOINED -> w[JOINED]++;
            case TIMED_OUT -> w[TIMED_OUT]++;
            case LATE -> w[LATE]++;
        }
        if (example.getOutcome() != JoinOutcome.LATE) {
            w[DECIDED]++;
            w[REWARD_SUM] += example.getReward();
            w[REWARD_N]++;
            if (example.getExplored()) {
                w[EXPLORED]++;
            }
            w[MODEL_VERSION] = Math.max(w[MODEL_VERSION], example.getModelVersion());
            if (example.getMemoryOccupancy() != null && example.getBasePrediction() != null) {
                double before = example.getReward() - example.getBasePrediction();
                double after = example.getReward() - example.getServedPrediction();
                w[MEMORY_N]++;
                w[MEMORY_HITS] += example.getMemoryNeighbours() > 0 ? 1 : 0;
                w[MEMORY_ABS_CORRECTION] += Math.abs(example.getServedPrediction() - example.getBasePrediction());
                w[MEMORY_OCCUPANCY] += example.getMemoryOccupancy();
                w[RESIDUAL_BEFORE] += before;
                w[RESIDUAL_AFTER] += after;
                w[SQUARED_BEFORE] += before * before;
                w[SQUARED_AFTER] += after * after;
            }
            Double regret = example.getRegret();
            if (regret != null) {
                w[REGRET_SUM] += regret;
                w[ORACLE_N]++;
            }
        }
        windows.put(end, w);
    }

    /** A window written by an older version (fewer slots) grows to today's, the new slots at 0. */
    private static double[] slots(double[] w) {
        return w == null || w.length >= SLOTS ? w : java.util.Arrays.copyOf(w, SLOTS);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricEvent> out) throws Exception {
        long end = timestamp + 1;
        double[] w = slots(windows.get(end));
        if (w == null) {
            return;
        }
        windows.remove(end);
        double[] cum = totals.value();
        if (cum == null) {
            cum = new double[CUM_SLOTS];
        }
        cum[CUM_REGRET] += w[REGRET_SUM];
        cum[CUM_JOINED] += w[JOINED];
        cum[CUM_TIMED_OUT] += w[TIMED_OUT];
        cum[CUM_LATE] += w[LATE];
        totals.update(cum);
        out.collect(metric("feedback.joined", end, w[JOINED], "count"));
        out.collect(metric("feedback.timedOut", end, w[TIMED_OUT], "count"));
        out.collect(metric("feedback.late", end, w[LATE], "count"));
        out.collect(metric("feedback.joined.total", end, cum[CUM_JOINED], "count"));
        out.collect(metric("feedback.timedOut.total", end, cum[CUM_TIMED_OUT], "count"));
        out.collect(metric("feedback.late.total", end, cum[CUM_LATE], "count"));
        if (w[REWARD_N] > 0) {
            out.collect(metric("reward.mean", end, w[REWARD_SUM] / w[REWARD_N], "reward"));
            out.collect(metric("explore.rate", end, w[EXPLORED] / w[DECIDED], "share"));
            out.collect(metric("model.version", end, w[MODEL_VERSION], "version"));
        }
        if (w[MEMORY_N] > 0) {
            double n = w[MEMORY_N];
            out.collect(metric("errorMemory.hitRate", end, w[MEMORY_HITS] / n, "share"));
            out.collect(metric("errorMemory.meanAbsCorrection", end, w[MEMORY_ABS_CORRECTION] / n, "reward"));
            out.collect(metric("errorMemory.occupancy", end, w[MEMORY_OCCUPANCY] / n, "share"));
            out.collect(metric("errorMemory.residualMeanBefore", end, w[RESIDUAL_BEFORE] / n, "reward"));
            out.collect(metric("errorMemory.residualMeanAfter", end, w[RESIDUAL_AFTER] / n, "reward"));
            out.collect(metric("errorMemory.squaredErrorBefore", end, w[SQUARED_BEFORE] / n, "reward^2"));
            out.collect(metric("errorMemory.squaredErrorAfter", end, w[SQUARED_AFTER] / n, "reward^2"));
        }
        if (w[ORACLE_N] > 0) {
            out.collect(metric("regret.window", end, w[REGRET_SUM], "reward"));
            out.collect(metric("regret.cumulative", end, cum[CUM_REGRET], "reward"));
        }
    }

    private static MetricEvent metric(String name, long windowEnd, double value, String unit) {
        return MetricEvent.newBuilder().setName(name).setScope(MetricScope.GLOBAL).setKey("")
                .setWindowEnd(windowEnd).setValue(value).setUnit(unit).build();
    }
}
