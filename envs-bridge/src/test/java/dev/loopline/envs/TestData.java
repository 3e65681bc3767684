package dev.loopline.envs;

import java.nio.file.Path;

/** The data sets shipped in the repository's {@code data/} folder (tests run in a module folder). */
public final class TestData {
    private TestData() {}

    public static Path path(String... parts) {
        return Path.of("..", "data").resolve(String.join("/", parts));
    }
}
