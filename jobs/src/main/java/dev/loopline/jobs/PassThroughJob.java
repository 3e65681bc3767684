package dev.loopline.jobs;

import dev.loopline.flink.LoopInputSerializer;
import dev.loopline.flink.DecodeLoopInput;
import dev.loopline.flink.LoopKeys;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.internal.LoopInput;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ceiling the loop is measured against ({@code loopline bench}): the loop's context source and decoding,
 * {@code keyBy(entity)} with one small keyed-state read and write per event, and the loop's decisions sink
 * writing one record per event (the first offered action, so a consumer sees the same record shape). No
 * policy, no join, no model, no analysts.
 */
public final class PassThroughJob {
    private PassThroughJob() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        Topics topics = config.topics();
        DeliveryGuarantee guarantee = config.delivery().equals(JobConfig.EXACTLY_ONCE)
                ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        env.fromSource(KafkaIo.rawSource(config, topics.context()), WatermarkStrategy.noWatermarks(), "context-source")
                .uid("pass-context-source-v1")
                .process(new DecodeLoopInput(DecodeLoopInput.Kind.CONTEXT, config.limits()), LoopInputSerializer.TYPE)
                .uid("pass-context-decode-v1").name("context-decode")
                .keyBy(LoopKeys::entityOf)
                .process(new CountPerEntity(), new AvroTypeInfo<>(Decision.class)).uid("pass-through-v1").name("pass-through")
                .sinkTo(KafkaIo.sink(config, topics.decisions(), "decisions", Codecs::decision, Decision::getEntityId, guarantee))
                .uid("pass-decisions-sink-v1").name("decisions-sink");
    }

    /** One RocksDB value read and written per event (a counter), and one record out. */
    static final class CountPerEntity extends KeyedProcessFunction<String, LoopInput, Decision> {
        private transient ValueState<Long> seen;

        @Override
        public void open(OpenContext openContext) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("pass-through-seen-v1", Types.LONG));
        }

        @Override
        public void processElement(LoopInput input, Context ctx, Collector<Decision> out) throws Exception {
            Long count = seen.value();
            seen.update(count == null ? 1 : count + 1);
            ContextEvent event = input.getContext();
            if (event == null || event.getActions().isEmpty()) {
                return;
            }
            String action = event.getActions().get(0).getActionId();
            out.collect(Decision.newBuilder().setDecisionId(event.getEventId()).setEntityId(event.getEntityId())
                    .setTimestamp(event.getTimestamp()).setActionId(action).setPropensity(1.0)
                    .setProbabilities(Map.of(action, 1.0)).setPolicy("pass-through").setModelVersion(0)
                    .setExplored(false).setLatencyMicros(0).build());
        }
    }
}
