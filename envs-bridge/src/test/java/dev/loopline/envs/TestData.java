package dev.loopline.envs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data sets shipped in the repository's {@code data/} folder. Tests run in their module's folder,
 * which sits one or two levels below the root, so the folder is found by walking up.
 */
public final class TestData {
    private TestData() {}

    public static Path path(String... parts) {
        return root().resolve(String.join("/", parts));
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path data = dir.resolve("data");
            if (Files.isRegularFile(data.resolve("README.md"))) {
                return data;
            }
        }
        throw new IllegalStateException("no data/ folder with a README.md above " + Path.of("").toAbsolutePath()
                + "; run the tests from a clone of the repository");
    }
}
