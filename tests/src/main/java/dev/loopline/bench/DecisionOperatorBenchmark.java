package dev.loopline.bench;

import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.envs.Environment;
import dev.loopline.envs.Environments;
import dev.loopline.flink.DeadLetters;
import dev.loopline.flink.LoopFunction;
import dev.loopline.flink.LoopKeys;
import dev.loopline.flink.LoopSettings;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.LoopInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The decision operator alone, on RocksDB, without Kafka, the network or other tasks: per invocation one payments
 * event is decided and, every other one, its feedback joined 1 ms later; every 100 events event time moves on, so
 * wait windows time out and tombstones expire as they do in the loop. What it measures is the operator's own
 * work (the feedback join, keyed state, timers, outputs); the served model's scoring is {@link
 * ServingModelBenchmark}'s, so the policy here is squarecb before its first version (uniform). Parameters:
 * {@code pending} keeps each waiting decision {@code whole} (a trainer or an off-policy evaluation reads it) or
 * {@code projected} (a decision-only loop); {@code timers} keeps Flink's timers in RocksDB (its default) or on
 * the heap; {@code bloomFilter} gives RocksDB's tables a bloom filter (the job turns it on: nearly every context
 * event's duplicate check is a miss, which without a filter reads every table of the key's range).
 *
 * <p>{@code java -cp ... org.openjdk.jmh.Main DecisionOperatorBenchmark -wi 6 -i 5}: state grows into its steady
 * size during the first iterations, so the warm-up is longer than the other benchmarks'.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DecisionOperatorBenchmark {
    private static final long WAIT_MILLIS = 1_000;
    private static final long TOMBSTONE_MILLIS = 2_000;
    private static final int EVENTS = 20_000;
    private static final List<OutputTag<?>> SIDE_OUTPUTS = List.of(LoopFunction.JOINED, LoopFunction.OUTCOMES, DeadLetters.TAG);

    @Param({"whole", "projected"})
    public String pending;

    @Param({"rocksdb", "heap"})
    public String timers;

    @Param({"false", "true"})
    public String bloomFilter;

    private KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> harness;
    private final List<ContextEvent> events = new ArrayList<>();
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        LoopSettings settings = LoopSettings.of(PolicyFactory.SQUARECB, 7, List.of(), WAIT_MILLIS, 0.0, false,
                TOMBSTONE_MILLIS).withExamplesRead(pending.equals("whole"));
        harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new LoopFunction(settings), List.of(LoopFunction.MODELS)),
                LoopKeys::entityOf, Types.STRING, 128, 1, 0);
        Configuration rocksDb = new Configuration();
        rocksDb.setString("state.backend.rocksdb.timer-service.factory", timers.toUpperCase(java.util.Locale.ROOT));
        rocksDb.setString("state.backend.rocksdb.use-bloom-filter", bloomFilter);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend().configure(rocksDb, getClass().getClassLoader()));
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE - 1);
        Environment payments = Environments.create("payments", 1);
        for (int i = 0; i < EVENTS; i++) {
            events.add(payments.next(i));
        }
    }

    @Benchmark
    public void decideAndJoin() throws Exception {
        long at = 1_000_000 + n;
        ContextEvent template = events.get((int) (n % EVENTS));
        String id = "e" + n;
        ContextEvent event = new ContextEvent(id, template.getEntityId(), at, template.getDomain(), template.getFeatures(),
                template.getActions(), template.getOracleRewards());
        harness.processElement(LoopInput.newBuilder().setContext(event).build(), at);
        if (n % 2 == 0) {
            Feedback feedback = Feedback.newBuilder().setDecisionId(id).setEntityId(event.getEntityId()).setTimestamp(at + 1)
                    .setReward(1.0).build();
            harness.processElement(LoopInput.newBuilder().setFeedback(feedback).build(), at + 1);
        }
        n++;
        if (n % 100 == 0) {
            harness.processWatermark(at);
            harness.getOutput().clear();
            for (OutputTag<?> tag : SIDE_OUTPUTS) {
                var records = harness.getSideOutput(tag);
                if (records != null) {
                    records.clear();
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(DecisionOperatorBenchmark.class.getName()).build()).run();
    }
}
