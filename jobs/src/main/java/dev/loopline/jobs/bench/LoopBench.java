package dev.loopline.jobs.bench;

import dev.loopline.envs.Environment;
import dev.loopline.envs.Environments;
import dev.loopline.envs.kafka.KafkaEnvironmentRunner;
import dev.loopline.envs.kafka.KafkaRunnerConfig;
import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.JobConfigs;
import dev.loopline.jobs.LooplineJob;
import dev.loopline.jobs.PassThroughJob;
import dev.loopline.jobs.TopicAdmin;
import dev.loopline.jobs.Topics;
import dev.loopline.jobs.embedded.EmbeddedKafka;
import dev.loopline.jobs.models.ModelTopic;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The loop's speed against the engine's ceiling, measured in one JVM on one in-JVM broker, one run after the
 * other ({@code loopline bench}):
 * <ul>
 *   <li>a <b>warm-up</b>: the closed loop at 1,000 events/s with feedback, which also trains the reward model the
 *   decision path serves;</li>
 *   <li><b>throughput</b> of a warm JVM on a fixed count of payments events written to the context topic before
 *   the job starts: the pass-through job ({@link PassThroughJob}, the ceiling), the decision path (the loop with
 *   a fixed serving model, no training, no analysts) and the full loop (its defaults). Events per second are
 *   measured on the broker's clock, from the first decision appended to the last, so job start-up is left out.
 *   The events are stamped one millisecond apart, so event time moves and the wait windows close during the run
 *   (the decisions are learned as timed out: a topic written in advance cannot carry their feedback);</li>
 *   <li><b>latency</b> at fixed rates with the payments simulator playing the environment through Kafka (real
 *   feedback): from the context record's broker append time to the decision's (low-latency), or to the moment a
 *   read-committed consumer receives it (exactly-once: a decision is visible only when its checkpoint commits),
 *   over the decisions after a warm-up.</li>
 * </ul>
 * With a profile directory, each run is recorded by Java Flight Recorder ({@code RUN.jfr}). With a {@link Target}
 * the same runs go to a Flink session cluster (the shaded job jar submitted with each job) and an external broker,
 * at a chosen parallelism: the figures of a deployment rather than of one JVM.
 */
public final class LoopBench {
    private static final int PARTITIONS = 2;
    private static final long SEED = 7;
    /** Long enough for the trainer to promote a few versions (it trains every few seconds). */
    private static final int WARM_UP_SECONDS = 12;

    /**
     * @param events        events of each throughput run (the warm-up run takes a fifth of them, at least 2,000)
     * @param seconds       measured seconds of each latency run
     * @param warmupSeconds seconds of each latency run before the measured ones
     * @param latencyRuns   the latency runs; empty for throughput only
     * @param profileDir    where each run's flight recording goes; null for none
     * @param target        where the jobs run and which broker they use
     */
    public record Options(int events, int seconds, int warmupSeconds, List<LatencyRun> latencyRuns, Path profileDir,
            Target target) {
        /** The embedded default: in-JVM broker and MiniCluster. */
        public Options(int events, int seconds, int warmupSeconds, List<LatencyRun> latencyRuns, Path profileDir) {
            this(events, seconds, warmupSeconds, latencyRuns, profileDir, Target.EMBEDDED);
        }

        public Options {
            if (events < 1_000) {
                throw new IllegalArgumentException("--events " + events + " is too few to measure; use at least 1000");
            }
            if (seconds < 1 || warmupSeconds < 0) {
                throw new IllegalArgumentException("--seconds must be at least 1 and the warm-up not negative");
            }
            latencyRuns = List.copyOf(latencyRuns);
            if (profileDir != null && target.flinkRest() != null) {
                throw new IllegalArgumentException("--profile records this JVM, and with --flink the jobs run in the "
                        + "TaskManagers: record those with their own env.java.opts instead");
            }
        }
    }

