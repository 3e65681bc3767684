package dev.loopline.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A standalone Flink session cluster as separate JVMs on 127.0.0.1, started from Maven jars the way
 * Flink's scripts start it: {@code StandaloneSessionClusterEntrypoint --configDir DIR} for the
 * JobManager and {@code TaskManagerRunner --configDir DIR} per TaskManager. Each process has its own
 * configuration directory ({@code config.yaml}, {@code log4j.properties}) because each has its own
 * Prometheus reporter port and TaskManager id.
 *
 * <p>Memory: Flink's scripts compute the JVM's heap, direct and metaspace limits from the memory
 * settings (BashJavaUtils); a TaskManager started without them needs every memory size and
 * {@code taskmanager.cpu.cores} in its configuration, and the JVM flags below are derived from the
 * same numbers: 0.7 GB of process memory for the JobManager, 0.9 GB per TaskManager (measured resident:
 * about 0.3 GB and 0.4–0.6 GB).
 */
public final class FlinkSessionCluster {
    /** The module openings Flink's distribution passes to every JVM on Java 17 ({@code env.java.default-opts.all}). */
    public static final List<String> JAVA_17_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    // TaskManager memory, every component set (sizes in MiB); JVM flags derived below.
    private static final int TM_FRAMEWORK_HEAP = 64;
    private static final int TM_TASK_HEAP = 320;
    private static final int TM_MANAGED = 96;
    private static final int TM_FRAMEWORK_OFF_HEAP = 64;
    private static final int TM_TASK_OFF_HEAP = 0;
    private static final int TM_NETWORK = 48;
    private static final int TM_METASPACE = 256;
    private static final int TM_OVERHEAD = 96;

    private static final int JM_HEAP = 320;
    private static final int JM_OFF_HEAP = 128;
    private static final int JM_METASPACE = 192;
    private static final int JM_OVERHEAD = 96;

    private final Path dir;
    private final String classpath;
    private final int rpcPort;
    private final int restPort;
    private final int slotsPerTaskManager;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    public FlinkSessionCluster(Path dir, String classpath, int rpcPort, int restPort, int slotsPerTaskManager) {
        this.dir = dir;
        this.classpath = classpath;
        this.rpcPort = rpcPort;
        this.restPort = restPort;
        this.slotsPerTaskManager = slotsPerTaskManager;
    }

    /** Settings written into every process's configuration after the defaults, e.g. faster failure detection. */
    public FlinkSessionCluster with(Map<String, String> settings) {
        overrides.putAll(settings);
        return this;
    }

    public String restAddress() {
        return "127.0.0.1:" + restPort;
    }

