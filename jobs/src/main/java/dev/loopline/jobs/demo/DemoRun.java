package dev.loopline.jobs.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.envs.kafka.KafkaEnvironmentRunner;
import dev.loopline.envs.kafka.KafkaRunnerConfig;
import dev.loopline.envs.payments.PaymentsConfig;
import dev.loopline.envs.payments.PaymentsIncident;
import dev.loopline.envs.payments.PaymentsSimulator;
import dev.loopline.envs.record.RecordingEnvironment;
import dev.loopline.envs.stats.RunSnapshot;
import dev.loopline.envs.stats.WindowPoint;
import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.JobConfigs;
import dev.loopline.flink.CandidateFault;
import dev.loopline.jobs.LooplineJob;
import dev.loopline.jobs.LoopYaml;
import dev.loopline.envs.Environment;
import dev.loopline.envs.Environments;
import dev.loopline.jobs.TopicAdmin;
import dev.loopline.jobs.Topics;
import dev.loopline.jobs.dashboard.Dashboard;
import dev.loopline.jobs.dashboard.MetricPublisher;
import dev.loopline.jobs.embedded.EmbeddedKafka;
import dev.loopline.jobs.models.ModelTopic;
import dev.loopline.jobs.report.HtmlReport;
import dev.loopline.jobs.report.ModelMark;
import dev.loopline.jobs.report.ReportPoint;
import dev.loopline.jobs.report.ReportSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded default end to end: a KRaft broker in this JVM, the topics, the loop job on a Flink
 * MiniCluster, and the payments simulator playing the environment through Kafka only. Shows one live
 * progress line, then drains the job (so every open wait window closes), and reports.
 */
public final class DemoRun {

    /**
     * What the demo was asked to do.
     *
     * @param dashboard         where to serve the live dashboard while the demo runs; null for none
     * @param injectDriftMillis 0 for the payments simulator's usual drift (route-1 at 30 % from half of
     *                          --seconds on); else a strong drift from this event time on (ms after the
     *                          first event): {@value #STRONG_DRIFT_ROUTE}, the route the best policy uses
     *                          most, keeps {@value #STRONG_DRIFT_SUCCESS} of its success probability
     */
    public record Options(long seconds, long events, long seed, double rate, int badRecords, String policy,
            String delivery, Path summaryFile, Path reportFile, boolean progress, boolean worseCandidate,
            boolean badModels, boolean rollback, Dashboard.Settings dashboard, long injectDriftMillis) {
        /** No dashboard, the usual drift. */
        public Options(long seconds, long events, long seed, double rate, int badRecords, String policy,
                String delivery, Path summaryFile, Path reportFile, boolean progress, boolean worseCandidate,
                boolean badModels, boolean rollback) {
            this(seconds, events, seed, rate, badRecords, policy, delivery, summaryFile, reportFile, progress,
                    worseCandidate, badModels, rollback, null, 0);
        }

        /** The plain demo: no injected models, no rollback. */
        public Options(long seconds, long events, long seed, double rate, int badRecords, String policy,
                String delivery, Path summaryFile, Path reportFile, boolean progress) {
            this(seconds, events, seed, rate, badRecords, policy, delivery, summaryFile, reportFile, progress,
                    false, false, false);
        }

        public Options {
            if (seconds < 1 && events < 1) {
                throw new IllegalArgumentException("give --seconds N (N >= 1) or --events N (N >= 1)");
            }
            if (badRecords < 0) {
                throw new IllegalArgumentException("--inject-bad must not be negative, got " + badRecords);
            }
            if (injectDriftMillis < 0) {
                throw new IllegalArgumentException("--inject-drift must be at 0 s or later, got " + injectDriftMillis + " ms");
            }
        }
    }

    /**
     * The route a strong injected drift degrades: the best route for about 31 % of the payments (route-1,
     * the usual drift, is best for 12 %), so the loop's reward drops by about 0.2 until it relearns.
     */
    public static final String STRONG_DRIFT_ROUTE = "route-2";
    /** The share of its success probability the route keeps after a strong injected drift. */
    public static final double STRONG_DRIFT_SUCCESS = 0.2;

