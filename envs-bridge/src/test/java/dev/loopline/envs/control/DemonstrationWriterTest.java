package dev.loopline.envs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.Environments;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemonstrationWriterTest {

    @Test
    void writesStateFeaturesAndTheExpertsActionForEveryControlTask() throws IOException {
        for (String name : Environments.controlNames()) {
            ControlEnvironment env = Environments.createControl(name, 21);
            StringWriter out = new StringWriter();
            assertEquals(2_000, DemonstrationWriter.write(env, 2_000, 0, 10, out));
            List<String> lines = out.toString().lines().toList();
            assertEquals(2_001, lines.size(), name + ": header and one row per event");
            List<String> header = List.of(lines.get(0).split(","));
            assertEquals(DemonstrationWriter.header(env), header);
            assertEquals(env.contextFeatureNames(), header.subList(0, header.size() - 2));
            assertEquals(List.of("expert_action_index", "expert_action_value"), header.subList(header.size() - 2, header.size()));
            Set<Integer> used = new HashSet<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                assertEquals(header.size(), cells.length, line);
                for (String c : cells) {
                    assertTrue(Double.isFinite(Double.parseDouble(c)), c);
                }
                int index = Integer.parseInt(cells[cells.length - 2]);
                assertTrue(index >= 0 && index < env.actionIds().size(), name + " expert index " + index);
                assertEquals(env.actionValue(index), Double.parseDouble(cells[cells.length - 1]));
                used.add(index);
            }
            assertTrue(used.size() >= 3, name + ": the expert uses several levels: " + used);
        }
    }

    @Test
    void theSameSeedWritesTheSameFile(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("motor-a.csv");
        Path b = dir.resolve("motor-b.csv");
        DemonstrationWriter.write(Environments.createControl("motor", 8), 500, a);
        DemonstrationWriter.write(Environments.createControl("motor", 8), 500, b);
        assertEquals(Files.readString(a), Files.readString(b));
        assertEquals(501, Files.readAllLines(a).size());
    }
}
