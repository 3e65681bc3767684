package dev.loopline.tests.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the multi-process tests share: their work directory, the processes they started (each stopped by its
 * PID, pass or fail), the Loopline command line run as a process of its own, the shaded job jar, a
 * {@code loop.yaml} made from the repository's example, and reading a topic back to its end.
 */
public final class ClusterFixture {
    private static final List<String> CLI_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dai.djl.offline=true");

    private final Path work;
    private final List<JvmProcess> flinkProcesses = new CopyOnWriteArrayList<>();
    private final List<JvmProcess> otherProcesses = new CopyOnWriteArrayList<>();
    private final Map<String, Supervised> supervised = new ConcurrentHashMap<>();
    private final Set<String> killedOnPurpose = ConcurrentHashMap.newKeySet();
    private final List<String> restarts = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService supervisor;

    /** A fixture in {@code work}, emptied first; processes an earlier run left behind there are killed. */
    public ClusterFixture(Path work) throws Exception {
        this.work = work;
        List<Long> leftovers = JvmProcess.killLeftovers(work);
        if (!leftovers.isEmpty()) {
            System.out.println("Killed processes left by an earlier run: " + leftovers);
        }
        deleteRecursively(work);
        Files.createDirectories(work);
    }

    public Path work() {
        return work;
    }

    public List<JvmProcess> processes() {
        return Stream.concat(flinkProcesses.stream(), otherProcesses.stream()).toList();
    }

    /** A JobManager or TaskManager: stopped first. */
    public JvmProcess flink(JvmProcess p) {
        flinkProcesses.add(p);
        return p;
    }

    /** How a supervised process is started again. */
    @FunctionalInterface
    public interface Start {
        JvmProcess start() throws IOException;
    }

    private record Supervised(Start start, JvmProcess current) {
    }