    /**
     * Undecided events the simulator may have outstanding. Exactly-once decisions become visible one
     * checkpoint later, so this must cover about two checkpoint intervals of throughput; much more only
     * queues events in Kafka and shows up as decision latency.
     */
    static final int DEMO_MAX_IN_FLIGHT = 4000;
    /**
     * With --inject-worse-candidate, this training round's candidate is inverted and must be refused: late enough
     * that the gate has its 200 held-out decisions (the first rounds now come within seconds).
     */
    static final int SABOTAGED_ROUND = 5;

    private DemoRun() {}

    /**
     * Choices beyond the plain demo: the environment to play (default payments), the share of decisions
     * that carry an explanation, a loop.yaml whose settings the job uses (Kafka and topics stay embedded),
     * the error memory on or off (on overrides the file), and settings of the environment by name.
     */
    public record Extras(String env, double explainRate, Path config, boolean errorMemory, Map<String, String> envOptions,
            Path recording) {
        public Extras {
            envOptions = Map.copyOf(envOptions);
        }

        public Extras(String env, double explainRate, Path config, boolean errorMemory, Map<String, String> envOptions) {
            this(env, explainRate, config, errorMemory, envOptions, null);
        }

        public Extras(String env, double explainRate, Path config) {
            this(env, explainRate, config, false, Map.of());
        }

        public static Extras none() {
            return new Extras(PaymentsSimulator.NAME, 0.0, null);
        }
    }

    /** Runs the demo and returns the summary (also written to the summary file when one was given). */
    public static Map<String, Object> run(Options options, PrintStream console) throws Exception {
        return run(options, Extras.none(), console);
    }

