package dev.loopline.bench;

import dev.loopline.envs.Environments;
import dev.loopline.flink.PendingDecisionSerializer;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.internal.PendingDecision;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One pending decision (a payments context event with its decision) written and read back, as the decision
 * operator does when it opens and resolves a decision: {@code avro} is Flink's Avro serializer (the previous
 * release's state format, the baseline of the same run), {@code direct} the loop's own form.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class StateRecordBenchmark {
    @Param({"avro", "direct"})
    public String format;

    private TypeSerializer<PendingDecision> serializer;
    private PendingDecision record;
    private final DataOutputSerializer out = new DataOutputSerializer(4096);
    private final DataInputDeserializer in = new DataInputDeserializer();

    @Setup
    public void setUp() {
        serializer = format.equals("avro") ? new AvroSerializer<>(PendingDecision.class) : new PendingDecisionSerializer();
        ContextEvent context = Environments.create("payments", 1).next(1_000);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (Action a : context.getActions()) {
            probabilities.put(a.getActionId(), 1.0 / context.getActions().size());
        }
        Decision decision = Decision.newBuilder().setDecisionId(context.getEventId()).setEntityId(context.getEntityId())
                .setTimestamp(context.getTimestamp()).setActionId(context.getActions().get(0).getActionId())
                .setPropensity(0.2).setProbabilities(probabilities).setPolicy("squarecb").setModelVersion(3)
                .setExplored(false).setLatencyMicros(800).build();
        record = PendingDecision.newBuilder().setContext(context).setDecision(decision).setDeadline(4_000)
                .setResolved(false).setBasePrediction(0.7).setServedPrediction(0.7).build();
    }

    @Benchmark
    public PendingDecision writeAndRead() throws IOException {
        out.clear();
        serializer.serialize(record, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return serializer.deserialize(in);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(StateRecordBenchmark.class.getName()).build()).run();
    }
}
