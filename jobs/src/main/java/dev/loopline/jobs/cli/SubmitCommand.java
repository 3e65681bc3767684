package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.LoopYaml;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submits the shaded job jar to a Flink session cluster through its REST API (upload, then run).",
                "The configuration travels with the job, so the cluster needs no copy of loop.yaml."})
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--flink", required = true, paramLabel = "HOST:PORT", description = "REST address of the JobManager, e.g. 127.0.0.1:8081.")
    String flink;

    static final String DEFAULT_JAR = "jobs/target/loopline-jobs-0.1.0-SNAPSHOT-job.jar";

    @Option(names = "--jar", defaultValue = DEFAULT_JAR,
            description = "The shaded job jar (default: ${DEFAULT-VALUE}; built by `mvn -B -DskipTests package`).")
    Path jar;

    @Override
    public Integer call() throws Exception {
        JobConfig c = config.load(); // refuse a bad file here, before anything reaches the cluster
        String jobId = submit(URI.create("http://" + flink), jar, Files.readString(config.file), c.parallelism());
        System.out.println("Submitted job " + jobId + " to " + flink);
        return 0;
    }

    /** Uploads the jar and runs it with the configuration; returns the Flink job id. */
    static String submit(URI rest, Path jar, String loopYaml, int parallelism) throws Exception {
        LoopYaml.parse(loopYaml, "config");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist; build it with `mvn -B -DskipTests package`");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectMapper json = new ObjectMapper();
        String boundary = "loopline-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(rest.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode uploaded = expectOk(json, upload, "jar upload");
        String filename = uploaded.get("filename").asText();
        String jarId = filename.substring(filename.lastIndexOf('/') + 1);
        String request = json.writeValueAsString(Map.of(
                "entryClass", "dev.loopline.jobs.LooplineJob",
                "programArgsList", List.of("--config-base64",
                        Base64.getEncoder().encodeToString(loopYaml.getBytes(StandardCharsets.UTF_8))),
                "parallelism", parallelism));
        HttpResponse<String> run = http.send(HttpRequest.newBuilder(rest.resolve("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        return expectOk(json, run, "job run").get("jobid").asText();
    }

    private static JsonNode expectOk(ObjectMapper json, HttpResponse<String> response, String what) throws Exception {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " failed with HTTP " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}
