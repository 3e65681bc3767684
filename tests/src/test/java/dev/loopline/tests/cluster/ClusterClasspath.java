package dev.loopline.tests.cluster;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Classpaths for the cluster's processes, cut from this test's own classpath (the Maven artifacts of
 * the tests module; no Flink or Kafka distribution is needed).
 *
 * <p>The Flink processes get what a Flink distribution's {@code lib/} holds: Flink's runtime jars
 * (runtime, RPC loader, clients, streaming, RocksDB state backend, web submission, the Prometheus
 * reporter) with their third-party dependencies and log4j, plus DJL's PyTorch natives, which Loopline's
 * deployment guide puts into {@code lib/}. Everything else the job needs (the Kafka connector and
 * client, Avro, DJL's Java API, Loopline itself) must come from the shaded job jar: none of it is on
 * the cluster's classpath, so a class the jar misses fails the test.
 */
public final class ClusterClasspath {
    private ClusterClasspath() {}

    /** group:artifact patterns of the Flink processes' classpath; {@code *} ends an artifact prefix. */
    private static final List<String> FLINK_DISTRIBUTION = List.of(
            "org.apache.flink:*", "com.ververica:frocksdbjni",
            "org.apache.logging.log4j:*", "org.slf4j:slf4j-api",
            "com.esotericsoftware:*", "org.objenesis:*", "org.snakeyaml:*", "commons-collections:*", "commons-cli:*",
            "commons-io:*", "commons-codec:*", "org.apache.commons:commons-lang3", "org.apache.commons:commons-math3",
            "org.apache.commons:commons-text", "org.apache.commons:commons-compress", "org.javassist:*",
            "tools.profiler:*", "com.google.code.findbugs:*", "at.yawk.lz4:*", "org.xerial.snappy:*",
            "com.github.luben:*",
            // What docker/Dockerfile puts into lib/: the natives and the DJL classes that load them, with their own
            // dependencies that Flink does not ship.
            "ai.djl.pytorch:pytorch-native-*", "ai.djl:api", "ai.djl.pytorch:pytorch-engine", "ai.djl.pytorch:pytorch-jni",
            "com.google.code.gson:gson", "net.java.dev.jna:jna");

    /** Flink artifacts that a distribution does not ship: connectors and formats travel in the job jar. */
    private static final List<String> NOT_IN_FLINK_DISTRIBUTION = List.of(
            "org.apache.flink:flink-connector-kafka", "org.apache.flink:flink-connector-base", "org.apache.flink:flink-avro",
            "org.apache.flink:flink-test-utils*", "org.apache.flink:flink-table-*");

    /** Every jar and directory of this JVM's classpath. */
    public static List<Path> testClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** The classpath of this test JVM, for the Loopline command line and the Kafka broker. */
    public static String full() {
        return join(testClasspath());
    }

    /** The JobManager's and TaskManagers' classpath (see the class comment). */
    public static String flink() {
        List<Path> picked = new ArrayList<>();
        for (Path p : testClasspath()) {
            String file = p.getFileName().toString();
            if (!Files.isRegularFile(p) || !file.endsWith(".jar") || file.endsWith("-tests.jar")) {
                continue;
            }
            if (FLINK_DISTRIBUTION.stream().anyMatch(g -> matches(p, g))
                    && NOT_IN_FLINK_DISTRIBUTION.stream().noneMatch(g -> matches(p, g))) {
                picked.add(p);
            }
        }
        for (String required : List.of("flink-runtime-", "flink-runtime-web-", "flink-rpc-akka-loader-", "flink-clients-",
                "flink-streaming-java-", "flink-statebackend-rocksdb-", "flink-metrics-prometheus-", "log4j-core-",
                "log4j-slf4j-impl-", "pytorch-native-")) {
            if (picked.stream().noneMatch(p -> p.getFileName().toString().startsWith(required))) {
                throw new IllegalStateException("no " + required + "*.jar on the test classpath: " + System.getProperty("java.class.path"));
            }
        }
        return join(picked);
    }

    /** Whether a jar in a Maven repository layout ({@code group/path/artifact/version/file}) matches {@code group:artifact}. */
    static boolean matches(Path jar, String pattern) {
        String group = pattern.substring(0, pattern.indexOf(':'));
        String artifact = pattern.substring(pattern.indexOf(':') + 1);
        Path versionDir = jar.getParent();
        Path artifactDir = versionDir == null ? null : versionDir.getParent();
        Path groupDir = artifactDir == null ? null : artifactDir.getParent();
        if (groupDir == null) {
            return false;
        }
        String artifactId = artifactDir.getFileName().toString();
        boolean artifactMatches = artifact.endsWith("*") ? artifactId.startsWith(artifact.substring(0, artifact.length() - 1))
                : artifactId.equals(artifact);
        return artifactMatches && groupDir.endsWith(Path.of(group.replace('.', '/')));
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(p -> p.toAbsolutePath().toString()).toList());
    }
}
