package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.decisions;
import static dev.loopline.flink.LoopHarness.feedback;
import static dev.loopline.flink.LoopHarness.last;
import static dev.loopline.flink.LoopHarness.learned;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.LoopInput;
import java.util.function.Supplier;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A key's policy state outlives its last write by {@code state.keyRetentionMillis} (processing time), then
 * the entity starts afresh; an entity written since keeps what it learned. Policy state no longer grows with
 * every entity ever seen. On the heap and on RocksDB.
 */
class LoopFunctionRetentionTest {
    private static final long RETENTION = 60_000;

    @Test
    void onTheHeap() throws Exception {
        check(HashMapStateBackend::new);
    }

    @Test
    void onRocksDb() throws Exception {
        check(EmbeddedRocksDBStateBackend::new);
    }

    /** Savepoints of earlier releases hold this state without a time-to-live; they restore into the retained state. */
    @Test
    void stateWrittenWithoutRetentionRestoresIntoIt() throws Exception {
        for (Supplier<StateBackend> backend : java.util.List.<Supplier<StateBackend>>of(HashMapStateBackend::new,
                EmbeddedRocksDBStateBackend::new)) {
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
            String action;
            try (var before = LoopHarness.open(LoopHarness.linUcb(0.0, false).withKeyRetention(0), backend.get(), null, 1, 0)) {
                action = decideAndReward(before, "e", "e1", 1_000);
                snapshot = before.snapshot(1, 2_000);
            }
            try (var after = LoopHarness.open(LoopHarness.linUcb(0.0, false).withKeyRetention(RETENTION), backend.get(),
                    snapshot, 1, 0)) {
                assertEquals(1, learned(after, "e", action), "what the entity learned before the upgrade is kept");
                decideAndReward(after, "e", "e2", 3_000);
                assertEquals(2, learned(after, "e", action) + learnedElsewhere(after, action));
            }
        }
    }

    private static int learnedElsewhere(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h,
            String action) throws Exception {
        int n = 0;
        for (String other : LoopHarness.ACTIONS) {
            n += other.equals(action) ? 0 : learned(h, "e", other);
        }
        return n;
    }

    private static void check(Supplier<StateBackend> backend) throws Exception {
        LoopSettings settings = LoopHarness.linUcb(0.0, false).withKeyRetention(RETENTION);
        try (KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h =
                LoopHarness.open(settings, backend.get(), null, 1, 0)) {
            h.setStateTtlProcessingTime(0);
            String oldAction = decideAndReward(h, "gone", "e1", 1_000);
            h.setStateTtlProcessingTime(50_000);
            String keptAction = decideAndReward(h, "staying", "e2", 2_000);
            assertEquals(1, learned(h, "gone", oldAction));
            assertEquals(1, learned(h, "staying", keptAction));

            h.setStateTtlProcessingTime(RETENTION + 10_000);
            assertEquals(0, learned(h, "gone", oldAction), "silent longer than the retention: forgotten");
            assertEquals(1, learned(h, "staying", keptAction), "written 20 s ago: kept");
        }
    }

    /** One decision for {@code entity}, rewarded 1; returns the chosen action. */
    private static String decideAndReward(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h,
            String entity, String eventId, long t) throws Exception {
        h.processElement(context(entity, eventId, t, 1.0, 0.0), t);
        String action = last(decisions(h)).getActionId();
        h.processElement(feedback(entity, eventId, t + 10, 1.0), t + 10);
        return action;
    }
}
