package dev.loopline.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.core.policy.LinUcb;
import dev.loopline.core.policy.SquareCb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * State written by release 0.1 ({@link WriteLegacyState}, kept under {@code legacy-state/0.1}) restores
 * into this build's operator, which then goes on exactly as that release did after the same restore:
 * the same decisions, joins, time-outs, late feedback and refusals.
 */
class LegacyStateRestoreTest {
    static final Path FIXTURES = Path.of("src/test/resources/legacy-state/0.1");

    static final Map<String, LoopSettings> SETTINGS = Map.of(
            "squarecb", LoopHarness.squareCb(),
            "linucb", LoopHarness.linUcb(0.0, false),
            "epsilon-greedy", new LoopSettings("epsilon-greedy", LoopHarness.SEED, LoopHarness.CONTEXT,
                    LinUcb.Config.defaults(), SquareCb.Config.defaults(), LoopHarness.WAIT, 0.0, false,
                    LoopHarness.TOMBSTONE),
            "squarecb-memory", new LoopSettings(SquareCb.NAME, LoopHarness.SEED, LoopHarness.CONTEXT,
                    LinUcb.Config.defaults(), SquareCb.Config.defaults(), LoopHarness.WAIT, 0.0, false,
                    LoopHarness.TOMBSTONE, 0.0, "first", ErrorMemoryConfig.defaults().withCapacity(64),
                    LoopSettings.DEFAULT_KEY_RETENTION_MILLIS));

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"squarecb, heap", "squarecb, rocksdb", "linucb, heap", "linucb, rocksdb", "epsilon-greedy, heap",
            "epsilon-greedy, rocksdb", "squarecb-memory, heap", "squarecb-memory, rocksdb"})
    void stateOfTheLastReleaseRestoresAndGoesOnAsItDid(String policy, String backend) throws Exception {
        String file = policy + "-" + backend;
        var restored = LoopHarness.open(SETTINGS.get(policy),
                backend.equals("heap") ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend(),
                OperatorSnapshotUtil.readStateHandle(FIXTURES.resolve(file + ".snapshot").toString()), 1, 0);
        try {
            LoopFunctionRestoreTest.after(restored);
            List<String> expected = Files.readAllLines(FIXTURES.resolve(file + ".expected"));
            assertEquals(expected, WriteLegacyState.outcomes(restored));
        } finally {
            restored.close();
        }
    }
}
