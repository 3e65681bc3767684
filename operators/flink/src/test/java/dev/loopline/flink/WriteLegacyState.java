package dev.loopline.flink;

import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.LoopInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * Writes the decide-and-learn operator's state as this release writes it, for {@code LegacyStateRestoreTest}:
 * run once on a release whose state must keep restoring ({@code java -cp <test classpath>
 * dev.loopline.flink.WriteLegacyState operators/flink/src/test/resources/legacy-state/0.1}), never by
 * the build. For each policy and backend it writes the snapshot taken after {@link
 * LoopFunctionRestoreTest#before} and what that release then did on {@link LoopFunctionRestoreTest#after}.
 */
public final class WriteLegacyState {
    private WriteLegacyState() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (String backend : List.of("heap", "rocksdb")) {
            for (Map.Entry<String, LoopSettings> setUp : SET_UPS.entrySet()) {
                write(dir, setUp.getKey(), backend, setUp.getValue());
            }
        }
    }

    /** The operator set-ups whose state is kept: each policy family, and the error memory. */
    static final Map<String, LoopSettings> SET_UPS = Map.of(
            "squarecb", LoopHarness.squareCb(),
            "linucb", LoopHarness.linUcb(0.0, false),
            "epsilon-greedy", LoopSettings.of("epsilon-greedy", LoopHarness.SEED, LoopHarness.CONTEXT, LoopHarness.WAIT,
                    0.0, false, LoopHarness.TOMBSTONE),
            "squarecb-memory", LoopSettings.of("squarecb", LoopHarness.SEED, LoopHarness.CONTEXT, LoopHarness.WAIT, 0.0,
                    false, LoopHarness.TOMBSTONE).withErrorMemory(ErrorMemoryConfig.defaults().withCapacity(64)));

    private static void write(Path dir, String name, String backend, LoopSettings settings) throws Exception {
        StateBackend state = backend.equals("heap") ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend();
        var first = LoopHarness.open(settings, state, null, 1, 0);
        try {
            LoopFunctionRestoreTest.before(first);
            OperatorSnapshotUtil.writeStateHandle(first.snapshot(1L, 1_300L),
                    dir.resolve(name + "-" + backend + ".snapshot").toString());
        } finally {
            first.close();
        }
        var restored = LoopHarness.open(settings, backend.equals("heap") ? new HashMapStateBackend()
                : new EmbeddedRocksDBStateBackend(), OperatorSnapshotUtil.readStateHandle(
                        dir.resolve(name + "-" + backend + ".snapshot").toString()), 1, 0);
        try {
            LoopFunctionRestoreTest.after(restored);
            Files.write(dir.resolve(name + "-" + backend + ".expected"), outcomes(restored));
        } finally {
            restored.close();
        }
    }

    /** One line per decision and per joined example, in the order the operator emitted them. */
    static List<String> outcomes(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h) {
        List<String> lines = new ArrayList<>();
        for (Decision d : LoopHarness.decisions(h)) {
            lines.add("decision " + d.getDecisionId() + " " + d.getActionId() + " " + d.getPropensity() + " "
                    + d.getPolicy() + " " + d.getModelVersion());
        }
        for (JoinedExample j : LoopFunctionRestoreTest.perEntity(LoopHarness.joined(h))) {
            lines.add("joined " + j.getDecision().getDecisionId() + " " + j.getOutcome() + " " + j.getReward());
        }
        for (var letter : LoopHarness.deadLetters(h)) {
            lines.add("dead-letter " + letter.getReason());
        }
        return lines;
    }
}