    public static Map<String, Object> run(Options options, Extras extras, PrintStream console) throws Exception {
        // The environment first: a bad --env or --env-option is refused before anything starts.
        PaymentsConfig payments = PaymentsConfig.defaults(options.seed());
        if (options.injectDriftMillis() > 0) {
            payments = payments.withDrift(STRONG_DRIFT_ROUTE, options.injectDriftMillis(), STRONG_DRIFT_SUCCESS);
        } else if (options.seconds() > 0 && options.events() < 1) {
            payments = payments.withDrift(PaymentsConfig.DEFAULT_DEGRADE_ROUTE, options.seconds() * 1000 / 2,
                    PaymentsConfig.DEFAULT_DEGRADED_SUCCESS);
        }
        Environment simulator = extras.env().equals(PaymentsSimulator.NAME)
                ? new PaymentsSimulator(payments.withOptions(extras.envOptions()))
                : Environments.create(extras.env(), options.seed(), extras.envOptions());
        if (!extras.envOptions().isEmpty()) {
            console.println("Environment " + simulator.name() + " with " + extras.envOptions());
        }
        Path work = Files.createTempDirectory("loopline-demo-");
        long t0 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            String bootstrap = kafka.bootstrapServers();
            console.printf("Kafka broker (KRaft, in-JVM) at %s, up in %.1f s%n", bootstrap, secondsSince(t0));
            Topics topics = Topics.defaults();
            TopicAdmin.createTopics(bootstrap, Map.of(), topics, 2, (short) 1);

            if (options.injectDriftMillis() > 0) {
                console.println(simulator instanceof PaymentsSimulator
                        ? String.format(Locale.ROOT, "Injected drift: %s keeps %.0f %% of its success from %.1f s on",
                                STRONG_DRIFT_ROUTE, 100 * STRONG_DRIFT_SUCCESS, options.injectDriftMillis() / 1000.0)
                        : "Note: --inject-drift applies to the payments simulator only; " + simulator.name() + " runs unchanged");
            }
            JobConfigs.Builder builder = extras.config() == null ? JobConfigs.builder(bootstrap)
                    : LoopYaml.read(extras.config()).set("kafka.bootstrap", bootstrap);
            if (extras.errorMemory()) {
                builder.errorMemory(true);
            }
            JobConfig job = builder.policy(options.policy()).seed(options.seed())
                    .delivery(options.delivery()).contextFeatures(simulator.contextFeatureNames())
                    .explainRate(extras.explainRate())
                    .checkpointDir(work.resolve("checkpoints").toUri().toString())
                    .runId("demo-" + options.seed() + "-" + System.currentTimeMillis()).build();

            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(job.parallelism(),
                    LooplineJob.flinkConfiguration(job));
            LooplineJob.build(env, job, options.worseCandidate() ? CandidateFault.invertRound(SABOTAGED_ROUND)
                    : CandidateFault.NONE);
            long tFlink = System.nanoTime();
            JobClient client = env.executeAsync("loopline-demo-" + options.policy());
            console.printf("Flink MiniCluster: job %s submitted (parallelism %d, RocksDB, checkpoints every %d ms, %s decisions)%n",
                    client.getJobID(), job.parallelism(), job.checkpointMillis(), job.delivery());

            KafkaRunnerConfig runnerConfig = KafkaRunnerConfig.defaults(bootstrap)
                    .withTopics(topics.context(), topics.decisions(), topics.feedback()).withSeed(options.seed())
                    .withRate(options.rate()).withBadRecords(options.badRecords())
                    .withMaxEvents(Math.max(0, options.events())).withMaxInFlight(DEMO_MAX_IN_FLIGHT)
                    .withDurationMillis(options.events() > 0 ? 0 : options.seconds() * 1000);
            try (TopicWatch watch = new TopicWatch(bootstrap, topics.metrics(), topics.deadLetter(), topics.models());
                    RecordingEnvironment recorder = extras.recording() == null ? null
                            : new RecordingEnvironment(simulator, extras.recording());
                    KafkaEnvironmentRunner runner = new KafkaEnvironmentRunner(runnerConfig,
                            recorder == null ? simulator : recorder);
                    SimulatorMetrics simulatorMetrics = new SimulatorMetrics(
                            new MetricPublisher(bootstrap, Map.of(), topics.metrics()), simulator);
                    Dashboard dashboard = startDashboard(options, bootstrap, topics, job, simulator, console)) {
                runner.start();
                long produceStart = System.nanoTime();
                Progress progress = new Progress(console, options.progress());
                ModelInjections models = new ModelInjections(new ModelTopic(bootstrap, Map.of(), topics.models(), job.loop().modelKey()),
                        job.trainer().modelId(), options);
                long plannedMillis = options.events() > 0 ? 0 : options.seconds() * 1000;
                while (!runner.awaitProductionDone(Duration.ofSeconds(1))) {
                    progress.show(runner.snapshot(), runner.windows());
                    simulatorMetrics.publish(runner.windows(), false);
                    models.step(watch, (System.nanoTime() - produceStart) / 1_000_000, plannedMillis,
                            runner.snapshot().contextEvents(), options.events());
                }
                double produceSeconds = secondsSince(produceStart);
                progress.end();
                console.println("Simulator done; waiting for the last decisions and for feedback inside the wait window...");
                Runnable tick = () -> {
                    progress.show(runner.snapshot(), runner.windows());
                    simulatorMetrics.publish(runner.windows(), false);
                };
                awaitOrWarn(() -> runner.awaitAllDecided(Duration.ofMillis(500)), Duration.ofSeconds(120), tick, console,
                        "every event decided");
                awaitOrWarn(() -> runner.awaitFeedbackFlushed(job.loop().rewardWaitMillis(), Duration.ofMillis(500)),
                        Duration.ofSeconds(60), tick, console, "feedback within the wait window sent");
                progress.end();
                // Give the job one checkpoint to take in the last feedback, then drain it: the final
                // watermark closes every open wait window, so each decision is joined or timed out.
                waitFor(() -> false, Duration.ofMillis(2 * job.checkpointMillis()));
                console.println("Draining the job (stop with savepoint, final watermark)...");
                client.stopWithSavepoint(true, work.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
                RunSnapshot s = runner.snapshot();
                simulatorMetrics.publish(runner.windows(), true);
                waitFor(() -> watch.metric("feedback.joined.total") + watch.metric("feedback.timedOut.total")
                        >= s.uniqueDecisionIds() && watch.deadLetters() >= s.badRecordsSent(), Duration.ofSeconds(20));

                Map<String, Object> summary = summary(options, simulator.name(), job, s, watch, produceSeconds);
                long shift = simulator instanceof PaymentsSimulator p ? firstShiftMillis(p.config()) : 0;
                if (shift > 0) {
                    summary.put("shiftAtSeconds", shift / 1000.0);
                    summary.put("regretAfterShift", round(regretSince(runner.windows(), shift, s.cumulativeRegret())));
                }
                summary.put("meanRewardLastQuarter", round(meanRewardOfLast(runner.windows(), s.uniqueDecisionIds() / 4.0)));
                summary.put("regretPerDecisionLastQuarter", round(meanOfLast(runner.windows(), s.uniqueDecisionIds() / 4.0,
                        w -> w.meanOracle() - w.meanExpectedReward())));
                if (job.loop().errorMemoryOn()) {
                    summary.put("errorMemory", memorySummary(watch));
                }
                models.report(summary, s, watch);
                if (recorder != null) {
                    summary.put("recording", recorder.file().toString());
                    summary.put("recordedEvents", recorder.recorded());
                }
                printTable(console, summary, watch);
                if (options.summaryFile() != null) {
                    writeJson(options.summaryFile(), summary);
                    console.println("Summary JSON: " + options.summaryFile().toAbsolutePath());
                }
                if (options.reportFile() != null) {
                    HtmlReport.write(options.reportFile(), reportSummary(summary, s), reportPoints(runner.windows()));
                    console.println("Report: " + options.reportFile().toAbsolutePath());
                }
                if (recorder != null) {
                    console.printf("Recording: %d events in %s; replay them offline with loopline eval --dataset %s%s%n",
                            recorder.recorded(), recorder.file(), recorder.file(), options.summaryFile() == null ? ""
                                    : " --stream-summary " + options.summaryFile());
                }
                return summary;
            }
        } finally {
            deleteQuietly(work);
        }
    }

