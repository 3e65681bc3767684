package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.jobs.Topics;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.tests.cluster.Await;
import dev.loopline.tests.cluster.ClusterClasspath;
import dev.loopline.tests.cluster.ClusterFixture;
import dev.loopline.tests.cluster.FlinkSessionCluster;
import dev.loopline.tests.cluster.JvmProcess;
import dev.loopline.tests.cluster.KafkaBrokerProcess;
import dev.loopline.tests.cluster.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Loopline deployed like any Flink job, on real processes on 127.0.0.1: a Kafka broker (KRaft) in its own
 * JVM, a standalone Flink session cluster of one JobManager and two TaskManagers as separate JVMs (from
 * the Maven artifacts; see {@link ClusterClasspath} for what is on their classpath), the topics made
 * with {@code loopline topics create}, the shaded job jar submitted with {@code loopline submit}, and
 * the payments simulator played by {@code loopline env payments} as one more process, all from one
 * {@code loop.yaml} (the repository's example with this run's broker and directories).
 *
 * <p>Checked: every context event got exactly one decision (read committed: as many decision records as
 * events, each event id once); the job, submitted before any event and idle on empty topics for a while,
 * published its window metrics while the simulator ran and resolved every decision (joined or timed out)
 * within the wait window plus a few seconds of the simulator's end; the decision operator's subtasks ran on both TaskManagers; Flink's
 * Prometheus reporter served the loop's metrics on each TaskManager and the JobManager. Printed: the time
 * each component took to start, and the throughput. Every process is stopped by its PID, pass or fail;
 * logs, configuration and PID files stay in {@code target/cluster-deployment/}.
 */
