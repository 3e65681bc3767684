package dev.loopline.flink;

import static dev.loopline.flink.LoopHarness.ACTIONS;
import static dev.loopline.flink.LoopHarness.MODEL_FEATURES;
import static dev.loopline.flink.LoopHarness.SEED;
import static dev.loopline.flink.LoopHarness.context;
import static dev.loopline.flink.LoopHarness.deadLetters;
import static dev.loopline.flink.LoopHarness.decisions;
import static dev.loopline.flink.LoopHarness.last;
import static dev.loopline.flink.LoopHarness.model;
import static dev.loopline.flink.LoopHarness.network;
import static dev.loopline.flink.LoopHarness.squareCb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.ServingModelScorer;
import dev.loopline.state.ModelKey;
import dev.loopline.state.ModelVersions;
import dev.loopline.core.model.ServingModel;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.internal.LoopInput;
import dev.loopline.core.model.Checksums;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SquareCB serving the model versions that arrive on the broadcast input. */
class LoopFunctionModelSwapTest {
    private KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h;
    private int events;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    /** Decides one fresh context and returns the decision. */
    private Decision decide() throws Exception {
        events++;
        LoopInput input = event(events);
        h.processElement(input, input.getContext().getTimestamp());
        Decision d = last(decisions(h));
        assertEquals("e" + events, d.getDecisionId());
        return d;
    }

    /** The i-th context of a test: three entities, features that move with i. */
    static LoopInput event(int i) {
        return context("u" + (i % 3), "e" + i, 1_000 + i, 0.1 * i, 1 - 0.2 * i);
    }

    private long serving() throws Exception {
        ModelVersion v = h.getBroadcastState(LoopFunction.MODELS).get("serving");
        return v == null ? 0 : v.getVersion();
    }

    @Test
    void decisionsCarryTheServingVersionAndRefusedVersionsNeverReplaceIt() throws Exception {
        h = LoopHarness.open(squareCb());

        // No model yet: the uniform fallback, version 0.
        Decision d = decide();
        assertEquals("squarecb/fallback", d.getPolicy());
        assertEquals(0L, d.getModelVersion());
        for (double p : d.getProbabilities().values()) {
            assertEquals(1.0 / 3, p, 1e-12);
        }

        // Version 1 arrives and serves.
        h.processBroadcastElement(model(1), 2_000);
        assertTrue(deadLetters(h).isEmpty());
        assertEquals(1, serving());
        d = decide();
        assertEquals(PolicyFactory.SQUARECB, d.getPolicy());
        assertEquals(1L, d.getModelVersion());
        assertDecidedLikeTheCore(d, model(1));

        // A bad checksum: refused with a dead letter; version 1 keeps serving.
        ModelVersion badChecksum = model(2, network(MODEL_FEATURES.size(), 2), MODEL_FEATURES,
                Checksums.sha256Hex(new byte[] {42}));
        h.processBroadcastElement(badChecksum, 3_000);
        assertEquals(1, deadLetters(h).size());
        DeadLetter letter = deadLetters(h).get(0);
        assertTrue(letter.getReason().contains("checksum mismatch"), letter.getReason());
        assertEquals("models", letter.getSourceTopic());
        assertEquals(badChecksum, Codecs.model().decode(LoopFunctionJoinTest.bytes(letter.getPayload())));
        assertEquals(1, serving());
        assertEquals(1L, decide().getModelVersion());

        // An input schema of 5 features over a network that takes 6: refused.
        ModelVersion mismatched = model(3, network(MODEL_FEATURES.size() + 1, 3), MODEL_FEATURES, null);
        h.processBroadcastElement(mismatched, 4_000);
        assertEquals(2, deadLetters(h).size());
        assertTrue(last(deadLetters(h)).getReason().contains("network takes 6 inputs"), last(deadLetters(h)).getReason());
        assertEquals(1L, decide().getModelVersion());

        // Feature names disagreeing with the declared dimension: refused.
        ModelVersion badSchema = model(3, network(MODEL_FEATURES.size(), 3), MODEL_FEATURES, null);
        badSchema.getInputSchema().setDimension(4);
        h.processBroadcastElement(badSchema, 4_500);
        assertEquals(3, deadLetters(h).size());
        assertTrue(last(deadLetters(h)).getReason().contains("declares dimension 4"), last(deadLetters(h)).getReason());
        assertEquals(1L, decide().getModelVersion());

        // Version 2, well formed: serves, and version 1 is kept as the previous one.
        h.processBroadcastElement(model(2), 5_000);
        assertEquals(3, deadLetters(h).size());
        assertEquals(2, serving());
        assertEquals(1, h.getBroadcastState(LoopFunction.MODELS).get("previous").getVersion());
        d = decide();
        assertEquals(2L, d.getModelVersion());
        assertDecidedLikeTheCore(d, model(2));

        // Version 1 again, after 2: older, refused; 2 keeps serving.
        h.processBroadcastElement(model(1), 6_000);
        assertEquals(4, deadLetters(h).size());
        assertTrue(last(deadLetters(h)).getReason().contains("older than the serving version 2"),
                last(deadLetters(h)).getReason());
        assertEquals(2, serving());
        assertEquals(2L, decide().getModelVersion());

        // Version 2 replayed (e.g. after a restore): ignored without a dead letter.
        h.processBroadcastElement(model(2), 7_000);
        assertEquals(4, deadLetters(h).size());
        assertEquals(2L, decide().getModelVersion());
    }

