package dev.loopline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.envs.Environments;
import dev.loopline.envs.record.RecordingEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesFiguresAndConfigsPerPolicy() throws Exception {
        StringBuilder csv = new StringBuilder("id,x,kind,label\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i).append(',').append(i % 2 == 0 ? 1.0 : -1.0).append(',').append(i % 3 == 0 ? "p" : "q")
                    .append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Path data = dir.resolve("data.csv");
        Files.writeString(data, csv);
        Path json = dir.resolve("out.json");
        int code = new CommandLine(new EvalCommand()).execute("--dataset", data.toString(), "--skip", "id",
                "--policies", "greedy,squarecb-linear", "--passes", "2", "--seed", "3", "--json", json.toString());
        assertEquals(0, code);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, doc.get("passes").asInt());
        List<String> names = new ArrayList<>();
        for (JsonNode p : doc.get("policies")) {
            names.add(p.get("policy").asText());
            assertEquals(400, p.get("rounds").asLong());
            assertTrue(p.get("eventsPerSecond").asDouble() > 0);
            assertTrue(p.get("meanReward").asDouble() >= 0 && p.get("meanReward").asDouble() <= 1);
            assertTrue(p.get("config").has("exploration"));
        }
        assertEquals(List.of("uniform", "greedy", "squarecb-linear", "supervised"), names);
        JsonNode squarecb = doc.get("policies").get(2);
        assertEquals("squarecb", squarecb.at("/config/exploration/strategy").asText());
        assertEquals(10.0, squarecb.at("/config/exploration/gamma0").asDouble());
        assertEquals("ridge", squarecb.at("/config/scorer/kind").asText());
        assertTrue(squarecb.get("meanReward").asDouble() > 0.8);
    }

    @Test
    void aRecordingIsReplayedInOrderAndPricedAgainstTheStream() throws Exception {
        Path recording = dir.resolve("run.avro");
        try (RecordingEnvironment recorder = new RecordingEnvironment(Environments.create("payments", 4), recording)) {
            for (int i = 0; i < 600; i++) {
                recorder.next(i);
            }
        }
        // A stream that decided the same 600 events with a regret of 0.12 per event.
        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, "{\"policy\": \"linucb\", \"uniqueDecisionIds\": 600, \"meanReward\": 0.7,"
                + " \"meanRewardLastQuarter\": 0.75, \"cumulativeRegret\": 72.0, \"regretPerDecisionLastQuarter\": 0.09}");
        Path json = dir.resolve("replay.json");
        int code = new CommandLine(new EvalCommand()).execute("--dataset", recording.toString(), "--policies", "greedy",
                "--scope", "global", "--stream-summary", summary.toString(), "--json", json.toString());
        assertEquals(0, code);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals("payments", doc.get("environment").asText());
        assertEquals(600, doc.get("events").asLong());
        List<String> names = new ArrayList<>();
        doc.get("policies").forEach(p -> names.add(p.get("policy").asText()));
        assertEquals(List.of("uniform", "greedy", "linucb"), names, "the stream's policy is added");
        JsonNode linucb = doc.get("policies").get(2);
        JsonNode price = doc.get("priceOfStreaming");
        assertEquals(0.12, price.at("/stream/meanRegret").asDouble(), 1e-12);
        assertEquals(linucb.get("meanRegret").asDouble(), price.get("offlineMeanRegret").asDouble(), 1e-12);
        assertEquals(0.12 / linucb.get("meanRegret").asDouble(), price.get("regretRatio").asDouble(), 1e-9);
        assertEquals(0.09 / linucb.get("lastQuarterMeanRegret").asDouble(), price.get("lastQuarterRegretRatio").asDouble(),
                1e-9);
        assertTrue(linucb.get("meanRegret").asDouble() < doc.get("policies").get(0).get("meanRegret").asDouble(),
                "linucb has less regret than uniform on the same events");
        assertEquals(2, new CommandLine(new EvalCommand()).execute("--dataset", recording.toString(), "--scope", "segment"));
        Files.writeString(summary, "{\"policy\": \"linucb\"}");
        assertEquals(2, new CommandLine(new EvalCommand()).execute("--dataset", recording.toString(),
                "--stream-summary", summary.toString()));
    }

    @Test
    void anUnknownPolicyIsAUsageError() {
        Path data = dir.resolve("d.csv");
        assertEquals(2, exit(data, "a,b\n1,x\n2,y\n", "--policies", "thompson"));
        assertEquals(2, exit(data, "a,b\n1,x\n2,y\n", "--label", "c"));
        assertEquals(2, exit(data, "a,b\n1,x\n2,y\n", "--passes", "0"));
    }

    private int exit(Path data, String csv, String... args) {
        try {
            Files.writeString(data, csv);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> all = new ArrayList<>(List.of("--dataset", data.toString()));
        all.addAll(List.of(args));
        return new CommandLine(new EvalCommand()).execute(all.toArray(String[]::new));
    }
}
