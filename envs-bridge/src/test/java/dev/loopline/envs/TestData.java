package dev.loopline.envs;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared data sets ({@code ../shared/data} from the project root; tests run in a module folder). */
public final class TestData {
    private TestData() {}

    public static Path path(String... parts) {
        Path fromModule = Path.of("..", "..", "shared", "data").resolve(String.join("/", parts));
        return Files.exists(fromModule) ? fromModule : Path.of("..", "shared", "data").resolve(String.join("/", parts));
    }
}
