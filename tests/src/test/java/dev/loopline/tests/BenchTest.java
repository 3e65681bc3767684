package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.jobs.cli.Loopline;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code loopline bench}, run tiny: every run completes and the JSON holds every figure the README's
 * performance table reads. The figures themselves are the bench's business, never a test's: nothing here
 * asserts on a timing.
 */
class BenchTest {
    @TempDir
    Path dir;

    @Test
    void aTinyBenchRunsEveryJobAndWritesEveryFigure() throws Exception {
        Path json = dir.resolve("bench.json");
        assertEquals(0, new CommandLine(new Loopline()).execute("bench", "--events", "2000", "--seconds", "2", "--warmup", "1",
                "--latency", "low-latency:500", "--json", json.toString(), "--profile", dir.resolve("jfr").toString()));
        JsonNode bench = new ObjectMapper().readTree(json.toFile());
        for (String run : new String[] {"passThrough", "decisionPath", "fullLoop"}) {
            assertEquals(2000, bench.at("/" + run + "/events").asInt(), run);
            assertTrue(bench.at("/" + run + "/eventsPerSecond").asDouble() > 0, run);
        }
        assertEquals(2000, bench.get("checkpointMillis").asLong());
        JsonNode latency = bench.get("latency").get(0);
        assertEquals("low-latency", latency.get("delivery").asText());
        assertEquals(500, latency.get("rate").asInt());
        assertTrue(latency.get("decisions").asLong() > 0 && latency.get("p50").asLong() <= latency.get("p99").asLong()
                && latency.get("p99").asLong() <= latency.get("max").asLong(), latency.toString());
        assertTrue(bench.at("/ratios/decisionPathToPassThrough").asDouble() > 0);
        for (String recording : new String[] {"warm-up", "pass-through", "decision-path", "full-loop", "latency-low-latency-500"}) {
            assertTrue(dir.resolve("jfr").resolve(recording + ".jfr").toFile().length() > 0, "flight recording of " + recording);
        }
    }

    @Test
    void sizingNamesEveryPolicyFamilyWithItsStateAndCpu() throws Exception {
        Path json = dir.resolve("sizing.json");
        assertEquals(0, new CommandLine(new Loopline()).execute("bench", "--sizing", "--events", "400", "--json",
                json.toString()));
        JsonNode sizing = new ObjectMapper().readTree(json.toFile());
        assertEquals(dev.loopline.core.bandit.PolicyFactory.NAMES.size(), sizing.get("policies").size());
        for (JsonNode policy : sizing.get("policies")) {
            assertTrue(policy.get("microsPerDecision").asDouble() > 0, policy.toString());
            assertTrue(policy.get("stateBytesPerKey").asInt() > 0, policy.toString());
        }
        assertTrue(sizing.get("pendingDecisionBytes").asInt() > sizing.get("tombstoneBytes").asInt(),
                "a tombstone forgets the context: " + sizing);
        assertTrue(sizing.get("pendingDecisionBytes").asInt() > 2 * sizing.get("projectedPendingDecisionBytes").asInt(),
                "a decision only the outcome's projection reads keeps a fraction of its context: " + sizing);
        assertTrue(sizing.get("errorMemoryEntryBytes").asInt() > 8 * sizing.get("contextFeatures").asInt(), sizing.toString());
    }
}