    /** The first change of the payments world: an outage's start, a fee change, or the route degradation; 0 for none. */
    static long firstShiftMillis(PaymentsConfig c) {
        long first = c.degradeAfterMillis() > 0 ? c.degradeAfterMillis() : Long.MAX_VALUE;
        for (PaymentsIncident incident : c.incidents()) {
            first = Math.min(first, incident instanceof PaymentsIncident.Outage o ? o.fromMillis()
                    : ((PaymentsIncident.FeeChange) incident).atMillis());
        }
        return first == Long.MAX_VALUE ? 0 : first;
    }

    /**
     * Regret of the decisions made from {@code offsetMillis} after the first window on, to the resolution
     * of one window (the run's windows start with its first event).
     */
    static double regretSince(List<WindowPoint> windows, long offsetMillis, double total) {
        if (windows.isEmpty()) {
            return 0;
        }
        long at = windows.get(0).windowStartMillis() + offsetMillis;
        double before = 0;
        for (WindowPoint w : windows) {
            if (w.windowStartMillis() >= at) {
                break;
            }
            before = w.cumulativeRegret();
        }
        return total - before;
    }

    /**
     * Mean realized reward of the last {@code decisions} decisions, from the per-second windows (the boundary
     * window counts in proportion): what the policy has learned by the end of the run, beside the run's mean.
     */
    static double meanRewardOfLast(List<WindowPoint> windows, double decisions) {
        return meanOfLast(windows, decisions, WindowPoint::meanReward);
    }

    /** A per-decision figure of the windows, averaged over the last {@code decisions} decisions. */
    static double meanOfLast(List<WindowPoint> windows, double decisions, java.util.function.ToDoubleFunction<WindowPoint> figure) {
        double sum = 0;
        double counted = 0;
        for (int i = windows.size() - 1; i >= 0 && counted < decisions; i--) {
            WindowPoint w = windows.get(i);
            double value = figure.applyAsDouble(w);
            if (w.decisions() == 0 || Double.isNaN(value)) {
                continue;
            }
            double take = Math.min(w.decisions(), decisions - counted);
            sum += take * value;
            counted += take;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** The error memory's figures over the run: means of the per-window metrics the job published. */
    static Map<String, Object> memorySummary(TopicWatch watch) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : List.of("hitRate", "meanAbsCorrection", "occupancy", "residualMeanBefore", "residualMeanAfter",
                "squaredErrorBefore", "squaredErrorAfter")) {
            List<double[]> h = watch.history("errorMemory." + name);
            m.put(name, h.isEmpty() ? null : round(h.stream().mapToDouble(p -> p[1]).average().orElse(0)));
        }
        return m;
    }

    /** Starts the live dashboard when the options ask for one, and says where it is. */
    private static Dashboard startDashboard(Options options, String bootstrap, Topics topics, JobConfig job,
            Environment simulator, PrintStream console) throws IOException {
        if (options.dashboard() == null) {
            return null;
        }
        Double defaultReward = job.loop().defaultReward();
        Dashboard dashboard = Dashboard.start(options.dashboard(), bootstrap, Map.of(), topics,
                defaultReward == null ? 0 : defaultReward,
                "Loopline demo — " + simulator.name() + ", " + options.policy() + ", seed " + options.seed());
        console.printf("Dashboard: %s (live while the demo runs)%n", dashboard.url());
        return dashboard;
    }

