package dev.loopline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `loopline device`: the trainers' device, their throughput on it, and exports that serve what was trained. */
class DeviceCommandTest {
    @TempDir
    Path dir;

    @Test
    void measuresEveryTrainerOnEveryVisibleDeviceAndChecksItsExport() throws Exception {
        Path json = dir.resolve("device.json");
        assertEquals(0, new CommandLine(new DeviceCommand()).execute("--rows", "2048", "--epochs", "4", "--repeats", "1",
                "--json", json.toString()));
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        int gpus = Engine.getInstance().getGpuCount();
        assertEquals(gpus, doc.get("gpusVisible").asInt());
        assertEquals(gpus > 0 ? 4 : 2, doc.get("figures").size(), "two trainers on each visible device");
        for (JsonNode figure : doc.get("figures")) {
            assertTrue(figure.get("examplesPerSecond").asDouble() > 0, figure.toString());
            assertTrue(figure.get("exportMaxError").asDouble() < DeviceCommand.EXPORT_TOLERANCE, figure.toString());
            assertTrue(figure.get("exportAgreement").asDouble() >= DeviceCommand.MIN_EXPORT_AGREEMENT, figure.toString());
        }
        if (gpus == 0) {
            assertEquals(3, new CommandLine(new DeviceCommand()).execute("--require-gpu"), "no GPU: exit 3 for a check script");
        }
    }
}
