package dev.loopline.jobs;

import dev.loopline.flink.LoopInputSerializer;
import dev.loopline.flink.DeadLetters;
import dev.loopline.flink.DriftFunction;
import dev.loopline.flink.EventTime;
import dev.loopline.flink.MonitorSettings;
import dev.loopline.flink.OpeFunction;
import dev.loopline.flink.DecodeLoopInput;
import dev.loopline.flink.DecodeModelVersion;
import dev.loopline.flink.LoopKeys;
import dev.loopline.flink.SegmentRouter;
import dev.loopline.state.ModelVersions;
import dev.loopline.flink.LoopFunction;
import dev.loopline.flink.CandidateFault;
import dev.loopline.flink.ModelTrainerFunction;
import dev.loopline.flink.MonitorFunction;
import dev.loopline.flink.RawRecord;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.JoinedOutcome;
import dev.loopline.schemas.internal.LoopInput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The loop's job graph:
 * <pre>
 * context  ─► decode+validate ─┐                                   ┌─► decisions topic
 * feedback ─► decode+validate ─┴► keyBy(entity) ─► decide & learn ─┼─► joined examples ─► trainer ─► models topic
 * models topic ─────────────────────────────── broadcast ─┘        │                   ├► monitor ─► metrics topic
 *                                                                  │                   ├► drift (entity, segment, global) + stability ─► metrics topic
 *                                                                  │                   └► off-policy estimates and regret ─► metrics topic
 *                                  every refused record ─────────────────────────────────► dead-letter topic
 * </pre>
 * The shaded jar's main class: {@code flink run loopline-jobs-*-job.jar --config loop.yaml}.
 */
public final class LooplineJob {
    private LooplineJob() {}

