package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots written by format version 1 (kept in {@code src/test/resources/bandit/}) still restore:
 * the state reads back byte for byte and decides as a policy trained the same way today does. The
 * fixtures cover the three state layouts: per-action ridge, hybrid and a bag. If a change to the
 * learning arithmetic is intended, the second check fails and the fixtures are regenerated with
 * {@link #main}; if the format changes, add version 2 and keep reading these.
 */
class SnapshotFormatV1Test {
    static final long SEED = 5;

    @ParameterizedTest
    @ValueSource(strings = {"regcb-opt", "linucb-hybrid", "bagging-ts"})
    void version1SnapshotsRestore(String name) throws IOException {
        byte[] fixture;
        try (InputStream in = getClass().getResourceAsStream("/bandit/" + name + ".v1.snapshot")) {
            assertNotNull(in, "fixture for " + name);
            fixture = in.readAllBytes();
        }
        BanditPolicy restored = PolicyFactory.create(name, SEED);
        restored.restore(fixture);
        assertEquals(300, restored.learned());
        assertArrayEquals(fixture, restored.snapshot());
        BanditPolicy today = trained(name);
        SplittableRandom probe = new SplittableRandom(77);
        for (int i = 0; i < 100; i++) {
            DecisionInput input = event(probe, "probe-" + i);
            BanditContract.assertSameDecision(today.choose(input), restored.choose(input), name + " probe " + i);
        }
    }

    static BanditPolicy trained(String name) {
        BanditPolicy policy = PolicyFactory.create(name, SEED);
        SplittableRandom stream = new SplittableRandom(1);
        for (int i = 0; i < 300; i++) {
            DecisionInput input = event(stream, "e-" + i);
            BanditDecision d = policy.choose(input);
            double x = input.context().getOrDefault("x", 0.0);
            double reward = d.actionId().equals(x > 0 ? "left" : "right") ? 1.0 : 0.0;
            policy.learn(input, d.index(), reward);
        }
        return policy;
    }

    static DecisionInput event(SplittableRandom stream, String id) {
        List<String> actions = new ArrayList<>(List.of("left", "right", "stay"));
        List<Map<String, Double>> features = new ArrayList<>();
        for (int a = 0; a < actions.size(); a++) {
            features.add(Map.of("size", (double) a + stream.nextDouble()));
        }
        return new DecisionInput(id, Map.of("x", stream.nextGaussian(), "y", 10 * stream.nextDouble()),
                actions, features);
    }

    /** Writes the fixtures: run from the operators module with the test classpath. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of("src/test/resources/bandit");
        Files.createDirectories(dir);
        for (String name : List.of("regcb-opt", "linucb-hybrid", "bagging-ts")) {
            Files.write(dir.resolve(name + ".v1.snapshot"), trained(name).snapshot());
        }
    }
}
