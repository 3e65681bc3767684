package dev.loopline.core.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A snapshot written by format version 1 (kept in {@code src/test/resources/memory/}) still restores:
 * it reads back byte for byte, equals the snapshot of a memory fed the same way today, and corrects
 * alike. If a change to the hashing or the arithmetic is intended, the second check fails and the
 * fixture is regenerated with {@link #main}; if the format changes, add version 2 and keep reading this.
 */
class SnapshotFormatV1Test {
    static final ErrorMemoryConfig CONFIG = ErrorMemoryConfig.defaults().withCapacity(100);
    static final String FIXTURE = "/memory/error-memory.v1.snapshot";

    /** 150 events in 3 dimensions: look up, serve, learn; so the memory is full and has statistics. */
    static ErrorMemory fed() {
        ErrorMemory memory = new ErrorMemory(CONFIG);
        SplittableRandom random = new SplittableRandom(31);
        for (int i = 0; i < 150; i++) {
            double[] x = ErrorMemoryContractTest.gaussian(random, 3);
            Correction served = memory.correct(x, 0.5, 1000L * i);
            memory.learn(x, x[0] > 0 ? 1 : 0, served, 1000L * i);
        }
        return memory;
    }

    @Test
    void version1SnapshotRestores() throws IOException {
        byte[] fixture;
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            assertNotNull(in, "fixture " + FIXTURE);
            fixture = in.readAllBytes();
        }
        ErrorMemory restored = ErrorMemory.restore(CONFIG, fixture);
        assertEquals(100, restored.size());
        assertEquals(150, restored.statistics().lookups());
        assertArrayEquals(fixture, restored.snapshot());
        ErrorMemory today = fed();
        assertArrayEquals(today.snapshot(), fixture, "a memory fed the same way today writes the same bytes");
        SplittableRandom probe = new SplittableRandom(32);
        for (int i = 0; i < 100; i++) {
            double[] q = ErrorMemoryContractTest.gaussian(probe, 3);
            assertEquals(today.correct(q, 0.5, 150_000), restored.correct(q, 0.5, 150_000), "probe " + i);
        }
    }

    /** Regenerates the fixture: run from the operators module. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of("src/test/resources" + FIXTURE);
        Files.write(file, fed().snapshot());
        System.out.println("wrote " + file.toAbsolutePath());
    }
}
