package dev.loopline.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The supervisor of the multi-process tests: a process that exits on its own runs again, a killed one stays dead. */
class ClusterFixtureTest {
    private static final Path WORK = Path.of("target", "cluster-fixture").toAbsolutePath();

    /** Exits with 1 at once (as a TaskManager ending on a fatal error), or with "stay" blocks until killed. */
    public static void main(String[] args) throws Exception {
        System.out.println("started " + String.join(" ", args));
        if (args.length > 0 && args[0].equals("stay")) {
            new java.util.concurrent.CountDownLatch(1).await();
        }
        System.exit(1);
    }

    private static ClusterFixture.Start process(Path work, String name, String mode) {
        return () -> JvmProcess.start(name, work, System.getProperty("java.class.path"), List.of("-Xmx32m"),
                ClusterFixtureTest.class.getName(), List.of(mode), Map.of());
    }

    @Test
    void aProcessThatExitsOnItsOwnIsStartedAgainAndAKilledOneIsNot() throws Exception {
        ClusterFixture fixture = new ClusterFixture(WORK);
        try {
            fixture.supervise("flaky", process(WORK, "flaky", "exit"));
            fixture.supervise("steady", process(WORK, "steady", "stay"));
            Await.until("two restarts of flaky", Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> fixture.restarts().size() >= 2);
            assertEquals(List.of("flaky", "flaky"), fixture.restarts().subList(0, 2));
            assertTrue(Files.readString(WORK.resolve("flaky.exited-1.out")).contains("started exit"),
                    "the first run's output is kept");
            fixture.killOnPurpose("steady");
            JvmProcess killed = fixture.supervised("steady");
            Await.until("steady to die", Duration.ofSeconds(10), Duration.ofMillis(50), () -> !killed.isAlive());
            // The supervisor goes on restarting flaky: two more restarts are two more rounds that saw steady dead.
            int before = fixture.restarts().size();
            Await.until("two more supervisor rounds", Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> fixture.restarts().size() >= before + 2);
            assertFalse(fixture.restarts().contains("steady"), "a process killed on purpose stays dead");
            assertTrue(fixture.supervised("steady") == killed);
        } finally {
            fixture.stopEverything();
        }
    }
}
