package dev.loopline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompareCommandTest {
    @TempDir
    Path dir;

    private JsonNode run(String... args) throws Exception {
        Path json = dir.resolve("compare.json");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", json.toString()));
        assertEquals(0, new CommandLine(new CompareCommand()).execute(all.toArray(String[]::new)));
        return new ObjectMapper().readTree(json.toFile());
    }

    /** 20 seeds per policy and task; score = mean + sd · N(0, 1) from a fixed stream per policy. */
    private Path results(String name, String... policies) throws Exception {
        StringBuilder csv = new StringBuilder("policy,task,seed,score\n");
        for (String spec : policies) {
            String[] p = spec.split(":");
            SplittableRandom r = new SplittableRandom(Long.parseLong(p[3]));
            for (int seed = 0; seed < 20; seed++) {
                double z = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                csv.append(p[0]).append(",walk,").append(seed).append(',')
                        .append(String.format(Locale.ROOT, "%.6f", Double.parseDouble(p[1]) + Double.parseDouble(p[2]) * z))
                        .append('\n');
            }
        }
        Path file = dir.resolve(name);
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void identicalPoliciesAreDeclaredEqual() throws Exception {
        // The same scores under two names.
        Path file = results("same.csv", "a:0:1:7", "b:0:1:7");
        JsonNode doc = run("--results", file.toString());
        JsonNode d = doc.at("/sequentialTest/decisions/0");
        assertEquals("equal", d.get("verdict").asText());
        assertEquals(4, d.get("interim").asInt());
        assertEquals(20, d.get("runs").asInt());
        assertEquals(4, doc.at("/sequentialTest/interimsUsed").asInt());
        assertEquals(0.5, doc.at("/probabilityOfImprovement/0/probability").asDouble(), 1e-12);
        assertEquals(doc.at("/aggregates/0/iqm").asDouble(), doc.at("/aggregates/1/iqm").asDouble(), 0);
    }

    @Test
    void aClearlyBetterPolicyIsDeclaredBetterBeforeAllRunsAreUsed() throws Exception {
        Path file = results("better.csv", "good:1:0.1:1", "base:0:0.1:2");
        JsonNode doc = run("--results", file.toString());
        JsonNode d = doc.at("/sequentialTest/decisions/0");
        assertEquals("good", d.get("first").asText());
        assertEquals("better", d.get("verdict").asText());
        assertEquals(1, d.get("interim").asInt(), "decided after the first batch");
        assertEquals(5, d.get("runs").asInt(), "5 of the 20 runs per policy");
        assertEquals(1, doc.at("/sequentialTest/interimsUsed").asInt());
        assertTrue(doc.at("/aggregates/0/iqmLow").asDouble() > doc.at("/aggregates/1/iqmHigh").asDouble());
        assertEquals(1.0, doc.at("/probabilityOfImprovement/0/probability").asDouble(), 1e-12);
        // The performance profile of the better policy dominates.
        JsonNode good = doc.at("/performanceProfiles/good");
        JsonNode base = doc.at("/performanceProfiles/base");
        for (int k = 0; k < good.size(); k++) {
            assertTrue(good.get(k).get("fraction").asDouble() >= base.get(k).get("fraction").asDouble());
        }
        assertEquals(11, good.size());
    }

    @Test
    void jsonResultsGiveTheSameAnswerAsCsv() throws Exception {
        Path csv = results("r.csv", "good:1:0.5:3", "base:0:0.5:4");
        StringBuilder json = new StringBuilder("[");
        List<String> lines = Files.readAllLines(csv);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            json.append(i > 1 ? "," : "").append(String.format(Locale.ROOT,
                    "{\"policy\":\"%s\",\"task\":\"%s\",\"seed\":%s,\"score\":%s}", f[0], f[1], f[2], f[3]));
        }
        Path jsonFile = dir.resolve("r.json");
        Files.writeString(jsonFile, json.append("]"));
        JsonNode fromCsv = run("--results", csv.toString());
        JsonNode fromJson = run("--results", jsonFile.toString());
        assertEquals(fromCsv.get("aggregates"), fromJson.get("aggregates"));
        assertEquals(fromCsv.get("sequentialTest"), fromJson.get("sequentialTest"));
    }

    @Test
    void tooFewPoliciesOrRunsAreReported() throws Exception {
        Path one = results("one.csv", "a:0:1:1");
        assertEquals(2, new CommandLine(new CompareCommand()).execute("--results", one.toString()));
        Path two = results("two.csv", "a:0:1:1", "b:0:1:2");
        JsonNode doc = run("--results", two.toString(), "--batch", "25");
        assertTrue(doc.at("/sequentialTest/skipped").asText().contains("25"));
    }
}