    /**
     * Where the bench's jobs run.
     *
     * @param flinkRest     REST address (HOST:PORT) of a Flink session cluster; null: a MiniCluster in this JVM
     * @param jobJar        the shaded job jar submitted with each job to that cluster
     * @param bootstrap     an external Kafka cluster the jobs and this JVM both reach; null: a broker in this JVM
     * @param parallelism   job.parallelism of every job; 0: the loop's default
     * @param checkpointDir checkpoint directory URI the TaskManagers can write; null: one under this JVM's temp dir
     * @param checkpointMillis state.checkpointMillis of every job; 0: the loop's default
     */
    public record Target(String flinkRest, Path jobJar, String bootstrap, int parallelism, String checkpointDir,
            long checkpointMillis) {
        public static final Target EMBEDDED = new Target(null, null, null, 0, null, 0);

        public Target {
            if (flinkRest != null && (jobJar == null || !Files.isRegularFile(jobJar))) {
                throw new IllegalArgumentException("the job jar " + jobJar + " does not exist; build it with "
                        + "`mvn -B -DskipTests package` (or give --jar)");
            }
            if (parallelism < 0) {
                throw new IllegalArgumentException("--parallelism must be at least 1");
            }
            if (checkpointMillis < 0) {
                throw new IllegalArgumentException("--checkpoint-millis must be positive");
            }
        }

        String describe() {
            return (flinkRest == null ? "MiniCluster in this JVM" : "Flink session cluster at " + flinkRest)
                    + (parallelism > 0 ? ", parallelism " + parallelism : "");
        }
    }

    /** One latency run: a delivery mode at a rate of events per second. */
    public record LatencyRun(String delivery, int rate) {}

    public record Throughput(int events, double seconds, double eventsPerSecond) {}

    /** Latency in milliseconds over {@code decisions} measured decisions; {@code achievedRate} = events/s sent. */
    public record Latency(String delivery, int rate, long decisions, double achievedRate, long p50, long p99, long max) {}

    /** @param runsOn where the jobs ran ({@link Target}), e.g. "Flink session cluster at HOST:PORT, parallelism 2" */
    public record Result(Throughput passThrough, Throughput decisionPath, Throughput fullLoop, long checkpointMillis,
            List<Latency> latency, Map<String, Double> ratios, String runsOn) {}

    /** The latency runs: low-latency at 1,000 and 5,000 events/s, exactly-once at 1,000. */
    public static final List<LatencyRun> DEFAULT_LATENCY_RUNS = List.of(new LatencyRun(JobConfig.LOW_LATENCY, 1_000),
            new LatencyRun(JobConfig.LOW_LATENCY, 5_000), new LatencyRun(JobConfig.EXACTLY_ONCE, 1_000));

    private enum Job { PASS_THROUGH, DECISION_PATH, FULL_LOOP }

    private final Options options;
    private final PrintStream console;
    private final Path work;
    private String bootstrap;

    private LoopBench(Options options, PrintStream console, Path work) {
        this.options = options;
        this.console = console;
        this.work = work;
    }

    public static Result run(Options options, PrintStream console) throws Exception {
        Path work = Files.createTempDirectory("loopline-bench-");
        try {
            return new LoopBench(options, console, work).run();
        } finally {
            deleteQuietly(work);
        }
    }

