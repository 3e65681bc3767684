package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.deadLetters;
import static dev.loopline.flink.LoopHarness.decisions;
import static dev.loopline.flink.LoopHarness.feedback;
import static dev.loopline.flink.LoopHarness.joined;
import static dev.loopline.flink.LoopHarness.learned;
import static dev.loopline.flink.LoopHarness.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.LoopInput;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Snapshot a running loop, restore it into a new {@link LoopFunction} instance, and check it goes on
 * exactly as a loop that never stopped: pending decisions join, timers fire, tombstones and LinUCB
 * arms survive, and the serving model version survives. Runs on the heap and on the RocksDB backend.
 */
class LoopFunctionRestoreTest {
    static Stream<Arguments> backends() {
        Supplier<StateBackend> heap = HashMapStateBackend::new;
        Supplier<StateBackend> rocks = EmbeddedRocksDBStateBackend::new;
        return Stream.of(Arguments.of("heap", heap), Arguments.of("rocksdb", rocks));
    }

    /** The first part of the run, before the snapshot. */
    static void before(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h) throws Exception {
        h.processBroadcastElement(model(1), 500);
        for (LoopInput in : List.of(
                context("u1", "e1", 1_000, 1.0, 0.5),
                context("u1", "e2", 1_000, -0.5, 0.5),
                context("u1", "e3", 1_050, 0.2, 0.2),
                context("u2", "e4", 1_050, 0.9, -0.1),
                feedback("u1", "e1", 1_200, 1.0))) {
            send(h, in);
        }
    }

    /** The second part: what happens to state written before the snapshot. */
    static void after(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h) throws Exception {
        for (LoopInput in : List.of(
                feedback("u1", "e2", 1_400, 0.8),         // pending before the snapshot: joins
                context("u1", "e5", 1_500, 1.0, 0.5),     // decided with the surviving arms / model
                feedback("u1", "e1", 1_600, 0.3),         // its tombstone survived: late
                context("u1", "e3", 1_650, 0.2, 0.2))) {  // still pending: a duplicate
            send(h, in);
        }
        h.processWatermark(2_100); // e3 and e4 (deadline 2100) time out: their timers survived
        send(h, feedback("u2", "e4", 2_200, 1.0)); // late
    }

    /** Stable sort by entity: keeps the order within each entity, which Flink does promise. */
    static List<JoinedExample> perEntity(List<JoinedExample> examples) {
        return examples.stream().sorted(java.util.Comparator.comparing(j -> j.getDecision().getEntityId())).toList();
    }

    static void send(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h, LoopInput in)
            throws Exception {
        long t = in.getContext() != null ? in.getContext().getTimestamp() : in.getFeedback().getTimestamp();
        h.processElement(in, t);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void squareCbRestoredGoesOnLikeTheLoopThatNeverStopped(String name, Supplier<StateBackend> backend)
            throws Exception {
        restoreAndCompare(name, LoopSettings.of(PolicyFactory.SQUARECB, 7, List.of(), 1_000, 0.0, false, 10_000), backend);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void linUcbRestoredGoesOnLikeTheLoopThatNeverStopped(String name, Supplier<StateBackend> backend)
            throws Exception {
        restoreAndCompare(name, LoopHarness.linUcb(0.0, false), backend);
    }

    private void restoreAndCompare(String name, LoopSettings settings, Supplier<StateBackend> backend)
            throws Exception {
        // The reference: one harness, never stopped.
        List<Decision> refDecisions;
        List<JoinedExample> refJoined;
        List<String> refLetters;
        var reference = LoopHarness.open(settings, backend.get(), null, 1, 0);
        try {
            before(reference);
            after(reference);
            refDecisions = decisions(reference);
            refJoined = joined(reference);
            refLetters = deadLetters(reference).stream().map(DeadLetter::getReason).toList();
        } finally {
            reference.close();
        }

        OperatorSubtaskState snapshot;
        List<Decision> firstDecisions;
        List<JoinedExample> firstJoined;
        int firstLetters;
        var first = LoopHarness.open(settings, backend.get(), null, 1, 0);
        try {
            before(first);
            snapshot = first.snapshot(1L, 1_300L);
            firstDecisions = decisions(first);
            firstJoined = joined(first);
            firstLetters = deadLetters(first).size();
        } finally {
            first.close();
        }
        assertEquals(4, firstDecisions.size());
        assertEquals(1, firstJoined.size());
        assertEquals(0, firstLetters);

        var restored = LoopHarness.open(settings, backend.get(), snapshot, 1, 0);
        try {
            String keyed = restored.getOperator().getKeyedStateBackend().getClass().getSimpleName();
            assertEquals(name.equals("rocksdb"), keyed.contains("RocksDB"), "keyed state backend in use: " + keyed);
            after(restored);
            List<Decision> decisions = Stream.concat(firstDecisions.stream(), decisions(restored).stream()).toList();
            List<JoinedExample> joined = Stream.concat(firstJoined.stream(), joined(restored).stream()).toList();
            List<String> letters = deadLetters(restored).stream().map(DeadLetter::getReason).toList();

            assertEquals(refDecisions, decisions, "decisions after the restore differ from the uninterrupted run");
            // Timers of different keys due at the same time fire in no promised order: compare per entity.
            assertEquals(perEntity(refJoined), perEntity(joined),
                    "joined examples after the restore differ from the uninterrupted run");
            assertEquals(refLetters, letters);

            // And what that means, spelled out.
            assertEquals(List.of(JoinOutcome.JOINED, JoinOutcome.JOINED, JoinOutcome.LATE, JoinOutcome.TIMED_OUT,
                    JoinOutcome.TIMED_OUT, JoinOutcome.LATE), joined.stream().map(JoinedExample::getOutcome).toList());
            JoinedExample e2 = joined.get(1);
            assertEquals("e2", e2.getDecision().getDecisionId());
            assertEquals(firstDecisions.get(1), e2.getDecision(), "the decision made before the snapshot joined after it");
            assertEquals(0.8, e2.getReward());
            assertEquals(List.of("e3", "e4"), joined.subList(3, 5).stream().map(j -> j.getDecision().getDecisionId()).sorted().toList());
            assertEquals(1, letters.size());
            assertTrue(letters.get(0).contains("duplicate context event e3"), letters.get(0));
            Decision e5 = decisions.get(4);
            assertEquals("e5", e5.getDecisionId());
            if (settings.policy().name().equals(PolicyFactory.SQUARECB)) {
                assertEquals(1L, e5.getModelVersion(), "the serving model version survived the restore");
                assertEquals(PolicyFactory.SQUARECB, e5.getPolicy());
                assertEquals(1, restored.getBroadcastState(LoopFunction.MODELS).get("serving").getVersion());
            } else {
                // e1 (x = 1, 0.5) was rewarded 1 before the snapshot; the same context now exploits it.
                assertEquals(decisions.get(0).getActionId(), e5.getActionId());
                assertEquals(1.0, e5.getPropensity());
                assertTrue(learned(restored, "u1", decisions.get(0).getActionId()) >= 1, "the LinUCB policy state survived");
            }
        } finally {
            restored.close();
        }
    }
}
