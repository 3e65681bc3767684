package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the deployment files are checked, not run: the compose file parses,
 * names the services the design promises, and every file the Dockerfile copies is one the build
 * makes (the job jar's name follows the project version).
 */
class DockerFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void composeFileParsesAndWiresTheServices() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker/docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        assertNotNull(services, "compose file has services");
        for (String name : List.of("kafka", "jobmanager", "taskmanager", "loopline-job", "simulator", "prometheus", "grafana")) {
            assertTrue(services.has(name), "service " + name);
        }
        // Every host path a service mounts exists in the repository.
        for (JsonNode service : services) {
            for (JsonNode volume : service.path("volumes")) {
                String host = volume.asText().split(":")[0];
                assertTrue(Files.exists(ROOT.resolve("docker").resolve(host).normalize()), "mounted path docker/" + host);
            }
        }
        assertEquals("docker/Dockerfile", services.get("jobmanager").get("build").get("dockerfile").asText());
        assertTrue(Files.exists(ROOT.resolve(services.get("jobmanager").get("build").get("context").asText().replace("..", "."))));
        assertTrue(services.get("loopline-job").get("command").asText().contains("/opt/flink/usrlib/loopline-job.jar"));
    }

    @Test
    void theComposeLoopConfigIsValidAndGrafanaIsProvisioned() throws Exception {
        var config = dev.loopline.jobs.LoopYaml.load(ROOT.resolve("docker/loop.yaml"));
        assertEquals("kafka:9092", config.bootstrapServers());
        String prometheus = Files.readString(ROOT.resolve("docker/prometheus/prometheus.yml"));
        assertTrue(prometheus.contains("taskmanager:9249"), "Prometheus scrapes the TaskManager's reporter");
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("docker/grafana/dashboards/loopline.json").toFile());
        assertTrue(dashboard.get("panels").size() >= 4, "the provisioned dashboard has panels");
        String compose = Files.readString(ROOT.resolve("docker/docker-compose.yml"));
        assertTrue(compose.contains("metrics.reporter.prom.port: 9249"), "the reporter port Prometheus scrapes");
    }

    @Test
    void everyFileTheDockerfileCopiesIsBuilt() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) ").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            copies++;
            if (copy.group(1).endsWith("/*.jar")) {
                // Flink's lib/: the natives and the DJL classes that load them, parent-first (docker-compose.yml).
                Path dir = ROOT.resolve(copy.group(1).substring(0, copy.group(1).length() - "/*.jar".length()));
                List<String> jars;
                try (var files = Files.list(dir)) {
                    jars = files.map(f -> f.getFileName().toString()).toList();
                }
                for (String prefix : List.of("pytorch-native-", "api-", "pytorch-engine-", "pytorch-jni-", "gson-", "jna-")) {
                    assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix)), prefix + "*.jar missing from " + dir + ": " + jars);
                }
                continue;
            }
            Path source = ROOT.resolve(copy.group(1));
            assertTrue(Files.exists(source), source + " is named by docker/Dockerfile but the build did not make it");
        }
        assertEquals(2, copies, "the job jar and Flink's lib/ additions");
        assertTrue(Files.readString(ROOT.resolve("docker/docker-compose.yml"))
                .contains("classloader.parent-first-patterns.additional: ai.djl."), "DJL loads parent-first from lib/");
        assertTrue(dockerfile.contains("FROM flink:2.2.1-java17"), "image matches the Flink version of the build");
    }
}
