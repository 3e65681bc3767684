package dev.loopline.tests.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker as its own JVM, as {@code kafka-storage.sh format} and {@code kafka-server-start.sh}
 * run it: {@code kafka.tools.StorageTool format}, then {@code kafka.Kafka server.properties}, in
 * combined broker+controller KRaft mode on 127.0.0.1 with ports chosen by the caller.
 */
public final class KafkaBrokerProcess {
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private final List<String> jvmArgs;
    private JvmProcess broker;
    private Duration formatTime;
    private Map<String, String> saslUsers = Map.of();
    private int nodeId = 1;
    private String voters;
    private String clusterId = Uuid.randomUuid().toString();
    private int clusterSize = 1;

    public KafkaBrokerProcess(Path dir, String classpath, int port, int controllerPort, List<String> jvmArgs) {
        this.dir = dir;
        this.classpath = classpath;
        this.port = port;
        this.controllerPort = controllerPort;
        this.jvmArgs = jvmArgs;
        this.voters = "1@127.0.0.1:" + controllerPort;
    }

    /**
     * {@code ports.length} combined broker+controller nodes forming one KRaft quorum and one cluster, each in
     * {@code dir/kafka-N} as process {@code kafka-broker-N}: the internal topics are replicated to every node
     * with {@code min.insync.replicas} a majority, and so are the topics created with replication 3.
     */
    public static List<KafkaBrokerProcess> cluster(Path dir, String classpath, int[] ports, int[] controllerPorts,
            List<String> jvmArgs) {
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < ports.length; i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllerPorts[i]);
        }
        String clusterId = Uuid.randomUuid().toString();
        List<KafkaBrokerProcess> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            KafkaBrokerProcess node = new KafkaBrokerProcess(dir.resolve("kafka-" + (i + 1)), classpath, ports[i],
                    controllerPorts[i], jvmArgs);
            node.nodeId = i + 1;
            node.voters = voters.toString();
            node.clusterId = clusterId;
            node.clusterSize = ports.length;
            nodes.add(node);
        }
        return nodes;
    }

    /** The bootstrap list of every node of a cluster made by {@link #cluster}. */
    public static String bootstrap(List<KafkaBrokerProcess> nodes) {
        return String.join(",", nodes.stream().map(KafkaBrokerProcess::bootstrap).toList());
    }

    private String processName(String what) {
        return clusterSize == 1 ? what : what + "-" + nodeId;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Clients must authenticate with SASL PLAIN as one of {@code users} (name to password); call before {@link #start}. */
    public KafkaBrokerProcess withSaslPlain(Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("SASL needs at least one user");
        }
        this.saslUsers = Map.copyOf(users);
        return this;
    }

    /** The client settings that log in as {@code user} over SASL PLAIN (empty for a plaintext broker). */
    public Map<String, String> clientProperties(String user, String password) {
        if (saslUsers.isEmpty()) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
    }

    public JvmProcess process() {
        return broker;
    }

    /** Time the storage format took (a JVM of its own, before the broker starts). */
    public Duration formatTime() {
        return formatTime;
    }

    /** Formats the log directory (waiting for it, up to {@code timeout}) and launches the broker; does not wait for it. */
    public JvmProcess start(Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path properties = dir.resolve("server.properties");
        String listener = saslUsers.isEmpty() ? "PLAINTEXT" : "SASL_PLAINTEXT";
        StringBuilder sasl = new StringBuilder();
        if (!saslUsers.isEmpty()) {
            // The broker's own inter-broker login is the first user; every user may log in.
            Map.Entry<String, String> self = new java.util.TreeMap<>(saslUsers).firstEntry();
            sasl.append("sasl.enabled.mechanisms=PLAIN\nsasl.mechanism.inter.broker.protocol=PLAIN\n")
                    .append("listener.name.sasl_plaintext.plain.sasl.jaas.config=")
                    .append("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"").append(self.getKey())
                    .append("\" password=\"").append(self.getValue()).append('"');
            saslUsers.forEach((user, password) -> sasl.append(" user_").append(user).append("=\"").append(password).append('"'));
            sasl.append(";\n");
        }
        Files.writeString(properties, sasl + String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=" + listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=" + listener + "://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=" + listener,
                "listener.security.protocol.map=" + listener + ":" + listener + ",CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                "num.partitions=2",
                "auto.create.topics.enable=false",
                // every internal topic on every node (one, or a quorum of three), few partitions (fast to create)
                "offsets.topic.replication.factor=" + clusterSize,
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=" + clusterSize,
                "transaction.state.log.min.isr=" + (clusterSize / 2 + 1),
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=" + clusterSize,
                "share.coordinator.state.topic.min.isr=" + (clusterSize / 2 + 1),
                "min.insync.replicas=" + (clusterSize / 2 + 1),
                "group.initial.rebalance.delay.ms=0",
                "log.flush.interval.messages=9223372036854775807",
                "log.cleaner.dedupe.buffer.size=16777216", // 128 MB by default: more than a test broker's heap
                "num.io.threads=2",
                "num.network.threads=2",
                "background.threads=2",
                "") + "\n");
        long started = System.nanoTime();
        List<String> logging = List.of("-Dlog.file=" + dir.resolve("kafka-format.log").toAbsolutePath(),
                "-Dlog4j2.configurationFile=" + log4jConfig(dir).toUri());
        JvmProcess format = JvmProcess.start(processName("kafka-format"), dir.getParent(), classpath,
                concat(jvmArgs, logging), "kafka.tools.StorageTool",
                List.of("format", "-t", clusterId, "-c", properties.toAbsolutePath().toString()), Map.of());
        Integer code;
        try {
            code = format.waitFor(timeout).orElse(null);
        } finally {
            JvmProcess.stopAll(List.of(format), Duration.ofSeconds(1));
        }
        if (code == null) {
            throw new IllegalStateException("kafka storage format did not finish in " + timeout.toSeconds() + " s:\n" + format.tail(40));
        }
        if (code != 0) {
            throw new IllegalStateException("kafka storage format exited with " + code + ":\n" + format.tail(40));
        }
        formatTime = Duration.ofNanos(System.nanoTime() - started);
        broker = JvmProcess.start(processName("kafka-broker"), dir.getParent(), classpath,
                concat(jvmArgs, List.of("-Dlog.file=" + dir.resolve("kafka-broker.log").toAbsolutePath(),
                        "-Dlog4j2.configurationFile=" + log4jConfig(dir).toUri())),
                "kafka.Kafka", List.of(properties.toAbsolutePath().toString()), Map.of());
        return broker;
    }

    /** Ready: the port accepts connections and the broker answers a cluster description with itself in it. */
    public boolean isReady() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        if (!saslUsers.isEmpty()) {
            Map.Entry<String, String> self = new java.util.TreeMap<>(saslUsers).firstEntry();
            props.putAll(clientProperties(self.getKey(), self.getValue()));
        }
        try (Admin admin = Admin.create(props)) {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() == clusterSize
                    && admin.describeCluster().controller().get(3, TimeUnit.SECONDS) != null;
        }
    }

    static Path log4jConfig(Path dir) throws IOException {
        Path file = dir.resolve("log4j.properties");
        if (!Files.exists(file)) {
            try (var in = KafkaBrokerProcess.class.getResourceAsStream("/cluster/log4j-process.properties")) {
                if (in == null) {
                    throw new IllegalStateException("cluster/log4j-process.properties is not on the test classpath");
                }
                Files.createDirectories(dir);
                Files.copy(in, file);
            }
        }
        return file;
    }

    static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