    /**
     * A Flink process started now and started again whenever it exits on its own, as the deployment's restart
     * policy does ({@code restart: unless-stopped} in docker-compose). Flink 2.2 can take down a TaskManager that
     * survives another's death: the task cleanup rethrows the lost connection inside its exception handler, which
     * is fatal to the whole process; without a supervisor the job then waits for a slot forever. The dead
     * process's log and output are kept as {@code NAME.exited-N.log|out}.
     */
    public synchronized JvmProcess supervise(String name, Start start) throws IOException {
        JvmProcess p = flink(start.start());
        supervised.put(name, new Supervised(start, p));
        if (supervisor == null) {
            supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "loopline-cluster-supervisor");
                t.setDaemon(true);
                return t;
            });
            supervisor.scheduleWithFixedDelay(this::restartExited, 500, 500, TimeUnit.MILLISECONDS);
        }
        return p;
    }

    /** The supervised process {@code name} as it runs now (a restart replaces it). */
    public JvmProcess supervised(String name) {
        return supervised.get(name).current();
    }

    /** Kills a supervised process with SIGKILL and leaves it dead: the failure a test injects. */
    public void killOnPurpose(String name) {
        killedOnPurpose.add(name);
        ProcessHandle.of(supervised(name).pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The processes the supervisor started again, one entry per restart, in order. */
    public List<String> restarts() {
        return List.copyOf(restarts);
    }

    private synchronized void restartExited() {
        for (Map.Entry<String, Supervised> e : supervised.entrySet()) {
            String name = e.getKey();
            if (e.getValue().current().isAlive() || killedOnPurpose.contains(name)) {
                continue;
            }
            try {
                int n = (int) restarts.stream().filter(name::equals).count() + 1;
                for (String suffix : List.of(".log", ".out")) {
                    Path file = work.resolve(name + suffix);
                    if (Files.exists(file)) {
                        Files.move(file, work.resolve(name + ".exited-" + n + suffix));
                    }
                }
                System.out.println("Supervisor: " + name + " exited on its own; starting it again");
                restarts.add(name);
                e.setValue(new Supervised(e.getValue().start(), flink(e.getValue().start().start())));
            } catch (IOException | RuntimeException failure) {
                System.out.println("Supervisor: cannot start " + name + " again: " + failure);
            }
        }
    }

    public JvmProcess other(JvmProcess p) {
        otherProcesses.add(p);
        return p;
    }

    /** Starts the Loopline command line as a process of its own. */
    public JvmProcess startCli(String name, String... args) throws IOException {
        List<String> jvm = switch (name.replaceAll("-.*", "")) {
            case "simulator" -> List.of("-Xmx512m", "-Dai.djl.offline=true");
            // The bench holds a broker, the simulator and the readers; C2 too, or it measures its own clients.
            case "bench" -> List.of("-Xmx1g", "-Dai.djl.offline=true");
            default -> CLI_JVM;
        };
        return other(JvmProcess.start(name, work, ClusterClasspath.full(), jvm,
                "dev.loopline.jobs.cli.Loopline", List.of(args), Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true")));
    }

    /** Runs the Loopline command line as a process of its own; returns its output, fails on a non-zero exit. */
    public String runCli(String name, Duration timeout, String... args) throws Exception {
        return finish(startCli(name, args), timeout, args);
    }

    /** Waits for a command started with {@link #startCli}; returns its output, fails on a non-zero exit. */
    public static String finish(JvmProcess p, Duration timeout, String... args) throws InterruptedException {
        Integer code = p.waitFor(timeout).orElse(null);
        if (code == null) {
            throw new AssertionError("loopline " + String.join(" ", args) + " did not finish within " + timeout.toSeconds()
                    + " s; output so far:\n" + p.tail(40));
        }
        if (code != 0) {
            throw new AssertionError("loopline " + String.join(" ", args) + " exited with " + code + ":\n" + p.tail(60));
        }
        return p.output();
    }

    /** Flink first (JobManager and TaskManagers together), then the rest; each by its PID, killed after a grace period. */
    public void stopEverything() throws InterruptedException {
        synchronized (this) {
            if (supervisor != null) {
                supervisor.shutdownNow();
            }
            supervised.clear();
        }
        long t = System.nanoTime();
        List<String> killed = new ArrayList<>(JvmProcess.stopAll(flinkProcesses, Duration.ofSeconds(20)));
        killed.addAll(JvmProcess.stopAll(otherProcesses, Duration.ofSeconds(20)));
        System.out.printf(Locale.ROOT, "Stopped %d processes by PID in %.1f s%s%n", flinkProcesses.size() + otherProcesses.size(),
                (System.nanoTime() - t) / 1e9, killed.isEmpty() ? "" : " (killed after the grace period: " + killed + ")");
        for (JvmProcess p : processes()) {
            if (p.isAlive() || ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                throw new AssertionError(p + " is still alive");
            }
        }
    }

    /** On failure: the end of every process's log, so a CI report shows what the cluster was doing. */
    public void dumpLogs() {
        try (Stream<Path> files = Files.walk(work, 2)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out")).sorted().toList()) {
                try {
                    List<String> lines = Files.readString(log).lines().toList();
                    System.out.println("---- " + work.relativize(log) + " (last 25 of " + lines.size() + " lines) ----");
                    lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(System.out::println);
                } catch (IOException | RuntimeException e) {
                    System.out.println("---- " + log + ": " + e);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("cannot read the logs in " + work + ": " + e);
        }
    }

    public static Path jobJar() throws IOException {
        Path target = Path.of("..", "jobs", "target").toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar = files.filter(f -> f.getFileName().toString().matches("loopline-jobs-.*-job\\.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new AssertionError("no shaded job jar in " + target + "; build it with `mvn -B -DskipTests package`");
    }

    /** config/loop.yaml with this run's broker, checkpoint directory and run id, then {@code changes}. */
    public Path writeLoopYaml(String bootstrap, String runId, Consumer<ObjectNode> changes) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Path example = Path.of("..", "config", "loop.yaml").toAbsolutePath().normalize();
        ObjectNode root = (ObjectNode) yaml.readTree(example.toFile());
        root.withObjectProperty("kafka").put("bootstrap", bootstrap);
        root.withObjectProperty("state").put("checkpointDir", work.resolve("checkpoints").toUri().toString());
        root.withObjectProperty("state").put("checkpointMillis", 1000);
        root.withObjectProperty("job").put("parallelism", 2).put("runId", runId);
        // On a session cluster the Prometheus reporter is cluster configuration (FlinkSessionCluster), not the job's.
        root.withObjectProperty("metrics").put("prometheusPort", 0);
        changes.accept(root);
        Path file = work.resolve("loop.yaml");
        yaml.writeValue(file.toFile(), root);
        return file;
    }

    /** Every record of {@code topic}, from the beginning to the end it has now, at {@code isolation}. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, String isolation)
            throws InterruptedException {
        return readAll(bootstrap, topic, isolation, Map.of());
    }

    /** As {@link #readAll(String, String, String)}, with client settings (credentials) of its own. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, String isolation,
            Map<String, String> clientProperties) throws InterruptedException {
        Map<String, Object> props = new java.util.HashMap<>(clientProperties);
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Await.until("reading " + topic + " to its end " + end, Duration.ofSeconds(60), Duration.ZERO, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
        return records;
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
