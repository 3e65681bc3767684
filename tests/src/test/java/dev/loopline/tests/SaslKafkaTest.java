package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.tests.cluster.Await;
import dev.loopline.tests.cluster.ClusterClasspath;
import dev.loopline.tests.cluster.ClusterFixture;
import dev.loopline.tests.cluster.JvmProcess;
import dev.loopline.tests.cluster.KafkaBrokerProcess;
import dev.loopline.tests.cluster.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker that requires SASL (PLAIN over SASL_PLAINTEXT, as its own process): the loop's clients log in with
 * the {@code kafka.properties} of {@code loop.yaml} only. Wrong credentials end {@code loopline topics create}
 * with one line naming the keys; right ones create the topics, run the job ({@code loopline run}: sources,
 * transactional sinks, the model and metrics topics) and play {@code loopline env payments} against it, every
 * event decided exactly once.
 */
class SaslKafkaTest {
    private static final Path WORK = Path.of("target", "sasl").toAbsolutePath();
    private static final int EVENTS = 1_000;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theLoopLogsInWithItsKafkaPropertiesAndWrongCredentialsAreOneLine() throws Exception {
        ClusterFixture fixture = new ClusterFixture(WORK);
        int[] ports = Ports.free(2);
        KafkaBrokerProcess kafka = new KafkaBrokerProcess(WORK.resolve("kafka"), ClusterClasspath.full(), ports[0], ports[1],
                List.of("-Xms256m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .withSaslPlain(Map.of("admin", "admin-secret", "loop", "loop-secret"));
        try {
            JvmProcess broker = fixture.other(kafka.start(Duration.ofSeconds(90)));
            Await.until("the SASL broker", Duration.ofSeconds(120), Duration.ofMillis(300), kafka::isReady, broker);

            Path wrong = loopYaml(fixture, kafka, "loop", "not-the-password");
            Path wrongCopy = Files.copy(wrong, WORK.resolve("loop-wrong.yaml"));
            JvmProcess refused = fixture.startCli("topics-wrong", "topics", "create", "--config", wrongCopy.toString());
            int code = refused.waitFor(Duration.ofSeconds(120)).orElseThrow();
            String said = refused.output();
            assertNotEquals(0, code, said);
            assertTrue(said.contains("loopline topics create: Kafka refused the credentials in kafka.properties"), said);
            assertFalse(said.contains("\tat "), "one line, no stack trace:\n" + said);

            Path right = loopYaml(fixture, kafka, "loop", "loop-secret");
            fixture.runCli("topics-create", Duration.ofSeconds(120), "topics", "create", "--config", right.toString());
            fixture.startCli("job", "run", "--config", right.toString());
            String played = fixture.runCli("simulator", Duration.ofSeconds(180), "env", "payments", "--config",
                    right.toString(), "--events", Integer.toString(EVENTS), "--rate", "200");
            System.out.println("loopline env payments over SASL:\n" + played.indent(2));

            List<ConsumerRecord<byte[], byte[]>> decisions = ClusterFixture.readAll(kafka.bootstrap(), "loopline.decisions",
                    "read_committed", kafka.clientProperties("loop", "loop-secret"));
            Set<String> ids = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : decisions) {
                Decision d = Codecs.decision().decode(r.value());
                ids.add(d.getDecisionId());
            }
            assertEquals(EVENTS, decisions.size(), "one committed decision per event");
            assertEquals(EVENTS, ids.size());
        } catch (Throwable failure) {
            fixture.dumpLogs();
            throw failure;
        } finally {
            fixture.stopEverything();
        }
    }

    /** The repository's loop.yaml with this broker and the credentials of {@code user} in kafka.properties. */
    private static Path loopYaml(ClusterFixture fixture, KafkaBrokerProcess kafka, String user, String password)
            throws Exception {
        return fixture.writeLoopYaml(kafka.bootstrap(), "sasl-test", root -> {
            ObjectNode properties = root.withObjectProperty("kafka").putObject("properties");
            kafka.clientProperties(user, password).forEach(properties::put);
            root.withObjectProperty("training").put("enabled", false);
        });
    }
}