    static Map<String, Object> summary(Options options, String envName, JobConfig job, RunSnapshot s, TopicWatch watch,
            double produceSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("environment", envName);
        m.put("policy", options.policy());
        m.put("seed", options.seed());
        m.put("delivery", job.delivery());
        m.put("contextEvents", s.contextEvents());
        m.put("decisions", s.decisions());
        m.put("uniqueDecisionIds", s.uniqueDecisionIds());
        m.put("duplicateDecisions", s.duplicateDecisions());
        m.put("feedbackJoined", (long) watch.metric("feedback.joined.total"));
        m.put("feedbackTimedOut", (long) watch.metric("feedback.timedOut.total"));
        m.put("feedbackLate", (long) watch.metric("feedback.late.total"));
        m.put("feedbackNeverDelivered", s.feedbackNeverDelivered());
        m.put("badRecordsInjected", s.badRecordsSent());
        m.put("deadLetters", watch.deadLetters());
        m.put("deadLetterReasons", watch.deadLetterReasons());
        m.put("deadLettersByKind", watch.deadLettersByKind());
        Map<Long, Long> published = watch.modelVersions();
        m.put("modelVersionsPublished", published.size());
        long candidates = watch.modelRecords().values().stream().filter(dev.loopline.state.ModelVersions::isCandidate).count();
        m.put("candidatesRefusedByGate", candidates);
        m.put("modelVersionsDeployed", s.modelVersions().size());
        m.put("modelVersionsInDecisions", new ArrayList<>(new java.util.TreeSet<>(s.modelVersions().keySet())));
        long n = Math.max(1, s.uniqueDecisionIds());
        m.put("meanReward", round(s.realizedRewardSum() / n));
        m.put("meanExpectedReward", round(s.expectedRewardSum() / n));
        m.put("uniformRandomMeanReward", round(s.uniformMeanSum() / n));
        m.put("oracleMeanReward", round(s.oracleBestSum() / n));
        m.put("cumulativeRegret", round(s.cumulativeRegret()));
        m.put("uniformRandomRegret", round(s.oracleBestSum() - s.uniformMeanSum()));
        m.put("exploredShare", round(s.exploredCount() / (double) n));
        m.put("decisionsPerSecond", round(s.uniqueDecisionIds() / Math.max(1e-9, produceSeconds)));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", s.latencyP50Millis());
        latency.put("p99", s.latencyP99Millis());
        latency.put("max", s.latencyMaxMillis());
        m.put("latencyMillis", latency);
        m.put("redeployLatencyMillis", redeployLatency(published, s.modelVersionFirstDecisionAppend(), watch));
        return m;
    }

    /**
     * From a version's append time on the model topic to the append time of the first decision stamped
     * with it, over the trainer's promoted versions (broker clock on both ends).
     */
    static Map<String, Object> redeployLatency(Map<Long, Long> published, Map<Long, Long> firstDecision, TopicWatch watch) {
        Map<Long, dev.loopline.schemas.ModelVersion> records = watch.modelRecords();
        List<Long> latencies = new ArrayList<>();
        published.forEach((version, appended) -> {
            Long used = firstDecision.get(version);
            var record = records.get(version);
            if (used != null && record != null && !dev.loopline.state.ModelVersions.isCandidate(record)) {
                latencies.add(Math.max(0, used - appended));
            }
        });
        java.util.Collections.sort(latencies);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", latencies.isEmpty() ? -1 : latencies.get((int) Math.floor(0.50 * (latencies.size() - 1))));
        m.put("p99", latencies.isEmpty() ? -1 : latencies.get((int) Math.ceil(0.99 * (latencies.size() - 1))));
        m.put("versions", latencies.size());
        return m;
    }