class ClusterDeploymentTest {
    private static final int EVENTS = 5_000;
    /** Paced, so the run lasts long enough for metric windows to close and commit while it goes on. */
    private static final int RATE = 500;
    /** Longer than the loop inputs' quiet time (2 s): the job sits on empty topics first, as a deployed loop does. */
    private static final Duration QUIET_BEFORE_TRAFFIC = Duration.ofSeconds(4);
    /** loop.yaml's feedback.waitMillis (15 s) plus a few seconds: the quiet time, a metric window, a checkpoint. */
    private static final Duration RESOLVED_WITHIN = Duration.ofSeconds(15 + 10);
    private static final Set<String> WINDOW_METRICS = Set.of("feedback.joined", "feedback.timedOut.total",
            "feedback.joined.total", "reward.mean", "explore.rate", "model.version", "regret.window", "regret.cumulative",
            "ope.snips", "ope.dr", "gate.serving");
    private static final Path WORK = Path.of("target", "cluster-deployment").toAbsolutePath();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ClusterFixture fixture;
    private final Map<String, String> report = new LinkedHashMap<>();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theLoopRunsOnAKafkaBrokerAndAFlinkSessionClusterOfSeparateProcesses() throws Exception {
        fixture = new ClusterFixture(WORK);
        Path jobJar = ClusterFixture.jobJar();
        int[] ports = Ports.free(7);
        int kafkaPort = ports[0], controllerPort = ports[1], rpcPort = ports[2], restPort = ports[3];
        int jmPrometheus = ports[4], tm1Prometheus = ports[5], tm2Prometheus = ports[6];
        long testStart = System.nanoTime();

        KafkaBrokerProcess kafka = new KafkaBrokerProcess(WORK.resolve("kafka"), ClusterClasspath.full(), kafkaPort,
                controllerPort, List.of("-Xms256m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        FlinkSessionCluster flink = new FlinkSessionCluster(WORK, ClusterClasspath.flink(), rpcPort, restPort, 2);
        try {
            // 1. Start everything at once; each component's start time is measured from its own launch.
            JvmProcess jm = fixture.flink(flink.startJobManager(jmPrometheus));
            JvmProcess tm1 = fixture.flink(flink.startTaskManager("tm-1", tm1Prometheus));
            JvmProcess tm2 = fixture.flink(flink.startTaskManager("tm-2", tm2Prometheus));
            long brokerLaunched = System.nanoTime();
            JvmProcess broker = fixture.other(kafka.start(Duration.ofSeconds(90)));
            JvmProcess[] cluster = {broker, jm, tm1, tm2};

            Map<String, Long> launched = new LinkedHashMap<>();
            Map<String, Callable<Boolean>> probes = new LinkedHashMap<>();
            launched.put("Kafka broker", brokerLaunched);
            probes.put("Kafka broker", kafka::isReady);
            launched.put("JobManager", jm.launchedNanos());
            probes.put("JobManager", () -> flink.get("/overview").has("flink-version"));
            launched.put("TaskManager tm-1", tm1.launchedNanos());
            probes.put("TaskManager tm-1", () -> flink.taskManagerIds().contains("tm-1"));
            launched.put("TaskManager tm-2", tm2.launchedNanos());
            probes.put("TaskManager tm-2", () -> flink.taskManagerIds().contains("tm-2"));
            Map<String, Duration> startTimes = awaitAll(probes, launched, Duration.ofSeconds(150), cluster);
            startTimes.forEach((name, d) -> report.put(name + " up after", seconds(d)
                    + (name.equals("Kafka broker") ? " (storage format " + seconds(kafka.formatTime()) + " of it)" : "")
                    + (name.startsWith("TaskManager") ? " (registered at the JobManager)" : "")));

            // 2. One loop.yaml for every command: the repository's example, pointed at this run's broker.
            Path loopYaml = fixture.writeLoopYaml(kafka.bootstrap(), "cluster-test", root -> { });

            long t = System.nanoTime();
            fixture.runCli("topics-create", Duration.ofSeconds(90), "topics", "create", "--config", loopYaml.toString());
            report.put("loopline topics create", seconds(Duration.ofNanos(System.nanoTime() - t)));

            t = System.nanoTime();
            String submitted = fixture.runCli("submit", Duration.ofSeconds(150), "submit", "--config", loopYaml.toString(),
                    "--flink", flink.restAddress(), "--jar", jobJar.toString());
            Matcher m = Pattern.compile("Submitted job ([0-9a-f]{32})").matcher(submitted);
            assertTrue(m.find(), "loopline submit printed no job id:\n" + submitted);
            String jobId = m.group(1);
            report.put("loopline submit (" + Files.size(jobJar) / (1 << 20) + " MB jar)", seconds(Duration.ofNanos(System.nanoTime() - t)));

            Await.until("job " + jobId + " RUNNING on every vertex", Duration.ofSeconds(120), Duration.ofMillis(300), () -> {
                String state = flink.get("/jobs/" + jobId).path("state").asText();
                if (Set.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
                    throw new AssertionError("job " + jobId + " is " + state + ": " + flink.rootException(jobId));
                }
                Map<String, String> vertices = flink.vertexStates(jobId);
                return !vertices.isEmpty() && vertices.values().stream().allMatch("RUNNING"::equals);
            }, cluster);
            report.put("job RUNNING (all tasks) after submit began", seconds(Duration.ofNanos(System.nanoTime() - t)));

            // 3. The simulator, as its own process, for a fixed number of events, after the job has idled on empty
            // topics for longer than its inputs' quiet time (as a deployed loop does before its first event).
            long runningAt = System.nanoTime();
            Await.until("job " + jobId + " still RUNNING after " + QUIET_BEFORE_TRAFFIC.toSeconds() + " s on empty topics",
                    QUIET_BEFORE_TRAFFIC.plusSeconds(30), Duration.ofMillis(300), () -> {
                        String state = flink.get("/jobs/" + jobId).path("state").asText();
                        if (!state.equals("RUNNING")) {
                            throw new AssertionError("job " + jobId + " is " + state + " on empty topics: " + flink.rootException(jobId));
                        }
                        return System.nanoTime() - runningAt >= QUIET_BEFORE_TRAFFIC.toNanos();
                    }, cluster);
            Set<String> metricsDuringRun;
            long resolvedAt;
            long simulatorEnd;
            Duration simulatorTime;
            String simulator;
            try (MetricsWatch metrics = new MetricsWatch(kafka.bootstrap(), Topics.defaults())) {
                t = System.nanoTime();
                simulator = fixture.runCli("simulator", Duration.ofSeconds(180), "env", "payments", "--config",
                        loopYaml.toString(), "--events", Integer.toString(EVENTS), "--rate", Integer.toString(RATE));
                simulatorEnd = System.currentTimeMillis();
                simulatorTime = Duration.ofNanos(System.nanoTime() - t);
                metricsDuringRun = metrics.names();
                resolvedAt = metrics.awaitResolved(EVENTS, RESOLVED_WITHIN);
                report.put("window metrics published while the simulator ran", metricsDuringRun.size() + " names");
                report.put("decisions joined or timed out (metrics totals)", metrics.resolvedTotal() + " of " + EVENTS
                        + (resolvedAt > 0 ? String.format(Locale.ROOT, ", all %.1f s after the simulator ended",
                                (resolvedAt - simulatorEnd) / 1000.0) : ", not all within " + RESOLVED_WITHIN.toSeconds() + " s"));
            }
            System.out.println("loopline env payments:\n" + simulator.indent(2));

            // 4. Every context event got exactly one decision, read committed.
            List<ConsumerRecord<byte[], byte[]>> contexts = ClusterFixture.readAll(kafka.bootstrap(), "loopline.context", "read_uncommitted");
            List<ConsumerRecord<byte[], byte[]>> decisions = ClusterFixture.readAll(kafka.bootstrap(), "loopline.decisions", "read_committed");
            Set<String> eventIds = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : contexts) {
                eventIds.add(Codecs.context().decode(r.value()).getEventId());
            }
            Map<String, Integer> decisionsPerEvent = new HashMap<>();
            Set<Long> modelVersionsInDecisions = new TreeSet<>();
            for (ConsumerRecord<byte[], byte[]> r : decisions) {
                var decision = Codecs.decision().decode(r.value());
                decisionsPerEvent.merge(decision.getDecisionId(), 1, Integer::sum);
                modelVersionsInDecisions.add(decision.getModelVersion());
            }
            long duplicated = decisionsPerEvent.values().stream().filter(n -> n > 1).count();
            Set<String> undecided = new TreeSet<>(eventIds);
            undecided.removeAll(decisionsPerEvent.keySet());
            Set<String> unknown = new TreeSet<>(decisionsPerEvent.keySet());
            unknown.removeAll(eventIds);
            report.put("context events", Integer.toString(contexts.size()) + " (" + eventIds.size() + " distinct ids)");
            report.put("decisions (read committed)", decisions.size() + " records, " + decisionsPerEvent.size()
                    + " distinct decision ids, " + duplicated + " ids more than once");

            // DJL trains the reward model on a TaskManager, with the PyTorch natives from the cluster's classpath.
            int modelVersions = Await.until("a reward-model version on loopline.models", Duration.ofSeconds(60),
                    Duration.ofSeconds(1), () -> {
                        int n = ClusterFixture.readAll(kafka.bootstrap(), "loopline.models", "read_committed").size();
                        return n > 0 ? n : null;
                    }, cluster);
            report.put("reward-model versions (DJL on a TaskManager)", modelVersions + " on loopline.models; versions stamped on decisions "
                    + modelVersionsInDecisions);

            long firstContext = contexts.stream().mapToLong(ConsumerRecord::timestamp).min().orElse(0);
            long lastDecision = decisions.stream().mapToLong(ConsumerRecord::timestamp).max().orElse(0);
            double loopSeconds = (lastDecision - firstContext) / 1000.0;
            report.put("throughput", String.format(Locale.ROOT,
                    "%.0f events/s end to end (%d events, first context append to last decision append %.1f s, broker clock); "
                            + "%.0f events/s over the simulator process's %.1f s (JVM start and feedback flush included)",
                    EVENTS / loopSeconds, EVENTS, loopSeconds, EVENTS / (simulatorTime.toMillis() / 1000.0),
                    simulatorTime.toMillis() / 1000.0));

            // 5. Where the subtasks ran, and what Prometheus would scrape.
            Map<String, List<String>> placement = flink.subtaskPlacement(jobId);
            Set<String> allTaskManagers = new TreeSet<>();
            placement.values().forEach(allTaskManagers::addAll);
            List<String> loopSubtasks = placement.entrySet().stream().filter(e -> e.getKey().contains("decide-and-learn"))
                    .findFirst().map(Map.Entry::getValue).orElse(List.of());
            report.put("subtasks of decide-and-learn on", loopSubtasks.toString());
            report.put("TaskManagers running the job's subtasks", allTaskManagers.toString());

            String tm1Metrics = scrape(tm1Prometheus);
            String tm2Metrics = scrape(tm2Prometheus);
            String jmMetrics = scrape(jmPrometheus);
            double tm1Decisions = sum(tm1Metrics, "flink_taskmanager_job_task_operator_decisions");
            double tm2Decisions = sum(tm2Metrics, "flink_taskmanager_job_task_operator_decisions");
            double restarts = jmMetrics.contains("flink_jobmanager_job_numRestarts")
                    ? sum(jmMetrics, "flink_jobmanager_job_numRestarts") : Double.NaN;
            double registered = sum(jmMetrics, "flink_jobmanager_numRegisteredTaskManagers");
            report.put("Prometheus (decisions counter)", String.format(Locale.ROOT,
                    "tm-1 %.0f + tm-2 %.0f = %.0f; JobManager: %.0f TaskManagers registered, %.0f job restarts; "
                            + "%d + %d + %d metric lines scraped", tm1Decisions, tm2Decisions, tm1Decisions + tm2Decisions,
                    registered, restarts, lines(tm1Metrics), lines(tm2Metrics), lines(jmMetrics)));
            if (restarts > 0) {
                report.put("job restarts: first root cause", String.valueOf(flink.rootException(jobId)).lines().findFirst().orElse(""));
            }
            report.put("memory (resident)", rss());
            printReport(testStart);

            assertTrue(simulator.contains("sent " + EVENTS + ", decided " + EVENTS), "the simulator saw every event decided");
            Set<String> missingMetrics = new TreeSet<>(WINDOW_METRICS);
            missingMetrics.removeAll(metricsDuringRun);
            assertEquals(Set.of(), missingMetrics, "window metrics not on the metrics topic while the simulator ran");
            assertTrue(resolvedAt > 0, "every decision joined or timed out within the wait window plus a few seconds"
                    + " of the simulator's end (" + RESOLVED_WITHIN.toSeconds() + " s)");
            assertEquals(EVENTS, contexts.size(), "context events the simulator sent");
            assertEquals(EVENTS, eventIds.size(), "distinct context event ids");
            assertEquals(EVENTS, decisions.size(), "one decision record per event, read committed (no duplicates, none missing)");
            assertEquals(Set.of(), undecided, "events without a decision");
            assertEquals(Set.of(), unknown, "decisions for events never sent");
            assertEquals(0, duplicated, "decision ids seen more than once");

            assertEquals(Set.of("tm-1", "tm-2"), allTaskManagers, "the job's subtasks ran on both TaskManagers: " + placement);
            assertEquals(2, loopSubtasks.size(), "decide-and-learn runs with parallelism 2: " + placement);
            assertEquals(Set.of("tm-1", "tm-2"), new HashSet<>(loopSubtasks),
                    "decide-and-learn's two subtasks ran on different TaskManagers: " + placement);

            assertTrue(tm1Metrics.contains("flink_taskmanager_job_task_operator"), "tm-1 serves operator metrics");
            assertTrue(tm2Metrics.contains("flink_taskmanager_job_task_operator"), "tm-2 serves operator metrics");
            assertTrue(tm1Decisions > 0 && tm2Decisions > 0, "both TaskManagers decided: " + tm1Decisions + ", " + tm2Decisions);
            assertEquals(2.0, registered, "the JobManager's reporter counts 2 TaskManagers");
            assertTrue(jmMetrics.contains("flink_jobmanager_job_numRestarts"), "the JobManager serves job metrics");
            if (restarts == 0) {
                // Without a restart the live counters saw each event exactly once (a restart replays from a checkpoint).
                assertEquals(EVENTS, tm1Decisions + tm2Decisions, "the decisions counters add up to the events");
            }
        } catch (Throwable failure) {
            fixture.dumpLogs();
            throw failure;
        } finally {
            fixture.stopEverything();
        }
    }

    // --- processes ---

    /** Polls every probe until each has answered once; returns each component's time from launch to ready. */
    private static Map<String, Duration> awaitAll(Map<String, Callable<Boolean>> probes, Map<String, Long> launched,
            Duration timeout, JvmProcess... watched) throws InterruptedException {
        Map<String, Duration> ready = new LinkedHashMap<>();
        Await.until("the cluster to come up", timeout, Duration.ofMillis(200), () -> {
            for (Map.Entry<String, Callable<Boolean>> probe : probes.entrySet()) {
                if (!ready.containsKey(probe.getKey())) {
                    boolean up;
                    try {
                        up = Boolean.TRUE.equals(probe.getValue().call());
                    } catch (InterruptedException e) {
                        throw e;
                    } catch (Exception e) {
                        up = false;
                    }
                    if (up) {
                        ready.put(probe.getKey(), Duration.ofNanos(System.nanoTime() - launched.get(probe.getKey())));
                    }
                }
            }
            return ready.size() == probes.size();
        }, watched);
        Map<String, Duration> ordered = new LinkedHashMap<>();
        probes.keySet().forEach(k -> ordered.put(k, ready.get(k)));
        return ordered;
    }

    private String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "GET /metrics on port " + port);
        return r.body();
    }

    /** Sum of the samples of one Prometheus metric (lines {@code name{labels} value}). */
    private static double sum(String exposition, String metric) {
        return exposition.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long lines(String exposition) {
        return exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
    }

    private String rss() {
        List<String> parts = new ArrayList<>();
        long total = 0;
        for (JvmProcess p : fixture.processes()) {
            if (!p.isAlive()) {
                continue;
            }
            try {
                long kb = Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                        .findFirst().orElse(0);
                total += kb;
                parts.add(p.name() + " " + kb / 1024 + " MB");
            } catch (IOException | RuntimeException e) {
                parts.add(p.name() + " ?");
            }
        }
        return total / 1024 + " MB in all: " + String.join(", ", parts);
    }

    private void printReport(long testStart) {
        StringBuilder out = new StringBuilder("\n== Loopline on a multi-process cluster (127.0.0.1) ==\n");
        report.put("processes", fixture.processes().stream().map(JvmProcess::toString).toList().toString());
        report.put("test so far", seconds(Duration.ofNanos(System.nanoTime() - testStart)));
        int width = report.keySet().stream().mapToInt(String::length).max().orElse(10);
        report.forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", k, v)));
        System.out.println(out);
    }

    private static String seconds(Duration d) {
        return ClusterFixture.seconds(d);
    }
}
