package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.bench.LoopBench;
import dev.loopline.jobs.bench.StateSizing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the loop's speed against the engine's ceiling on the embedded default (in-JVM KRaft broker, "
                + "Flink MiniCluster, RocksDB, the payments simulator as the load), one run after the other in one JVM:",
                "  throughput (warm JVM, a fixed count of events written before the job starts): pass-through (decode, "
                        + "keyBy, one keyed-state read and write, one record out: the ceiling), the decision path (fixed serving "
                        + "model, no training, no analysts) and the full loop (its defaults), with their ratios to pass-through;",
                "  latency at fixed rates (context append -> decision append on the broker's clock; for exactly-once, "
                        + "until a read-committed consumer has the decision): low-latency at 1,000 and 5,000 events/s, "
                        + "exactly-once at 1,000.",
                "With --flink HOST:PORT the same jobs run on a Flink session cluster (and with --bootstrap on your Kafka), "
                        + "at --parallelism N.",
                "A tool, not a test: the figures depend on the machine; compare ratios from one run."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "50000", description = "Events of each throughput run (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds of each latency run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
            description = "Seconds of each latency run before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--latency", split = ",", paramLabel = "DELIVERY:RATE",
            description = "Latency runs instead of the default low-latency:1000,low-latency:5000,exactly-once:1000; none: throughput only.")
    List<String> latency;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--profile", paramLabel = "DIR", description = "Record each run with Java Flight Recorder into DIR/RUN.jfr.")
    Path profile;

    @Option(names = "--flink", paramLabel = "HOST:PORT",
            description = "Run the jobs on this Flink session cluster (REST address) instead of a MiniCluster in this JVM; "
                    + "each job is submitted with the shaded jar (--jar).")
    String flink;

    @Option(names = "--jar", defaultValue = SubmitCommand.DEFAULT_JAR,
            description = "The shaded job jar submitted with --flink (default: ${DEFAULT-VALUE}).")
    Path jar;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster (reachable from here and from the TaskManagers) instead of a broker in this JVM.")
    String bootstrap;

    @Option(names = "--parallelism", defaultValue = "0", paramLabel = "N",
            description = "job.parallelism of every job (default: the loop's, 2).")
    int parallelism;

    @Option(names = "--checkpoint-millis", defaultValue = "0", paramLabel = "MS",
            description = "state.checkpointMillis of every job (default: the loop's, 2000): what an exactly-once decision waits for.")
    long checkpointMillis;

    @Option(names = "--checkpoint-dir", paramLabel = "URI",
            description = "Checkpoint directory the TaskManagers can write (default: under this JVM's temp directory, "
                    + "enough for a cluster on this machine).")
    String checkpointDir;

    @Option(names = "--sizing", description = "Instead of the loop's runs: state bytes per entity and CPU per decision of "
            + "each policy family, bytes per pending decision and per error-memory entry (seconds, no broker).")
    boolean sizing;

    @Override
    public Integer call() throws Exception {
        if (sizing) {
            StateSizing.Result result = StateSizing.measure(Math.max(events, 2), System.out);
            if (json != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
                System.out.println("JSON: " + json.toAbsolutePath());
            }
            return 0;
        }
        LoopBench.Target target = new LoopBench.Target(flink, jar, bootstrap, parallelism, checkpointDir,
                checkpointMillis);
        LoopBench.Result result = LoopBench.run(new LoopBench.Options(events, seconds, warmup, latencyRuns(), profile, target),
                System.out);
        System.out.printf(Locale.ROOT, "Ratios to pass-through: decision path %.2f, full loop %.2f (checkpoints every %d ms)%n",
                result.ratios().get("decisionPathToPassThrough"), result.ratios().get("fullLoopToPassThrough"),
                result.checkpointMillis());
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
            System.out.println("JSON: " + json.toAbsolutePath());
        }
        return 0;
    }

    private List<LoopBench.LatencyRun> latencyRuns() {
        if (latency == null) {
            return LoopBench.DEFAULT_LATENCY_RUNS;
        }
        List<LoopBench.LatencyRun> runs = new ArrayList<>();
        for (String run : latency) {
            if (run.equals("none")) {
                continue;
            }
            String[] parts = run.split(":");
            if (parts.length != 2 || !(parts[0].equals(JobConfig.LOW_LATENCY) || parts[0].equals(JobConfig.EXACTLY_ONCE))) {
                throw new IllegalArgumentException("--latency " + run + ": use DELIVERY:RATE with low-latency or exactly-once");
            }
            runs.add(new LoopBench.LatencyRun(parts[0], Integer.parseInt(parts[1])));
        }
        return runs;
    }
}