    /** Flink settings the loop relies on: checkpointing, state backend, no silent Kryo fallback. */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", config.checkpointMillis() + " ms");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString("execution.checkpointing.dir", config.checkpointDir());
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("state.backend.type", config.stateBackend());
        // Every context event first looks its id up among the pending decisions (a duplicate is refused), and
        // nearly every look-up misses: without a bloom filter a miss reads each table of the key's range. The
        // filter made the decision operator 2.6x faster (DecisionOperatorBenchmark); files written without one
        // stay readable.
        conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
        conf.setString("pipeline.generic-types", "false");
        // Records are never changed after they are emitted (every operator builds new ones), so chained operators
        // may share them instead of deep-copying each Avro record between them.
        conf.setString("pipeline.object-reuse", "true");
        config.restart().applyTo(conf);
        conf.setString("execution.buffer-timeout.interval", config.bufferTimeoutMillis() + " ms");
        conf.setString("parallelism.default", Integer.toString(config.parallelism()));
        if (config.prometheusPort() > 0) {
            conf.setString("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", Integer.toString(config.prometheusPort()));
        }
        return conf;
    }

    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, CandidateFault.NONE);
    }

    /** The job with a demonstration's fault in the trainer's candidates ({@link CandidateFault}). */
    public static void build(StreamExecutionEnvironment env, JobConfig config, CandidateFault candidateFault) {
        Topics topics = config.topics();
        DeliveryGuarantee decisionsGuarantee = config.delivery().equals(JobConfig.EXACTLY_ONCE)
                ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;

        SingleOutputStreamOperator<LoopInput> contexts = decoded(env, config, topics.context(), DecodeLoopInput.Kind.CONTEXT);
        SingleOutputStreamOperator<LoopInput> feedback = decoded(env, config, topics.feedback(), DecodeLoopInput.Kind.FEEDBACK);

        WatermarkStrategy<LoopInput> eventTime = EventTime.loopInputs();
        DataStream<LoopInput> loopInputs = contexts.assignTimestampsAndWatermarks(eventTime).uid("context-event-time-v1")
                .union(feedback.assignTimestampsAndWatermarks(eventTime).uid("feedback-event-time-v1"));

        SingleOutputStreamOperator<ModelVersion> modelVersions = env
                .fromSource(KafkaIo.rawSource(config, topics.models()),
                        EventTime.<RawRecord>noEventTime(), "models-source")
                .uid("models-source-v1").setParallelism(1)
                .process(new DecodeModelVersion(), new AvroTypeInfo<>(ModelVersion.class))
                .uid("models-decode-v1").name("models-decode").setParallelism(1);
        BroadcastStream<ModelVersion> models = modelVersions.broadcast(LoopFunction.MODELS);

        SingleOutputStreamOperator<Decision> decisions = routed(loopInputs, config)
                .keyBy(LoopKeys::routingOf)
                .connect(models)
                .process(new LoopFunction(config.loop()))
                .uid(LoopFunction.UID).name("decide-and-learn");

        decisions.sinkTo(KafkaIo.sink(config, topics.decisions(), "decisions", Codecs::decision, Decision::getEntityId,
                decisionsGuarantee)).uid("decisions-sink-v1").name("decisions-sink");

        DataStream<JoinedExample> joined = decisions.getSideOutput(LoopFunction.JOINED);
        DataStream<JoinedOutcome> outcomes = decisions.getSideOutput(LoopFunction.OUTCOMES);
        DataStream<MetricEvent> metrics = outcomes
                .keyBy(outcome -> MonitorFunction.KEY)
                .process(new MonitorFunction(config.metricsWindowMillis())).uid(MonitorFunction.UID)
                .name("monitor").setParallelism(1);
        if (config.training()) {
            SingleOutputStreamOperator<ModelVersion> versions = joined
                    .keyBy(example -> ModelTrainerFunction.KEY)
                    .connect(modelVersions.broadcast(ModelTrainerFunction.KNOWN))
                    .process(new ModelTrainerFunction(config.trainer(), candidateFault)).uid(ModelTrainerFunction.UID)
                    .name("model-update").setParallelism(1);
            // Versions are written at once rather than at the next checkpoint: a new model must reach the
            // decision operator in well under a second. A version written twice after a failure is harmless,
            // because serving keys versions by number and ignores one it already has.
            versions.sinkTo(KafkaIo.sink(config, topics.models(), "models", Codecs::model, ModelVersions::key,
                    DeliveryGuarantee.AT_LEAST_ONCE)).uid("models-sink-v1").name("models-sink").setParallelism(1);
            metrics = metrics.union(versions.getSideOutput(ModelTrainerFunction.GATE_METRICS));
        }
        if (config.analysts()) {
            metrics = metrics.union(analysts(joined, outcomes, config.monitor()));
        }
        metrics.sinkTo(KafkaIo.sink(config, topics.metrics(), "metrics", Codecs::metric, MetricEvent::getName,
                DeliveryGuarantee.EXACTLY_ONCE)).uid("metrics-sink-v1").name("metrics-sink").setParallelism(1);

        DataStream<DeadLetter> deadLetters = contexts.getSideOutput(DeadLetters.TAG)
                .union(feedback.getSideOutput(DeadLetters.TAG), decisions.getSideOutput(DeadLetters.TAG),
                        modelVersions.getSideOutput(DeadLetters.TAG));
        deadLetters.sinkTo(KafkaIo.sink(config, topics.deadLetter(), "deadletter", Codecs::deadLetter,
                DeadLetter::getSourceTopic, DeliveryGuarantee.EXACTLY_ONCE)).uid("deadletter-sink-v1").name("deadletter-sink");
    }

    /**
     * The analysts' metrics: drift alerts in every watched scope (the global instance also evaluates the
     * stability after each shift) and the online off-policy estimates with regret against the best fixed
     * action and the reference. Global ones run on one constant key with parallelism 1.
     */
    private static DataStream<MetricEvent> analysts(DataStream<JoinedExample> joined, DataStream<JoinedOutcome> outcomes,
            MonitorSettings monitor) {
        SingleOutputStreamOperator<MetricEvent> out = joined.keyBy(example -> OpeFunction.KEY, Types.INT)
                .process(new OpeFunction(monitor)).uid(OpeFunction.UID).name("off-policy").setParallelism(1);
        DataStream<MetricEvent> all = out;
        DataStream<JoinedOutcome> watched = outcomes.filter(DriftFunction::watched).uid("drift-watched-v1").name("drift-watched");
        for (String scope : MonitorSettings.SCOPES) {
            if (!monitor.watches(scope)) {
                continue;
            }
            SingleOutputStreamOperator<MetricEvent> alerts = watched
                    .keyBy(DriftFunction.keyOf(scope), Types.STRING)
                    .process(new DriftFunction(scope, monitor)).uid(DriftFunction.uid(scope)).name("drift-" + scope);
            if (scope.equals(MonitorSettings.GLOBAL)) {
                alerts.setParallelism(1);
            }
            all = all.union(alerts);
        }
        return all;
    }

    /** Sets the key of the policy state each element belongs to, per {@code state.scope}. */
    private static DataStream<LoopInput> routed(DataStream<LoopInput> inputs, JobConfig config) {
        return switch (config.stateScope()) {
            case "entity" -> inputs;
            case "global" -> inputs.map(input -> LoopInput.newBuilder(input).setRoutingKey("global").build(),
                    LoopInputSerializer.TYPE).uid("global-router-v1").name("global-router");
            default -> inputs.keyBy(LoopKeys::entityOf)
                    .process(new SegmentRouter(config.segmentFeatures(),
                            config.loop().rewardWaitMillis() + config.loop().tombstoneMillis()),
                            LoopInputSerializer.TYPE)
                    .uid(SegmentRouter.UID).name("segment-router");
        };
    }

    private static SingleOutputStreamOperator<LoopInput> decoded(StreamExecutionEnvironment env, JobConfig config,
            String topic, DecodeLoopInput.Kind kind) {
        String name = kind.name().toLowerCase();
        return env.fromSource(KafkaIo.rawSource(config, topic), WatermarkStrategy.noWatermarks(), name + "-source")
                .uid(name + "-source-v1")
                .process(new DecodeLoopInput(kind, config.limits()), LoopInputSerializer.TYPE)
                .uid(name + "-decode-v1").name(name + "-decode");
    }

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfigs.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        build(env, config);
        env.execute("loopline-" + config.loop().policy());
    }
}