    private Result run() throws Exception {
        if (options.profileDir() != null) {
            Files.createDirectories(options.profileDir());
        }
        Target target = options.target();
        try (EmbeddedKafka kafka = target.bootstrap() == null ? EmbeddedKafka.start(work.resolve("kafka")) : null) {
            bootstrap = kafka == null ? target.bootstrap() : kafka.bootstrapServers();
            console.printf(Locale.ROOT, "%s Kafka broker at %s; %s; %d cores, max heap %d MB%n",
                    kafka == null ? "External" : "In-JVM", bootstrap, target.describe(),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            List<ContextEvent> events = events(options.events());
            // The warm-up plays the closed loop with feedback: it loads classes, JITs the hot paths and trains
            // the reward model that the decision path then serves, fixed.
            Latency warm = latency(new LatencyRun(JobConfig.LOW_LATENCY, 1_000), "warm-up", 2, WARM_UP_SECONDS, true);
            console.printf(Locale.ROOT, "  warm-up: closed loop at 1,000/s for %d s, p50 %d ms (not counted)%n",
                    WARM_UP_SECONDS + 2, warm.p50());
            ModelVersion serving = servingModel(new Topics("bench-warm-up"));
            Throughput pass = throughput("pass-through", Job.PASS_THROUGH, events, null);
            report("pass-through (the ceiling)", pass, null);
            Throughput decision = throughput("decision-path", Job.DECISION_PATH, events, serving);
            report("decision path", decision, pass);
            Throughput full = throughput("full-loop", Job.FULL_LOOP, events, null);
            report("full loop", full, pass);
            List<Latency> latencies = new ArrayList<>();
            for (LatencyRun run : options.latencyRuns()) {
                Latency l = latency(run, "latency-" + run.delivery() + "-" + run.rate(), options.warmupSeconds(),
                        options.seconds(), false);
                latencies.add(l);
                console.printf(Locale.ROOT, "  latency %-12s at %,6d/s (sent %,.0f/s): p50 %,6d ms  p99 %,6d ms  max %,6d ms over %,d decisions%n",
                        l.delivery(), l.rate(), l.achievedRate(), l.p50(), l.p99(), l.max(), l.decisions());
            }
            Map<String, Double> ratios = new java.util.LinkedHashMap<>();
            ratios.put("decisionPathToPassThrough", decision.eventsPerSecond() / pass.eventsPerSecond());
            ratios.put("fullLoopToPassThrough", full.eventsPerSecond() / pass.eventsPerSecond());
            return new Result(pass, decision, full, defaults(Job.FULL_LOOP, "x", JobConfig.EXACTLY_ONCE).build()
                    .checkpointMillis(), latencies, ratios, target.describe());
        }
    }

    private void report(String name, Throughput t, Throughput ceiling) {
        console.printf(Locale.ROOT, "  %-34s %,9.0f events/s (%,d events in %.2f s)%s%n", name, t.eventsPerSecond(),
                t.events(), t.seconds(), ceiling == null ? "" : String.format(Locale.ROOT, "  %.2f of pass-through",
                        t.eventsPerSecond() / ceiling.eventsPerSecond()));
    }

    /** Payments events stamped one millisecond apart from now on. */
    private static List<ContextEvent> events(int count) {
        Environment payments = Environments.create("payments", SEED);
        long start = System.currentTimeMillis();
        List<ContextEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(payments.next(start + i));
        }
        return events;
    }

    private JobConfigs.Builder defaults(Job job, String name, String delivery) {
        JobConfigs.Builder builder = JobConfigs.builder(bootstrap).topicPrefix("bench-" + name).seed(SEED)
                .delivery(delivery).contextFeatures(Environments.create("payments", SEED).contextFeatureNames())
                .checkpointDir(options.target().checkpointDir() != null ? options.target().checkpointDir() + "/" + name
                        : work.resolve("checkpoints-" + name).toUri().toString())
                .runId("bench-" + name + "-" + System.currentTimeMillis());
        if (options.target().parallelism() > 0) {
            builder.set("job.parallelism", Integer.toString(options.target().parallelism()));
        }
        if (options.target().checkpointMillis() > 0) {
            builder.set("state.checkpointMillis", Long.toString(options.target().checkpointMillis()));
        }
        if (job == Job.DECISION_PATH) {
            builder.set("training.enabled", "false").set("monitor.analysts", "false");
        }
        return builder;
    }

    private Throughput throughput(String name, Job job, List<ContextEvent> events, ModelVersion serving) throws Exception {
        JobConfig config = defaults(job, name, JobConfig.EXACTLY_ONCE).build();
        Topics topics = config.topics();
        TopicAdmin.createTopics(bootstrap, Map.of(), topics, partitions(), (short) 1);
        produce(topics.context(), events);
        if (serving != null) {
            new ModelTopic(bootstrap, Map.of(), topics.models()).publish(ModelVersion.newBuilder(serving).setVersion(1)
                    .setParentVersion(0).build());
        }
        StreamExecutionEnvironment env = environment(config);
        if (job == Job.PASS_THROUGH) {
            PassThroughJob.build(env, config);
        } else {
            LooplineJob.build(env, config);
        }
        long[] firstLast = {Long.MAX_VALUE, Long.MIN_VALUE};
        java.util.Set<String> decided = new java.util.HashSet<>();
        try (Recording recording = record(name)) {
            JobClient client = env.executeAsync("loopline-bench-" + name);
            try {
                Duration limit = Duration.ofSeconds(Math.max(120, events.size() / 100));
                readUntil(topics.decisions(), "read_committed", limit, client, r -> {
                    if (decided.add(decisionId(r))) {
                        firstLast[0] = Math.min(firstLast[0], r.timestamp());
                        firstLast[1] = Math.max(firstLast[1], r.timestamp());
                    }
                }, () -> decided.size() >= events.size());
            } finally {
                stop(recording, name);
                client.cancel().get();
            }
        }
        double seconds = Math.max(1, firstLast[1] - firstLast[0]) / 1000.0;
        return new Throughput(events.size(), seconds, (events.size() - 1) / seconds);
    }

