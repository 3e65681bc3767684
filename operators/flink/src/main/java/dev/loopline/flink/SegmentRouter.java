package dev.loopline.flink;

import dev.loopline.schemas.internal.LoopInput;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Routes the loop to per-segment policy state. Keyed by entity, it names each context event's segment
 * from the values of configured context features and remembers it per decision id, so the decision's
 * feedback (which carries only the entity) is routed to the same segment. Memory per entity is bounded
 * by a state TTL of the wait window plus the tombstone retention.
 */
public final class SegmentRouter extends KeyedProcessFunction<String, LoopInput, LoopInput> {
    public static final String UID = "segment-router-v1";
    private static final String UNKNOWN = "unrouted:";

    private final List<String> segmentFeatures;
    private final long retentionMillis;
    private transient MapState<String, String> segments;

    public SegmentRouter(List<String> segmentFeatures, long retentionMillis) {
        this.segmentFeatures = List.copyOf(segmentFeatures);
        this.retentionMillis = retentionMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, String> descriptor = new MapStateDescriptor<>("segment-of-decision-v1", Types.STRING,
                Types.STRING);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(retentionMillis)).build());
        segments = getRuntimeContext().getMapState(descriptor);
    }

    @Override
    public void processElement(LoopInput input, Context ctx, Collector<LoopInput> out) throws Exception {
        if (input.getContext() != null) {
            String segment = segmentOf(input.getContext().getFeatures(), segmentFeatures);
            segments.put(input.getContext().getEventId(), segment);
            out.collect(LoopInput.newBuilder(input).setRoutingKey(segment).build());
        } else {
            String segment = segments.get(input.getFeedback().getDecisionId());
            // Unknown here means unknown everywhere: the loop operator refuses it as a dead letter.
            out.collect(LoopInput.newBuilder(input)
                    .setRoutingKey(segment != null ? segment : UNKNOWN + ctx.getCurrentKey()).build());
        }
    }

    /** {@code seg:name=value,...} over the configured features, missing ones as 0. */
    public static String segmentOf(Map<String, Double> features, List<String> names) {
        StringBuilder key = new StringBuilder("seg:");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                key.append(',');
            }
            double v = features.getOrDefault(names.get(i), 0.0);
            key.append(names.get(i)).append('=').append(v == Math.rint(v) ? Long.toString((long) v)
                    : String.format(Locale.ROOT, "%.4g", v));
        }
        return key.toString();
    }
}
