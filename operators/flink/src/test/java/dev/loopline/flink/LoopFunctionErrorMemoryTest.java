package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.decisions;
import static dev.loopline.flink.LoopHarness.feedback;
import static dev.loopline.flink.LoopHarness.joined;
import static dev.loopline.flink.LoopHarness.last;
import static dev.loopline.flink.LoopHarness.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.core.memory.ErrorMemoryStats;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.LoopInput;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The error memory inside the decide-and-learn operator, over a fixed reward model (squarecb learns
 * through the trainer, so the base predictions do not move here): the model's favourite action stops
 * paying on one entity, and that entity's memory pulls the favourite's score down within tens of
 * outcomes while another entity, on the same context, still decides on the model alone. The memories
 * live in keyed RocksDB state and survive a snapshot.
 */
class LoopFunctionErrorMemoryTest {
    static final int ROUNDS = 40;

    static LoopSettings settings() {
        return LoopSettings.of(PolicyFactory.SQUARECB, 7, LoopHarness.CONTEXT, LoopHarness.WAIT, 0.0, false,
                LoopHarness.TOMBSTONE).withExplainRate(1.0).withErrorMemory(ErrorMemoryConfig.defaults().withCapacity(64));
    }

    static KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> open(OperatorSubtaskState restore)
            throws Exception {
        return LoopHarness.open(settings(), new EmbeddedRocksDBStateBackend(), restore, 1, 0);
    }

    /** The model's scores for the test context, from the first decision's explanation (nothing to correct yet). */
    static Map<String, Double> baseScores(Decision first) {
        return first.getExplanation().getScores();
    }

    static String favourite(Map<String, Double> scores) {
        return scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** u1 decides ROUNDS times on one context; its favourite action pays 1 less than the model's worst, the others what the model predicts. */
    static void outage(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h) throws Exception {
        h.processBroadcastElement(model(1), 0);
        Map<String, Double> base = null;
        for (int i = 0; i < ROUNDS; i++) {
            long t = 1_000 + 20L * i;
            h.processElement(context("u1", "e" + i, t, 1.0 + 0.01 * (i % 3), 0.5), t);
            Decision d = last(decisions(h));
            if (base == null) {
                base = baseScores(d);
            }
            String fav = favourite(base);
            // The favourite falls to 1 below the worst alternative: a route that went down.
            double worst = base.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double reward = d.getActionId().equals(fav) ? worst - 1.0 : base.get(d.getActionId());
            h.processElement(feedback("u1", "e" + i, t + 5, reward), t + 5);
        }
    }

    @Test
    void anEntitysMemoryCorrectsItsOwnDecisionsOnlyAndReportsWhatItDid() throws Exception {
        try (var h = open(null)) {
            outage(h);
            List<Decision> decisions = decisions(h);
            Map<String, Double> base = baseScores(decisions.get(0));
            String favourite = favourite(base);
            assertTrue(decisions.get(0).getProbabilities().get(favourite) > 0.5, "the model favours " + favourite);

            JoinedExample firstFavourite = joined(h).stream()
                    .filter(j -> j.getDecision().getActionId().equals(favourite)).findFirst().orElseThrow();
            assertEquals(base.get(favourite), firstFavourite.getBasePrediction(), 1e-9);
            assertEquals(firstFavourite.getBasePrediction(), firstFavourite.getServedPrediction(), 1e-12,
                    "nothing to correct before the first outcome");
            assertEquals(0, firstFavourite.getMemoryNeighbours());
            assertNotNull(firstFavourite.getMemoryOccupancy());

            Decision lastU1 = last(decisions);
            double corrected = lastU1.getExplanation().getScores().get(favourite);
            assertTrue(corrected < base.get(favourite) - 0.2, "favourite corrected from " + base.get(favourite) + " to " + corrected);
            assertTrue(lastU1.getProbabilities().get(favourite) < 0.2, "u1 moved off " + favourite + ": " + lastU1);

            // Another entity, same context: its memory is empty, so it decides on the model alone.
            h.processElement(context("u2", "f0", 2_000, 1.0, 0.5), 2_000);
            Decision u2 = last(decisions(h));
            assertEquals(decisions.get(0).getProbabilities(), u2.getProbabilities());
            assertEquals(base, u2.getExplanation().getScores());

            // Residuals before and after the correction, as the metrics report them.
            @SuppressWarnings("unchecked")
            var function = (LoopFunction) ((CoBroadcastWithKeyedOperator<String, LoopInput, ModelVersion, Decision>) h.getOperator()).getUserFunction();
            ErrorMemoryStats totals = function.memoryTotals();
            assertEquals(ROUNDS, totals.outcomes());
            assertTrue(totals.hitRate() > 0.5, "hit rate " + totals.hitRate());
            assertTrue(Math.abs(totals.residualMeanAfter()) < Math.abs(totals.residualMeanBefore()),
                    "residual mean before " + totals.residualMeanBefore() + " after " + totals.residualMeanAfter());
        }
    }

    @Test
    void memoriesSurviveASnapshotOnRocksDb() throws Exception {
        Decision expected;
        try (var reference = open(null)) {
            outage(reference);
            reference.processElement(context("u1", "later", 5_000, 1.0, 0.5), 5_000);
            expected = last(decisions(reference));
        }
        OperatorSubtaskState snapshot;
        try (var first = open(null)) {
            outage(first);
            snapshot = first.snapshot(1, 3_000);
        }
        try (var restored = open(snapshot)) {
            restored.processElement(context("u1", "later", 5_000, 1.0, 0.5), 5_000);
            Decision again = last(decisions(restored));
            assertEquals(expected.getProbabilities(), again.getProbabilities(), "decided as if never stopped");
            assertEquals(expected.getExplanation(), again.getExplanation());
            restored.processElement(feedback("u1", "later", 5_010, 0.5), 5_010);
            JoinedExample j = last(joined(restored));
            assertTrue(j.getMemoryNeighbours() > 0, "the restored memory had neighbours: " + j);
        }
    }

    @Test
    void withoutTheMemoryPredictionsAreStillReportedAndNeverCorrected() throws Exception {
        LoopSettings off = settings().withErrorMemory(null);
        try (var h = LoopHarness.open(off)) {
            outage(h);
            for (JoinedExample j : joined(h)) {
                assertEquals(j.getBasePrediction(), j.getServedPrediction());
                assertNull(j.getMemoryOccupancy());
                assertEquals(0, j.getMemoryNeighbours());
            }
            assertEquals(ROUNDS, joined(h).size());
        }
    }
}
