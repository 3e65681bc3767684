package dev.loopline.core.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The error-memory core is plain Java: a Flink, Kafka, Avro or DJL import here fails the build. */
class MemoryHasNoRuntimeImportsTest {
    static final List<String> FORBIDDEN = List.of("import org.apache.flink", "import org.apache.kafka",
            "import org.apache.avro", "import dev.loopline.flink", "import dev.loopline.schemas", "import ai.djl");

    @Test
    void memoryPackageImportsNoRuntime() throws IOException {
        Path dir = Path.of("src/main/java/dev/loopline/core/memory");
        assertTrue(Files.isDirectory(dir), "run from the operators module: " + dir.toAbsolutePath());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    for (String f : FORBIDDEN) {
                        assertTrue(!line.trim().startsWith(f), file.getFileName() + ": " + line);
                    }
                }
            }
        }
    }
}
