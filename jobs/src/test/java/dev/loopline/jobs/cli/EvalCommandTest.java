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