    public JvmProcess startJobManager(int prometheusPort) throws IOException {
        Path conf = configDir("jobmanager", prometheusPort, Map.of());
        List<String> jvm = new ArrayList<>(List.of("-Xms" + JM_HEAP + "m", "-Xmx" + JM_HEAP + "m",
                "-XX:MaxMetaspaceSize=" + JM_METASPACE + "m", "-XX:MaxDirectMemorySize=" + JM_OFF_HEAP + "m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        jvm.addAll(common("jobmanager", conf));
        return JvmProcess.start("jobmanager", dir, classpath, jvm,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of("--configDir", conf.toString()), Map.of());
    }

    /** A TaskManager with resource id {@code id}; DJL's settings travel in its environment, as on a real host. */
    public JvmProcess startTaskManager(String id, int prometheusPort) throws IOException {
        Path conf = configDir(id, prometheusPort, Map.of("taskmanager.resource-id", id));
        int heap = TM_FRAMEWORK_HEAP + TM_TASK_HEAP;
        int direct = TM_FRAMEWORK_OFF_HEAP + TM_TASK_OFF_HEAP + TM_NETWORK;
        List<String> jvm = new ArrayList<>(List.of("-Xms" + heap + "m", "-Xmx" + heap + "m",
                "-XX:MaxDirectMemorySize=" + direct + "m", "-XX:MaxMetaspaceSize=" + TM_METASPACE + "m",
                "-XX:+UseParallelGC", "-XX:ParallelGCThreads=1",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1"));
        jvm.addAll(common(id, conf));
        return JvmProcess.start(id, dir, classpath, jvm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                List.of("--configDir", conf.toString()),
                Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "OMP_NUM_THREADS", "1"));
    }

    private List<String> common(String name, Path conf) {
        List<String> jvm = new ArrayList<>(JAVA_17_OPENS);
        jvm.add("-Dlog.file=" + dir.resolve(name + ".log").toAbsolutePath());
        jvm.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        return jvm;
    }

    private Path configDir(String name, int prometheusPort, Map<String, String> extra) throws IOException {
        Path conf = dir.resolve(name).resolve("conf");
        Files.createDirectories(conf);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.rpc.port", "0");
        c.put("taskmanager.data.port", "0");
        c.put("blob.server.port", "0");
        c.put("high-availability.type", "NONE");

        c.put("jobmanager.memory.heap.size", JM_HEAP + "m");
        c.put("jobmanager.memory.off-heap.size", JM_OFF_HEAP + "m");
        c.put("jobmanager.memory.jvm-metaspace.size", JM_METASPACE + "m");
        c.put("jobmanager.memory.jvm-overhead.min", JM_OVERHEAD + "m");
        c.put("jobmanager.memory.jvm-overhead.max", JM_OVERHEAD + "m");

        c.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager));
        c.put("taskmanager.cpu.cores", "1.0");
        c.put("taskmanager.memory.framework.heap.size", TM_FRAMEWORK_HEAP + "m");
        c.put("taskmanager.memory.task.heap.size", TM_TASK_HEAP + "m");
        c.put("taskmanager.memory.managed.size", TM_MANAGED + "m");
        c.put("taskmanager.memory.framework.off-heap.size", TM_FRAMEWORK_OFF_HEAP + "m");
        c.put("taskmanager.memory.task.off-heap.size", TM_TASK_OFF_HEAP + "m");
        c.put("taskmanager.memory.network.min", TM_NETWORK + "m");
        c.put("taskmanager.memory.network.max", TM_NETWORK + "m");
        c.put("taskmanager.memory.jvm-metaspace.size", TM_METASPACE + "m");
        c.put("taskmanager.memory.jvm-overhead.min", TM_OVERHEAD + "m");
        c.put("taskmanager.memory.jvm-overhead.max", TM_OVERHEAD + "m");
        // DJL is on the TaskManagers' classpath beside PyTorch's natives (ClusterClasspath): loaded parent-first, the
        // classes that bind the natives are the JVM's, not the first job's, so every later job can train too.
        c.put("classloader.parent-first-patterns.additional", "ai.djl.");
        // Spread a job's slots over the TaskManagers (Flink 2's successor of cluster.evenly-spread-out-slots).
        c.put("taskmanager.load-balance.mode", "SLOTS");

        // A loaded 2-core machine: patient RPC and heartbeats, and a job that keeps restarting rather than giving up.
        c.put("pekko.ask.timeout", "60 s");
        c.put("heartbeat.timeout", "120000");
        c.put("restart-strategy.type", "exponential-delay");
        c.put("restart-strategy.exponential-delay.initial-backoff", "1 s");
        c.put("restart-strategy.exponential-delay.max-backoff", "10 s");
        c.put("restart-strategy.exponential-delay.attempts-before-reset-backoff", "100");

        c.put("io.tmp.dirs", dir.resolve(name).resolve("tmp").toAbsolutePath().toString());
        c.put("web.tmpdir", dir.resolve(name).resolve("web").toAbsolutePath().toString());
        c.put("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.put("metrics.reporter.prom.port", Integer.toString(prometheusPort));
        c.put("metrics.reporter.prom.host", "127.0.0.1");
        c.putAll(overrides);
        c.putAll(extra);
        StringBuilder yaml = new StringBuilder("# Written by FlinkSessionCluster for " + name + "\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
        Files.createDirectories(dir.resolve(name).resolve("tmp"));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.copy(KafkaBrokerProcess.log4jConfig(dir), conf.resolve("log4j.properties"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return conf;
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9._/-]+") ? v : "'" + v.replace("'", "''") + "'";
    }

    // --- REST ---

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + restAddress() + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered HTTP " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    /** The ids of the registered TaskManagers (empty until the REST endpoint answers). */
    public Set<String> taskManagerIds() throws IOException, InterruptedException {
        Set<String> ids = new TreeSet<>();
        get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    /** The status of every vertex of a job (vertex name → status), from {@code /jobs/:id}. */
    public Map<String, String> vertexStates(String jobId) throws IOException, InterruptedException {
        Map<String, String> states = new LinkedHashMap<>();
        get("/jobs/" + jobId).path("vertices").forEach(v -> states.put(v.path("name").asText(), v.path("status").asText()));
        return states;
    }

    /** The TaskManager id of each subtask of each vertex: vertex name → list of TaskManager ids, by subtask index. */
    public Map<String, List<String>> subtaskPlacement(String jobId) throws IOException, InterruptedException {
        Map<String, List<String>> placement = new LinkedHashMap<>();
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            List<String> tms = new ArrayList<>();
            for (JsonNode s : get("/jobs/" + jobId + "/vertices/" + v.path("id").asText()).path("subtasks")) {
                tms.add(s.path("taskmanager-id").asText());
            }
            placement.put(v.path("name").asText(), tms);
        }
        return placement;
    }

    /** The root exception Flink recorded for the job, or null. */
    public String rootException(String jobId) {
        try {
            JsonNode history = get("/jobs/" + jobId + "/exceptions?maxExceptions=1").path("exceptionHistory").path("entries");
            return history.isEmpty() ? null : history.get(0).path("stacktrace").asText();
        } catch (Exception e) {
            return null;
        }
    }
}