    private static void printTable(PrintStream console, Map<String, Object> summary, TopicWatch watch) {
        console.println();
        console.println("Loopline demo summary");
        console.println("─".repeat(60));
        summary.forEach((k, v) -> {
            if (!(v instanceof Map) && !(v instanceof List)) {
                console.printf("  %-28s %s%n", k, v);
            }
        });
        console.printf("  %-28s %s%n", "latencyMillis p50 / p99", ((Map<?, ?>) summary.get("latencyMillis")).get("p50")
                + " / " + ((Map<?, ?>) summary.get("latencyMillis")).get("p99"));
        console.printf("  %-28s %s%n", "modelVersionsInDecisions", summary.get("modelVersionsInDecisions"));
        console.printf("  %-28s %s%n", "redeployLatencyMillis", summary.get("redeployLatencyMillis"));
        if (summary.containsKey("rollback")) {
            console.printf("  %-28s %s%n", "rollback", summary.get("rollback"));
        }
        watch.deadLetterReasons().forEach((reason, count) -> console.printf("  dead letter ×%-5d %s%n", count, reason));
        console.println("─".repeat(60));
    }

    private static ReportSummary reportSummary(Map<String, Object> summary, RunSnapshot s) {
        LinkedHashMap<String, String> figures = new LinkedHashMap<>();
        summary.forEach((k, v) -> figures.put(k, String.valueOf(v)));
        List<ModelMark> marks = s.modelVersions().entrySet().stream()
                .map(e -> new ModelMark(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(ModelMark::version)).toList();
        return new ReportSummary("Loopline demo — " + summary.get("environment") + ", " + summary.get("policy") + ", seed "
                + summary.get("seed"), figures, marks);
    }

    private static List<ReportPoint> reportPoints(List<WindowPoint> windows) {
        List<ReportPoint> points = new ArrayList<>();
        for (WindowPoint w : windows) {
            points.add(new ReportPoint(w.windowStartMillis(), w.decisions(), w.meanReward(), w.meanOracle(),
                    w.meanUniform(), w.cumulativeRegret(), w.exploredShare(), w.latencyP50(), w.latencyP99(),
                    w.modelVersion(), w.decisions()));
        }
        return points;
    }

    static void writeJson(Path file, Map<String, Object> summary) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
    }

    /** The live progress line; the event rate is averaged over a few seconds (exactly-once output arrives per checkpoint). */
    private static final class Progress {
        private static final int RATE_SECONDS = 5;
        private final PrintStream console;
        private final boolean enabled;
        private final java.util.ArrayDeque<long[]> samples = new java.util.ArrayDeque<>();

        Progress(PrintStream console, boolean enabled) {
            this.console = console;
            this.enabled = enabled;
        }

        void show(RunSnapshot s, List<WindowPoint> windows) {
            if (!enabled) {
                return;
            }
            long now = System.nanoTime();
            samples.addLast(new long[] {now, s.contextEvents()});
            while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_SECONDS * 1_000_000_000L) {
                samples.removeFirst();
            }
            long[] first = samples.peekFirst();
            double rate = (s.contextEvents() - first[1]) / Math.max(1e-9, (now - first[0]) / 1e9);
            WindowPoint last = windows.size() >= 2 ? windows.get(windows.size() - 2)
                    : windows.isEmpty() ? null : windows.get(windows.size() - 1);
            long version = s.modelVersions().keySet().stream().mapToLong(Long::longValue).max().orElse(0);
            console.printf(Locale.ROOT, "\r%6.0f ev/s │ decisions %8d │ reward %.3f (oracle %.3f, uniform %.3f) │ regret %8.1f │ explore %4.1f%% │ model v%d │ p50/p99 %d/%d ms ",
                    rate, s.uniqueDecisionIds(), last == null ? 0 : last.meanReward(), last == null ? 0 : last.meanOracle(),
                    last == null ? 0 : last.meanUniform(), s.cumulativeRegret(),
                    100.0 * s.exploredCount() / Math.max(1, s.uniqueDecisionIds()), version,
                    s.latencyP50Millis(), s.latencyP99Millis());
            console.flush();
        }

        void end() {
            if (enabled) {
                console.println();
            }
        }
    }

    private interface Check {
        boolean done() throws InterruptedException;
    }

    private static void awaitOrWarn(Check check, Duration limit, Runnable tick, PrintStream console, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.done()) {
            tick.run();
            if (System.nanoTime() > deadline) {
                console.printf("%nWARNING: not reached within %d s: %s%n", limit.toSeconds(), what);
                return;
            }
        }
    }

    /** Polls a condition with a deadline (a signal, not a fixed sleep). */
    static boolean waitFor(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static double secondsSince(long t) {
        return (System.nanoTime() - t) / 1e9;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is not worth failing the run
        }
    }
}
