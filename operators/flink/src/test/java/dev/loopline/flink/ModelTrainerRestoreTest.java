package dev.loopline.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.PolicyTuning;
import dev.loopline.core.model.PromotionGate;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** A restored trainer goes on with its replay buffer, held-out decisions and round counter, not from empty. */
class ModelTrainerRestoreTest {
    static final TrainerSettings SETTINGS = new TrainerSettings("reward", 100, 1_000_000, 0, 100, 5, 30,
            new RewardModelTrainer.Config(8, 32, 1, 0.01f, 3), PolicyFactory.config(PolicyFactory.SQUARECB, 3,
                    PolicyTuning.DEFAULTS), new PromotionGate.Config(0.0, 20, 200, 0.95, 3), 1.0, true, null);

    static KeyedBroadcastOperatorTestHarness<Integer, JoinedExample, ModelVersion, ModelVersion> open(
            ModelTrainerFunction trainer, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(trainer,
                List.of(ModelTrainerFunction.KNOWN)), (JoinedExample e) -> ModelTrainerFunction.KEY, Types.INT, 128, 1, 0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    static JoinedExample example(int i) {
        List<Action> actions = new ArrayList<>();
        for (String a : List.of("a", "b", "c")) {
            actions.add(Action.newBuilder().setActionId(a).setFeatures(Map.of()).build());
        }
        ContextEvent context = ContextEvent.newBuilder().setEventId("e" + i).setEntityId("u" + i % 7).setTimestamp(i)
                .setDomain("test").setFeatures(Map.of("x0", (double) (i % 5), "x1", (double) (i % 3))).setActions(actions)
                .build();
        Decision decision = Decision.newBuilder().setDecisionId("e" + i).setEntityId("u" + i % 7).setTimestamp(i)
                .setActionId(List.of("a", "b", "c").get(i % 3)).setPropensity(1.0 / 3)
                .setProbabilities(Map.of("a", 1.0 / 3, "b", 1.0 / 3, "c", 1.0 / 3)).setPolicy("uniform").setModelVersion(0)
                .setExplored(true).setLatencyMicros(0).build();
        return JoinedExample.newBuilder().setContext(context).setDecision(decision).setReward(i % 3 == 0 ? 1 : 0)
                .setOutcome(JoinOutcome.JOINED).setResolvedAt(i + 10).build();
    }

    @Test
    void buffersAndRoundsSurviveARestoreBoundedAsBefore() throws Exception {
        ModelTrainerFunction first = new ModelTrainerFunction(SETTINGS);
        OperatorSubtaskState snapshot;
        List<String> before;
        long rounds;
        try (var h = open(first, null)) {
            for (int i = 0; i < 300; i++) {
                h.processElement(example(i), i);
            }
            before = first.bufferedEventIds();
            rounds = first.rounds();
            snapshot = h.snapshot(1, 300);
        }
        assertTrue(rounds >= 1, "a round started once the buffer held a batch");
        assertEquals(130, before.size(), "100 replay examples and 30 held-out decisions, the newest");
        ModelTrainerFunction restored = new ModelTrainerFunction(SETTINGS);
        try (var h = open(restored, snapshot)) {
            h.processElement(example(300), 300);
            List<String> after = restored.bufferedEventIds();
            List<String> expected = new ArrayList<>(before);
            // Example 300 is a replay example (not held out) or a held-out one; either way the oldest of its kind goes.
            assertEquals(130, after.size());
            assertTrue(after.contains("e300"), "the new example joins the restored ones");
            expected.retainAll(after);
            assertEquals(129, expected.size(), "every restored example but the one the newest displaced");
            // More than a batch of new examples waited when the snapshot was taken: the restored trainer starts
            // the next round at once, numbered after the last one, not as a first round.
            assertEquals(rounds + 1, restored.rounds(), "the round counter goes on");
        }
    }
}