    @Test
    void onlySubtaskZeroReportsARefusedVersionButEverySubtaskServesAGoodOne() throws Exception {
        for (int subtask = 0; subtask < 2; subtask++) {
            h = LoopHarness.open(squareCb(), null, null, 2, subtask);
            ModelVersion bad = model(1, network(MODEL_FEATURES.size(), 1), MODEL_FEATURES, "00");
            h.processBroadcastElement(bad, 1_000);
            assertEquals(subtask == 0 ? 1 : 0, deadLetters(h).size(), "dead letters from subtask " + subtask);
            assertNull(h.getBroadcastState(LoopFunction.MODELS).get("serving"));
            h.processBroadcastElement(model(1), 2_000);
            assertEquals(1, serving(), "subtask " + subtask + " serves version 1");
            h.close();
            h = null;
        }
    }

    /** With a model key, a version written by anyone without it is a dead letter and the signed one keeps serving. */
    @Test
    void withAModelKeyOnlySignedVersionsServe() throws Exception {
        ModelKey key = new ModelKey("sixteen bytes at the very least".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        h = LoopHarness.open(squareCb().withModelKey(key));
        h.processBroadcastElement(key.sign(model(1)), 1_000);
        assertEquals(1, serving());
        h.processBroadcastElement(model(2), 2_000);
        assertEquals("unsigned-model", last(deadLetters(h)).getReason().split(":")[0]);
        ModelVersion forged = ModelVersion.newBuilder(key.sign(model(3))).setMetrics(new java.util.HashMap<>(
                java.util.Map.of("examples", 1e9))).build();
        h.processBroadcastElement(forged, 3_000);
        assertEquals("bad-signature", last(deadLetters(h)).getReason().split(":")[0]);
        assertEquals(1, serving(), "the signed version keeps serving");
        assertEquals(1L, decide().getModelVersion());
        h.processBroadcastElement(key.sign(model(4)), 4_000);
        assertEquals(4, serving());
        assertEquals(2, deadLetters(h).size());
    }

    /** The shell decides exactly as the core does over the same accepted model and the same draws. */
    /**
     * Low-latency decisions: a version takes over at the next checkpoint barrier, so a replay from that checkpoint
     * decides every event with the version the first run used, even when the model input comes round later.
     */
    @Test
    void withSwapsAtCheckpointsAReplayDecidesWithTheVersionsTheFirstRunUsed() throws Exception {
        LoopSettings lowLatency = squareCb().withModelSwapsAtCheckpoints(true);
        h = LoopHarness.open(lowLatency);
        h.processBroadcastElement(model(1), 1_500);
        assertEquals(0L, decide().getModelVersion(), "version 1 waits for the next barrier");
        var checkpoint = h.snapshot(1, 2_000);
        assertEquals(1L, decide().getModelVersion(), "after the barrier version 1 serves");
        h.processBroadcastElement(model(2), 2_500);
        List<Decision> firstRun = List.of(decide(), decide());
        assertEquals(List.of(1L, 1L), firstRun.stream().map(Decision::getModelVersion).toList(),
                "version 2 waits for the next barrier too");

        // The process dies; the job restarts from the checkpoint and replays the three events after it, this time
        // with version 2's record arriving before them.
        h.close();
        h = LoopHarness.open(lowLatency, null, checkpoint, 1, 0);
        h.processBroadcastElement(model(2), 2_500);
        events -= 3;
        assertEquals(1L, decide().getModelVersion());
        for (Decision first : firstRun) {
            Decision replayed = decide();
            assertEquals(first.getDecisionId(), replayed.getDecisionId());
            assertEquals(first.getModelVersion(), replayed.getModelVersion());
            assertEquals(first.getActionId(), replayed.getActionId(), "the same action as the first record");
        }
        h.snapshot(2, 3_000);
        assertEquals(2L, decide().getModelVersion(), "at the next barrier version 2 serves");
    }

    @Test
    void exactlyOnceDecisionsSwapAtOnce() throws Exception {
        h = LoopHarness.open(squareCb());
        h.processBroadcastElement(model(1), 1_500);
        assertEquals(1L, decide().getModelVersion());
    }

    private static void assertDecidedLikeTheCore(Decision decision, ModelVersion version) {
        ServingModel model = ModelVersions.verdict(version).model();
        LoopInput input = event(Integer.parseInt(decision.getDecisionId().substring(1)));
        BanditPolicy policy = PolicyFactory.create(PolicyFactory.SQUARECB, SEED);
        ((ServingModelScorer) policy.scorer()).use(model);
        BanditDecision choice = policy.choose(CoreRecords.decisionInput(input.getContext()));
        assertEquals(ACTIONS.get(choice.index()), decision.getActionId());
        Map<String, Double> expected = new LinkedHashMap<>();
        for (int a = 0; a < ACTIONS.size(); a++) {
            expected.put(ACTIONS.get(a), choice.probabilities()[a]);
        }
        assertEquals(expected, decision.getProbabilities());
        assertEquals(choice.propensity(), decision.getPropensity());
        assertEquals(choice.explored(), decision.getExplored());
        assertEquals(1.0, decision.getProbabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertEquals(ACTIONS, List.copyOf(decision.getProbabilities().keySet()));
    }
}
