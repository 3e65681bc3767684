package dev.loopline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalMemoryCommandTest {
    @TempDir
    Path dir;

    /** 3000 rows of a 0/1 label on x1 > 0; from row 1500 on, the label of x2 > 1 is 0. */
    private Path data() throws Exception {
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 3000; i++) {
            double x1 = random.nextDouble() * 4 - 2;
            double x2 = random.nextDouble() * 4 - 2;
            boolean positive = x1 > 0 && !(i >= 1500 && x2 > 1);
            csv.append(x1).append(',').append(x2).append(',').append(positive ? 1 : 0).append('\n');
        }
        Path data = dir.resolve("data.csv");
        Files.writeString(data, csv);
        return data;
    }

    @Test
    void writesTheFiguresAsJson() throws Exception {
        Path json = dir.resolve("out.json");
        int code = new CommandLine(new EvalMemoryCommand()).execute("--dataset", data().toString(), "--shifts", "1500",
                "--window", "500", "--refit-every", "500", "--seed", "2", "--json", json.toString());
        assertEquals(0, code);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        for (String field : List.of("baseLoss", "memoryLoss", "baseExcessAfterShift", "memoryExcessAfterShift",
                "stationaryBaseLoss", "stationaryMemoryLoss", "eventsPerSecond", "memoryExcessAfterShiftOwnLevel")) {
            assertTrue(doc.get(field).isNumber(), field);
        }
        assertEquals(1, doc.get("perShift").size());
        assertEquals(1500, doc.at("/perShift/0/row").asInt());
        assertEquals(2, doc.at("/memory/seed").asLong());
        assertEquals("cosine", doc.at("/memory/similarity").asText());
        assertTrue(doc.at("/memoryStats/hitRate").asDouble() > 0.5);
        assertTrue(doc.get("memoryExcessAfterShift").asDouble() < doc.get("baseExcessAfterShift").asDouble());
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        Path data = data();
        assertEquals(2, exit(data, "--shifts", "9000"));
        assertEquals(2, exit(data, "--similarity", "jaccard"));
        assertEquals(2, exit(data, "--weight", "2"));
        assertEquals(2, exit(data, "--label", "nope"));
    }

    private int exit(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of("--dataset", data.toString(), "--window", "500"));
        all.addAll(List.of(args));
        return new CommandLine(new EvalMemoryCommand()).execute(all.toArray(String[]::new));
    }
}
