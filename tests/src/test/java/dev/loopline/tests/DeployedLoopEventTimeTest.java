package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.Environments;
import dev.loopline.flink.EventTime;
import dev.loopline.envs.kafka.KafkaEnvironmentRunner;
import dev.loopline.envs.kafka.KafkaRunnerConfig;
import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.JobConfigs;
import dev.loopline.jobs.LooplineJob;
import dev.loopline.jobs.TopicAdmin;
import dev.loopline.jobs.Topics;
import dev.loopline.jobs.embedded.EmbeddedKafka;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.tests.cluster.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop deployed as a platform team runs it ({@code loopline topics create}, then {@code loopline run}
 * on empty topics, then an environment), with a pause in the traffic longer than the inputs' quiet time.
 * The job's event time comes from its own inputs only: the window metrics arrive while the run goes on,
 * the decisions whose feedback never comes are timed out within the wait window plus a few seconds (during
 * the pause and after the traffic stops, not only when the next record arrives), and no window ends near
 * the end of time.
 */
class DeployedLoopEventTimeTest {
    static final int EVENTS_PER_PHASE = 1_200;
    static final int RATE = 300;
    static final long WAIT_MILLIS = 3_000;
    /** The most the pause may last: the first phase must be resolved by then (quiet inputs follow the clock). */
    static final long PAUSE_MILLIS = 8_000;
    /** Feedback later than this is not sent: those decisions must time out. */
    static final long FEEDBACK_HORIZON_MILLIS = 1_500;
    /** Wait window plus a few seconds: the quiet time, the metric window and a checkpoint (metrics are exactly-once). */
    static final Duration RESOLVED_WITHIN = Duration.ofMillis(WAIT_MILLIS + 8_000);
    static final Set<String> WINDOW_METRICS = Set.of("feedback.joined", "feedback.timedOut", "feedback.joined.total",
            "feedback.timedOut.total", "reward.mean", "explore.rate", "model.version", "regret.window",
            "regret.cumulative", "ope.snips", "ope.dr");

    @TempDir
    Path dir;