    /** The newest version the warm-up's trainer promoted: the decision path serves it, fixed. */
    private ModelVersion servingModel(Topics warm) {
        return new ModelTopic(bootstrap, Map.of(), warm.models()).read("reward").serving()
                .orElseThrow(() -> new IllegalStateException("the warm-up run trained no reward model"));
    }

    private void awaitServingModel(Topics topics, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        ModelTopic models = new ModelTopic(bootstrap, Map.of(), topics.models());
        while (models.read("reward").serving().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the warm-up's trainer promoted no version within " + limit.toSeconds()
                        + " s of the traffic's end");
            }
            Thread.sleep(500);
        }
    }

    /** @param untilModelServes keep the job running after the traffic until its trainer has promoted a version */
    private Latency latency(LatencyRun run, String name, int warmupSeconds, int seconds, boolean untilModelServes)
            throws Exception {
        JobConfig config = defaults(Job.FULL_LOOP, name, run.delivery()).build();
        Topics topics = config.topics();
        TopicAdmin.createTopics(bootstrap, Map.of(), topics, partitions(), (short) 1);
        StreamExecutionEnvironment env = environment(config);
        LooplineJob.build(env, config);
        boolean exactlyOnce = run.delivery().equals(JobConfig.EXACTLY_ONCE);
        Map<String, long[]> decided = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        long measureFrom;
        long sendSeconds = warmupSeconds + seconds;
        try (Recording recording = record(name)) {
            JobClient client = env.executeAsync("loopline-bench-" + name);
            Thread reader = new Thread(() -> readUntil(topics.decisions(), exactlyOnce ? "read_committed" : "read_uncommitted",
                    Duration.ofSeconds(sendSeconds + 120), client,
                    r -> decided.putIfAbsent(decisionId(r),
                            new long[] {r.timestamp(), System.currentTimeMillis()}), done::get), "bench-latency-reader");
            try {
                awaitRunning(client);
                reader.start();
                KafkaRunnerConfig runnerConfig = KafkaRunnerConfig.defaults(bootstrap)
                        .withTopics(topics.context(), topics.decisions(), topics.feedback()).withSeed(SEED)
                        .withRate(run.rate()).withDurationMillis(sendSeconds * 1000).withMaxInFlight(Math.max(20_000, run.rate() * 10));
                measureFrom = System.currentTimeMillis() + warmupSeconds * 1000L;
                try (KafkaEnvironmentRunner runner = new KafkaEnvironmentRunner(runnerConfig, Environments.create("payments", SEED))) {
                    runner.start();
                    runner.awaitAllDecided(Duration.ofSeconds(sendSeconds + 120));
                }
                if (untilModelServes) {
                    // A fresh TaskManager pays the native engine's start in the first round; on a slow cluster the
                    // traffic may end before it: the trainer still trains on what it holds.
                    awaitServingModel(topics, Duration.ofSeconds(90));
                }
            } finally {
                done.set(true);
                reader.join(30_000);
                stop(recording, name);
                client.cancel().get();
            }
        }
        Map<String, Long> appended = new HashMap<>();
        readUntil(topics.context(), "read_uncommitted", Duration.ofSeconds(60), null,
                r -> appended.put(eventId(r), r.timestamp()), null);
        List<Long> millis = new ArrayList<>();
        List<long[]> trace = new ArrayList<>();
        for (Map.Entry<String, long[]> d : decided.entrySet()) {
            Long contextAt = appended.get(d.getKey());
            if (contextAt != null && contextAt >= measureFrom) {
                long latency = (exactlyOnce ? d.getValue()[1] : d.getValue()[0]) - contextAt;
                millis.add(latency);
                trace.add(new long[] {contextAt, latency});
            }
        }
        writeTrace(name, trace);
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalStateException(name + ": no decision after the warm-up was read");
        }
        return new Latency(run.delivery(), run.rate(), sorted.length, (double) sorted.length / seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1]);
    }

    /**
     * With {@code --profile}, each latency run's decisions in append order as {@code RUN-latency.csv}: the latency
     * of every decision against its context's append time, to lay beside the flight recording and the log's
     * checkpoint lines (the tail is a few moments, not a spread).
     */
    private void writeTrace(String name, List<long[]> trace) throws IOException {
        if (options.profileDir() == null) {
            return;
        }
        trace.sort(java.util.Comparator.comparingLong(t -> t[0]));
        StringBuilder csv = new StringBuilder("contextAppendMillis,latencyMillis\n");
        trace.forEach(t -> csv.append(t[0]).append(',').append(t[1]).append('\n'));
        Files.writeString(options.profileDir().resolve(name + "-latency.csv"), csv);
    }

    static long percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The job's environment: a MiniCluster here, or the session cluster with the job jar. */
    private StreamExecutionEnvironment environment(JobConfig config) {
        Target target = options.target();
        if (target.flinkRest() == null) {
            return StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), LooplineJob.flinkConfiguration(config));
        }
        int colon = target.flinkRest().lastIndexOf(':');
        return StreamExecutionEnvironment.createRemoteEnvironment(target.flinkRest().substring(0, colon),
                Integer.parseInt(target.flinkRest().substring(colon + 1)), LooplineJob.flinkConfiguration(config),
                target.jobJar().toString());
    }

    /** One partition per subtask at least, so every source subtask reads. */
    private int partitions() {
        return Math.max(PARTITIONS, options.target().parallelism());
    }

    private static void awaitRunning(JobClient client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the bench job did not start within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private void produce(String topic, List<ContextEvent> events) throws Exception {
        // Not idempotent: on the busy 2-core machine the in-JVM broker refused a retried batch of an idempotent
        // producer as out of sequence. One request in flight keeps the order; a rare duplicate from a retry is
        // counted once, because the runs count distinct decision ids.
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        SingleObjectCodec<ContextEvent> codec = Codecs.context();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ContextEvent e : events) {
                producer.send(new ProducerRecord<>(topic, e.getEntityId().getBytes(StandardCharsets.UTF_8), codec.encode(e)));
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code topic} from its start until {@code enough} says so (or, when null, to its current end),
     * failing after {@code limit} or when the job fails.
     */
    private void readUntil(String topic, String isolation, Duration limit, JobClient job,
            Consumer<ConsumerRecord<byte[], byte[]>> each, java.util.function.BooleanSupplier enough) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = enough == null ? consumer.endOffsets(partitions) : null;
            long deadline = System.nanoTime() + limit.toNanos();
            while (enough != null ? !enough.getAsBoolean()
                    : partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took longer than " + limit.toSeconds() + " s");
                }
                if (job != null && job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException("the bench job ended: " + job.getJobStatus().get());
                }
                consumer.poll(Duration.ofMillis(100)).forEach(each);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static final SingleObjectCodec<dev.loopline.schemas.Decision> DECISIONS = Codecs.decision();
    private static final SingleObjectCodec<ContextEvent> CONTEXTS = Codecs.context();

    private static String decisionId(ConsumerRecord<byte[], byte[]> r) {
        try {
            return DECISIONS.decode(r.value()).getDecisionId();
        } catch (RecordRejectedException e) {
            throw new IllegalStateException("a decision the contract codec refuses", e);
        }
    }

    private static String eventId(ConsumerRecord<byte[], byte[]> r) {
        try {
            return CONTEXTS.decode(r.value()).getEventId();
        } catch (RecordRejectedException e) {
            throw new IllegalStateException("a context event the contract codec refuses", e);
        }
    }

    private Recording record(String name) throws IOException, java.text.ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setName("loopline-bench-" + name);
        if (options.profileDir() != null) {
            recording.start();
        }
        return recording;
    }

    private void stop(Recording recording, String name) throws IOException {
        if (options.profileDir() != null) {
            recording.stop();
            Path file = options.profileDir().resolve(name + ".jfr");
            recording.dump(file);
            console.printf("  flight recording: %s%n", file.toAbsolutePath());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
