package dev.loopline.flink;

import dev.loopline.core.model.Mlp;
import dev.loopline.core.model.TestNetworks;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.PolicyTuning;
import dev.loopline.core.bandit.RidgeScorer;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.InputSchema;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.LoopInput;
import dev.loopline.core.model.Checksums;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * Builds {@link LoopFunction} harnesses and the records they eat. Event time is explicit everywhere:
 * each element carries its timestamp and the watermark is advanced by hand.
 */
final class LoopHarness {
    static final List<String> CONTEXT = List.of("x0", "x1");
    static final List<String> ACTIONS = List.of("a", "b", "c");
    static final long SEED = 42;
    static final long WAIT = 1_000;
    static final long TOMBSTONE = 10_000;
    /** Model inputs: the two context features and one indicator per action. */
    static final List<String> MODEL_FEATURES = List.of("x0", "x1", "action=a", "action=b", "action=c");

    private LoopHarness() {}

    /**
     * LinUCB with {@code alpha = 0}: before learning every action ties (propensity 1/3); once an action
     * earned a positive reward on a context, the same context picks it with propensity 1.
     */
    static LoopSettings linUcb(Double defaultReward, boolean learnLateFeedback) {
        LoopSettings settings = LoopSettings.of(PolicyFactory.LINUCB, SEED, CONTEXT, WAIT, defaultReward,
                learnLateFeedback, TOMBSTONE);
        return settings.withPolicy(PolicyFactory.config(PolicyFactory.LINUCB, SEED, PolicyTuning.DEFAULTS.withUcbAlpha(0.0)));
    }

    static LoopSettings squareCb() {
        return LoopSettings.of(PolicyFactory.SQUARECB, SEED, List.of(), WAIT, 0.0, false, TOMBSTONE);
    }

    /** Parallelism 1, subtask 0, the default (heap) state backend. */
    static KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> open(LoopSettings settings)
            throws Exception {
        return open(settings, null, null, 1, 0);
    }

    /**
     * A harness over a new {@link LoopFunction}, optionally on another state backend and restored from a
     * snapshot. The model input's watermark is held at the end of time, so it never holds the loop back (the job's model source is idle instead: the same effect),
     * so the loop input alone drives event time.
     */
    static KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> open(LoopSettings settings,
            StateBackend backend, OperatorSubtaskState restore, int parallelism, int subtask) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(new LoopFunction(settings), List.of(LoopFunction.MODELS)),
                        LoopKeys::entityOf, Types.STRING, 128, parallelism, subtask);
        if (backend != null) {
            harness.setStateBackend(backend);
        }
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE - 1);
        return harness;
    }

    // ---- records -------------------------------------------------------------------------------

    static LoopInput context(String entity, String eventId, long timestamp, double x0, double x1) {
        Map<String, Double> features = new HashMap<>();
        features.put("x0", x0);
        features.put("x1", x1);
        List<Action> actions = new ArrayList<>();
        for (String id : ACTIONS) {
            actions.add(Action.newBuilder().setActionId(id).setFeatures(new HashMap<>()).build());
        }
        ContextEvent event = ContextEvent.newBuilder().setEventId(eventId).setEntityId(entity).setTimestamp(timestamp)
                .setFeatures(features).setActions(actions).build();
        return LoopInput.newBuilder().setContext(event).build();
    }

    static LoopInput feedback(String entity, String decisionId, long timestamp, double reward) {
        Feedback feedback = Feedback.newBuilder().setDecisionId(decisionId).setEntityId(entity).setTimestamp(timestamp)
                .setReward(reward).build();
        return LoopInput.newBuilder().setFeedback(feedback).build();
    }

    /** A hand-made {@code 5 -> 4 -> 1} network; the seed makes versions differ. */
    static Mlp network(int in, long seed) {
        return TestNetworks.random(in, 4, 1.0, seed);
    }

    /** A well-formed model version over {@link #MODEL_FEATURES}. */
    static ModelVersion model(long version) {
        return model(version, network(MODEL_FEATURES.size(), version), MODEL_FEATURES, null);
    }

    static ModelVersion model(long version, Mlp network, List<String> featureNames, String sha256) {
        byte[] parameters = network.encode();
        return ModelVersion.newBuilder().setModelId("reward").setVersion(version).setParentVersion(version - 1)
                .setAlgorithm("reward-mlp").setCreatedAt(1_000L * version).setFormat(Mlp.FORMAT)
                .setParameters(ByteBuffer.wrap(parameters))
                .setSha256(sha256 != null ? sha256 : Checksums.sha256Hex(parameters))
                .setInputSchema(InputSchema.newBuilder().setFeatureNames(new ArrayList<>(featureNames))
                        .setDimension(featureNames.size()).build())
                .setMetrics(new HashMap<>(Map.of("examples", 10_000.0, "loss", 0.01)))
                .build();
    }

    // ---- outputs -------------------------------------------------------------------------------

    static List<Decision> decisions(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h) {
        return h.extractOutputValues();
    }

    static List<JoinedExample> joined(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h) {
        return values(h, LoopFunction.JOINED);
    }

    static List<DeadLetter> deadLetters(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h) {
        return values(h, DeadLetters.TAG);
    }

    static <T> List<T> values(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h,
            OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        var records = h.getSideOutput(tag);
        if (records != null) {
            for (StreamRecord<T> r : records) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    static <T> T last(List<T> values) {
        return values.get(values.size() - 1);
    }

    /** The policy an entity keeps, read straight from keyed state ({@code null}: it never learned). */
    static BanditPolicy policy(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h,
            String entity) throws Exception {
        LoopFunction function = (LoopFunction) ((AbstractUdfStreamOperator<?, ?>) h.getOperator()).getUserFunction();
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(entity);
        ValueState<byte[]> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                KeyedPolicies.snapshotsDescriptor(function.settings().keyRetentionMillis()));
        byte[] snapshot = state.value();
        if (snapshot == null) {
            return null;
        }
        BanditPolicy policy = PolicyFactory.create(function.settings().policy());
        policy.restore(snapshot);
        return policy;
    }

    /** How many outcomes an entity's policy learned for an action (a ridge scorer's arm). */
    static long learned(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h, String entity,
            String action) throws Exception {
        BanditPolicy policy = policy(h, entity);
        return policy == null ? 0 : ((RidgeScorer) policy.scorer()).updates(action);
    }

    /** The sum of the rewards an entity's policy learned for an action. */
    static double rewardTotal(KeyedBroadcastOperatorTestHarness<String, LoopInput, ModelVersion, Decision> h,
            String entity, String action) throws Exception {
        BanditPolicy policy = policy(h, entity);
        return policy == null ? 0 : ((RidgeScorer) policy.scorer()).rewardTotal(action);
    }
}