    @Test
    void aLoopStartedOnEmptyTopicsPublishesItsWindowMetricsAndTimesOutDecisionsThroughAPause() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            String bootstrap = kafka.bootstrapServers();
            Topics topics = Topics.defaults();
            TopicAdmin.createTopics(bootstrap, Map.of(), topics, 2, (short) 1);
            JobConfig job = JobConfigs.builder(bootstrap).seed(5)
                    .contextFeatures(Environments.create("payments", 5).contextFeatureNames())
                    .set("feedback.waitMillis", Long.toString(WAIT_MILLIS))
                    .set("state.checkpointMillis", "1000")
                    .set("monitor.ope.candidates", "[greedy]")
                    .checkpointDir(dir.resolve("checkpoints").toUri().toString()).runId("deployed-event-time").build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(job.parallelism(),
                    LooplineJob.flinkConfiguration(job));
            LooplineJob.build(env, job);
            JobClient client = env.executeAsync("loopline-deployed-event-time-test");
            MetricsWatch metrics = new MetricsWatch(bootstrap, topics);
            try {
                // The job idles on empty topics longer than the quiet time before the first event, as a deployed loop does.
                awaitRunningFor(client, EventTime.QUIET_AFTER.plusSeconds(1));
                long firstEventAt = System.currentTimeMillis();
                long phaseOneSentAt = play(bootstrap, topics, 1);
                // The pause lasts until the first phase is resolved, at most PAUSE_MILLIS; resolving takes quiet inputs.
                metrics.awaitResolved(EVENTS_PER_PHASE, Duration.ofMillis(PAUSE_MILLIS));
                long pauseEnd = System.currentTimeMillis();
                Set<String> beforePhaseTwo = metrics.names();
                long resolvedInPause = metrics.resolvedTotal();
                play(bootstrap, topics, 2);
                long trafficEnd = System.currentTimeMillis();
                long resolvedAt = metrics.awaitResolved(2L * EVENTS_PER_PHASE, RESOLVED_WITHIN);

                System.out.printf("metrics before the second phase: %s%n", new TreeSet<>(beforePhaseTwo));
                System.out.printf("resolved during the pause: %d of %d; all %d resolved %s after the traffic stopped"
                                + " (wait window %d ms)%n", resolvedInPause, EVENTS_PER_PHASE, 2 * EVENTS_PER_PHASE,
                        resolvedAt > 0 ? (resolvedAt - trafficEnd) / 1000.0 + " s" : "not", WAIT_MILLIS);

                Set<String> missing = new TreeSet<>(WINDOW_METRICS);
                missing.removeAll(beforePhaseTwo);
                assertEquals(Set.of(), missing, "window metrics not published during the first phase and the pause");
                // No input arrives in the pause, so only the quiet inputs' clock can time these decisions out. The
                // pause is not compared with the quiet time: that began with the last feedback, before play() returned.
                assertEquals(EVENTS_PER_PHASE, resolvedInPause,
                        "every decision of the first phase joined or timed out while the traffic paused");
                assertTrue(resolvedAt > 0, "every decision joined or timed out within " + RESOLVED_WITHIN.toMillis()
                        + " ms of the traffic's end; resolved " + metrics.resolvedTotal() + " of " + 2 * EVENTS_PER_PHASE);
                assertTrue(metrics.timedOutTotal() > 0, "some decisions had no feedback and timed out");
                long latestSane = System.currentTimeMillis() + 60_000;
                for (MetricEvent m : metrics.all()) {
                    assertTrue(m.getWindowEnd() >= firstEventAt - 60_000 && m.getWindowEnd() <= latestSane,
                            "window ends follow the traffic's clock, never the end of time: " + m);
                }
                assertTrue(metrics.all().stream().anyMatch(m -> m.getWindowEnd() > phaseOneSentAt
                                && m.getWindowEnd() < pauseEnd && m.getName().equals("feedback.timedOut.total")),
                        "windows after the first phase's last event closed in the pause");
                assertEquals(JobStatus.RUNNING, client.getJobStatus().get(), "the job never failed");
            } finally {
                metrics.close();
                client.cancel().get();
            }
        }
    }

    /** Waits until the job has been running for {@code idle}; fails at once if it ends meanwhile. */
    private static void awaitRunningFor(JobClient client, Duration idle) throws InterruptedException {
        long[] runningSince = {0};
        Await.until("the job running on empty topics for " + idle.toMillis() + " ms", idle.plusSeconds(60),
                Duration.ofMillis(100), () -> {
                    JobStatus status = client.getJobStatus().get();
                    if (status.isGloballyTerminalState()) {
                        throw new AssertionError("the job ended: " + status);
                    }
                    if (status == JobStatus.RUNNING && runningSince[0] == 0) {
                        runningSince[0] = System.nanoTime();
                    }
                    return runningSince[0] != 0 && System.nanoTime() - runningSince[0] >= idle.toNanos();
                });
    }

    /** Plays one phase and returns when its last context event was sent. */
    private static long play(String bootstrap, Topics topics, long seed) throws InterruptedException {
        KafkaRunnerConfig config = new KafkaRunnerConfig(bootstrap, topics.context(), topics.decisions(), topics.feedback(),
                seed, RATE, EVENTS_PER_PHASE, 0, 0, 4_000, false);
        try (KafkaEnvironmentRunner runner = new KafkaEnvironmentRunner(config, Environments.create("payments", seed))) {
            runner.start();
            assertTrue(runner.awaitProductionDone(Duration.ofSeconds(90)), "phase " + seed + ": every event sent");
            long sentAt = System.currentTimeMillis();
            assertTrue(runner.awaitAllDecided(Duration.ofSeconds(90)), "phase " + seed + ": every event decided");
            assertTrue(runner.awaitFeedbackFlushed(FEEDBACK_HORIZON_MILLIS, Duration.ofSeconds(30)), "feedback sent");
            return sentAt;
        }
    }

}
