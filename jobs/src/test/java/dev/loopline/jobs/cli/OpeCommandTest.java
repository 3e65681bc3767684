package dev.loopline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OpeCommandTest {
    static final Path RANDOM = dev.loopline.envs.TestData.path("obd/random/men.csv");
    static final Path BTS = dev.loopline.envs.TestData.path("obd/bts/men.csv");

    @TempDir
    Path dir;

    private JsonNode run(String... args) throws Exception {
        Path json = dir.resolve("ope.json");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", json.toString()));
        assertEquals(0, new CommandLine(new OpeCommand()).execute(all.toArray(String[]::new)));
        return new ObjectMapper().readTree(json.toFile());
    }

    private static JsonNode estimate(JsonNode doc, String estimator) {
        for (JsonNode e : doc.get("estimates")) {
            if (e.get("estimator").asText().equals(estimator)) {
                return e;
            }
        }
        throw new AssertionError("no " + estimator + " in " + doc);
    }

    /**
     * The standard check on the Open Bandit sample: the Bernoulli Thompson sampling policy (its
     * action frequencies per position, from its own log) estimated from the uniform-random log.
     * Measured (2,000 resamples, seed 42): IPS 0.005656 [0.003178, 0.008470], SNIPS 0.005740
     * [0.003232, 0.008550], DR 0.005593 [0.003108, 0.008442]; the TS log's own click rate is 0.0069.
     */
    @Test
    void openBanditThompsonSamplingFromTheRandomLog() throws Exception {
        assertTrue(Files.exists(RANDOM) && Files.exists(BTS), "the OBD sample shipped in data/ " + RANDOM.toAbsolutePath());
        JsonNode doc = run("--logs", RANDOM.toString(), "--target", BTS.toString());
        assertEquals(10_000, doc.get("rows").asInt());
        assertEquals(34, doc.get("actions").asInt());
        assertEquals(0.0069, doc.at("/target/ownReward").asDouble(), 1e-12);
        double own = doc.at("/target/ownReward").asDouble();
        for (String name : List.of("ips", "snips", "dr")) {
            JsonNode e = estimate(doc, name);
            assertTrue(e.get("low").asDouble() <= own && own <= e.get("high").asDouble(), name + " interval misses " + own + ": " + e);
            assertTrue(Math.abs(e.get("value").asDouble() - own) <= 0.25 * own, name + " is more than 25 % off: " + e);
            assertTrue(e.get("containsOwnReward").asBoolean());
        }
        assertEquals(0.005656, estimate(doc, "ips").get("value").asDouble(), 5e-7);
        assertEquals(0.985, doc.at("/weights/mean").asDouble(), 0.001);
        assertEquals(5, doc.get("estimates").size());
    }

    @Test
    void theUniformPolicyOnAUniformLogIsItsOwnClickRate() throws Exception {
        JsonNode doc = run("--logs", RANDOM.toString(), "--target", "uniform", "--resamples", "200");
        assertEquals(0.0046, doc.get("loggingReward").asDouble(), 1e-12);
        assertEquals(0.0046, estimate(doc, "ips").get("value").asDouble(), 1e-9);
        assertEquals(0.0046, estimate(doc, "snips").get("value").asDouble(), 1e-9);
        assertEquals(1.0, doc.at("/weights/mean").asDouble(), 1e-9);
    }

    @Test
    void aProbabilityTableIsTheSameTargetAsItsSpec() throws Exception {
        StringBuilder table = new StringBuilder("item_id,position,probability\n");
        for (int position = 1; position <= 3; position++) {
            table.append("13,").append(position).append(",1.0\n");
        }
        Path target = dir.resolve("always13.csv");
        Files.writeString(target, table);
        JsonNode fromTable = run("--logs", RANDOM.toString(), "--target", target.toString(), "--resamples", "200");
        JsonNode fromSpec = run("--logs", RANDOM.toString(), "--target", "action:13", "--resamples", "200");
        assertEquals("probability table", fromTable.at("/target/kind").asText());
        for (String name : List.of("ips", "snips", "dm", "dr", "switch-dr")) {
            assertEquals(estimate(fromSpec, name).get("value").asDouble(), estimate(fromTable, name).get("value").asDouble(), 1e-12, name);
        }
    }

    @Test
    void wrongUsageExitsWithTwo() throws Exception {
        Path logs = dir.resolve("logs.csv");
        Files.writeString(logs, "item_id,click,propensity_score\na,1,0.5\nb,0,0.5\n");
        assertEquals(2, new CommandLine(new OpeCommand()).execute("--logs", logs.toString(), "--target", "action:zzz"));
        assertEquals(2, new CommandLine(new OpeCommand()).execute("--logs", logs.toString(), "--target", "nonsense"));
        assertEquals(2, new CommandLine(new OpeCommand()).execute("--logs", logs.toString(), "--target", "uniform",
                "--reward-column", "reward"));
        assertEquals(2, new CommandLine(new OpeCommand()).execute("--logs", logs.toString(), "--target", "uniform",
                "--level", "1.5"));
        // Without a position column the policy is the same everywhere; this log is fine.
        assertEquals(0, new CommandLine(new OpeCommand()).execute("--logs", logs.toString(), "--target", "action:a",
                "--resamples", "100"));
    }
}
