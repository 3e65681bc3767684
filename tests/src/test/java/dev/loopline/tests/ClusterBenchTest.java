package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.tests.cluster.Await;
import dev.loopline.tests.cluster.ClusterClasspath;
import dev.loopline.tests.cluster.ClusterFixture;
import dev.loopline.tests.cluster.FlinkSessionCluster;
import dev.loopline.tests.cluster.JvmProcess;
import dev.loopline.tests.cluster.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code loopline bench --flink} on a session cluster of separate processes (a JobManager and two TaskManagers
 * of one slot each, as {@link ClusterDeploymentTest} starts them): the bench's jobs, submitted with the shaded
 * jar, at parallelism 1 (one TaskManager) and 2 (both). Checked: each run decides every event of each job
 * (pass-through, decision path, full loop) and reports where it ran, and every job's trainer could load
 * PyTorch's natives in a TaskManager where an earlier job had loaded them; the figures are printed, never asserted
 * (a tool, not a timed test). The README's cluster figures come from this test with
 * {@code -Dloopline.clusterBench.events=20000}.
 */
class ClusterBenchTest {
    /** Enough for each job to decide past its start-up, few enough for CI; {@code -Dloopline.clusterBench.events} for more. */
    private static final int EVENTS = Integer.getInteger("loopline.clusterBench.events", 3_000);
    private static final Path WORK = Path.of("target", "cluster-bench").toAbsolutePath();

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void theBenchRunsItsJobsOnASessionClusterAtParallelismOneAndTwo() throws Exception {
        ClusterFixture fixture = new ClusterFixture(WORK);
        int[] ports = Ports.free(3);
        FlinkSessionCluster flink = new FlinkSessionCluster(WORK, ClusterClasspath.flink(), ports[0], ports[1], 1);
        boolean passed = false;
        try {
            JvmProcess jm = fixture.flink(flink.startJobManager(ports[2]));
            int[] prometheus = Ports.free(2);
            JvmProcess tm1 = fixture.flink(flink.startTaskManager("tm-1", prometheus[0]));
            JvmProcess tm2 = fixture.flink(flink.startTaskManager("tm-2", prometheus[1]));
            Await.until("two TaskManagers registered", Duration.ofSeconds(150), Duration.ofMillis(300),
                    () -> flink.taskManagerIds().size() == 2, jm, tm1, tm2);
            StringBuilder table = new StringBuilder();
            // One pair of TaskManagers for all eight jobs: each trainer after the first runs in a JVM where an
            // earlier job loaded PyTorch's natives, which works only with DJL loaded parent-first from lib/.
            for (int parallelism : new int[] {1, 2}) {
                Path json = WORK.resolve("bench-p" + parallelism + ".json");
                String output = fixture.runCli("bench-p" + parallelism, Duration.ofMinutes(5), "bench",
                        "--flink", flink.restAddress(), "--jar", ClusterFixture.jobJar().toString(),
                        "--parallelism", Integer.toString(parallelism), "--events", Integer.toString(EVENTS),
                        "--latency", "none", "--json", json.toString());
                System.out.println(output);
                JsonNode result = new ObjectMapper().readTree(Files.readString(json));
                assertTrue(result.path("runsOn").asText().contains("session cluster at " + flink.restAddress()
                        + ", parallelism " + parallelism), result.path("runsOn").asText());
                for (String job : new String[] {"passThrough", "decisionPath", "fullLoop"}) {
                    assertEquals(EVENTS, result.path(job).path("events").asInt(), job + " decided every event once");
                    assertTrue(result.path(job).path("eventsPerSecond").asDouble() > 0, job);
                }
                table.append(String.format(Locale.ROOT, "parallelism %d: pass-through %,.0f, decision path %,.0f (%.2f), "
                                + "full loop %,.0f (%.2f) events/s%n", parallelism,
                        result.path("passThrough").path("eventsPerSecond").asDouble(),
                        result.path("decisionPath").path("eventsPerSecond").asDouble(),
                        result.path("ratios").path("decisionPathToPassThrough").asDouble(),
                        result.path("fullLoop").path("eventsPerSecond").asDouble(),
                        result.path("ratios").path("fullLoopToPassThrough").asDouble()));
            }
            System.out.print("Bench on the session cluster (" + EVENTS + " events per job; figures, not checks):\n" + table);
            for (String tm : new String[] {"tm-1", "tm-2"}) {
                String log = Files.readString(WORK.resolve(tm + ".log"));
                assertFalse(log.contains("Failed to load PyTorch native library"),
                        tm + ": a later job's trainer could not load the natives an earlier job loaded");
            }
            passed = true;
        } finally {
            if (!passed) {
                fixture.dumpLogs();
            }
            fixture.stopEverything();
        }
    }
}
