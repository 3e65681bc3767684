package dev.loopline.flink;

import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.Draws;
import dev.loopline.core.join.FeedbackJoin;
import dev.loopline.core.memory.CorrectedPredictions;
import dev.loopline.core.memory.ErrorMemoryStats;
import dev.loopline.core.model.ServingModel;
import dev.loopline.core.model.ServingSlot;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Explanation;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.JoinedOutcome;
import dev.loopline.schemas.internal.LoopInput;
import dev.loopline.schemas.internal.PendingDecision;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The decide-and-learn operator, keyed by entity: wiring around the cores. Each context event is decided
 * by the policy ({@link KeyedPolicies}), corrected by the error memory when it is on ({@link
 * ErrorMemories}), and waits for its feedback in the feedback join ({@link FeedbackJoin} over {@link
 * PendingDecisions}); outcomes teach the policy and go out as joined examples. Model versions on the
 * broadcast stream serve by the one serving rule ({@link ServingSlot}).
 *
 * <p>Deciding and learning share one operator because the policy state they share is keyed by entity:
 * the join's output must update the same keyed state the next decision reads.
 */
public final class LoopFunction extends KeyedBroadcastProcessFunction<String, LoopInput, ModelVersion, Decision>
        implements CheckpointedFunction {
    public static final String UID = "loop-decide-learn-v1";
    /** Joined examples, whole: for the trainer and the off-policy evaluation, which read the context. */
    public static final OutputTag<JoinedExample> JOINED = new OutputTag<>("joined-examples",
            JoinedExampleSerializer.TYPE) {};
    /** The same outcomes projected ({@link Outcomes}): for the monitor and the drift detectors. */
    public static final OutputTag<JoinedOutcome> OUTCOMES = new OutputTag<>("joined-outcomes",
            new AvroTypeInfo<>(JoinedOutcome.class)) {};
    public static final MapStateDescriptor<String, ModelVersion> MODELS = new MapStateDescriptor<>(
            "reward-models-v1", Types.STRING, new AvroTypeInfo<>(ModelVersion.class));
    private static final int EXPLAINED_FEATURES = 5;
    private static final long EXPLAIN_SALT = 0x4558504CL;

    private final LoopSettings settings;

    private transient KeyedPolicies policies;
    private transient ErrorMemories memories;
    private transient PendingDecisions pending;
    private transient FeedbackJoin<PendingDecision> join;
    private transient FeedbackJoin.Effects<PendingDecision> effects;
    private transient ServedModels served;
    /** With model swaps at checkpoints: the broadcast state, and the version the next decision swaps in. */
    private transient BroadcastState<String, ModelVersion> models;
    private transient ModelVersion dueAtNextDecision;
    /** The key, and the context for side outputs, of the element or timer being processed. */
    private transient String currentKey;
    private transient ReadOnlyContext outputs;
    private transient Counter decisions;
    private transient Counter joined;
    private transient Counter timedOut;
    private transient Counter late;
    private transient Counter refused;

    public LoopFunction(LoopSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        policies = new KeyedPolicies(getRuntimeContext(), settings.policy(), settings.keyRetentionMillis());
        pending = new PendingDecisions(getRuntimeContext());
        join = new FeedbackJoin<>(settings.join(), pending);
        effects = new JoinEffects();
        served = new ServedModels(settings.modelKey());
        var metrics = getRuntimeContext().getMetricGroup();
        if (settings.errorMemoryOn()) {
            memories = new ErrorMemories(getRuntimeContext(), settings, () -> currentKey);
            memories.registerGauges(metrics);
        }
        decisions = metrics.counter("decisions");
        joined = metrics.counter("feedbackJoined");
        timedOut = metrics.counter("feedbackTimedOut");
        late = metrics.counter("feedbackLate");
        refused = metrics.counter("deadLetters");
        metrics.gauge("modelVersion", () -> served.servingVersion());
    }

    /**
     * With {@link LoopSettings#modelSwapsAtCheckpoints()}, the serving version at a checkpoint barrier is the one
     * every decision after the barrier uses, until the next barrier; a restore from that checkpoint starts with
     * it too. A version that arrives between two barriers therefore decides the same events in the first run and
     * in a replay, whatever the interleaving of the model input with the others after the restore.
     */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        models = context.getOperatorStateStore().getBroadcastState(MODELS);
        dueAtNextDecision = context.isRestored() ? models.get(ServedModels.SERVING) : null;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        if (settings.modelSwapsAtCheckpoints()) {
            dueAtNextDecision = models.get(ServedModels.SERVING);
        }
    }

    @Override
    public void processElement(LoopInput input, ReadOnlyContext ctx, Collector<Decision> out) throws Exception {
        currentKey = ctx.getCurrentKey();
        outputs = ctx;
        pending.at(ctx.timerService());
        if (input.getContext() != null) {
            decide(input.getContext(), input.getAppendTime(), ctx, out);
        } else if (input.getFeedback() != null) {
            Feedback feedback = input.getFeedback();
            switch (join.feedback(pending, effects, feedback.getDecisionId(), feedback.getReward(),
                    feedback.getTimestamp(), ctx.timerService().currentWatermark())) {
                case JOINED -> joined.inc();
                case LATE -> late.inc();
                case SUMMED -> { }
                case UNKNOWN -> refuse(ctx, "feedback", "unknown-decision: feedback for unknown decision " + feedback.getDecisionId()
                        + " (never decided for entity " + feedback.getEntityId()
                        + ", or forgotten after the tombstone retention)", Codecs.feedback().encode(feedback));
            }
        }
    }

    private void decide(ContextEvent event, long appendTime, ReadOnlyContext ctx, Collector<Decision> out)
            throws Exception {
        String id = event.getEventId();
        if (join.known(pending, id)) {
            refuse(ctx, "context", "duplicate-context: duplicate context event " + id + ": already decided",
                    Codecs.context().encode(event));
            return;
        }
        ServingModel newer;
        if (settings.modelSwapsAtCheckpoints()) {
            newer = served.activate(dueAtNextDecision);
            dueAtNextDecision = null;
        } else {
            newer = served.changed(ctx.getBroadcastState(MODELS));
        }
        if (newer != null) {
            policies.serve(newer);
        }
        DecisionInput input = CoreRecords.decisionInput(event);
        CorrectedPredictions predictions = new CorrectedPredictions(memories == null ? null
                : memories.lookup(input, event.getTimestamp()));
        BanditPolicy policy = policies.of(currentKey);
        BanditDecision choice = policy.choose(input, Draws.forEvent(settings.seed(), id), predictions);
        long latencyMicros = appendTime > 0 ? Math.max(0, System.currentTimeMillis() - appendTime) * 1000 : 0;
        Decision decision = Decision.newBuilder().setDecisionId(id).setEntityId(event.getEntityId())
                .setTimestamp(event.getTimestamp()).setActionId(choice.actionId()).setPropensity(choice.propensity())
                .setProbabilities(CoreRecords.perAction(input, choice.probabilities())).setPolicy(choice.policy())
                .setModelVersion(choice.modelVersion()).setExplored(choice.explored()).setLatencyMicros(latencyMicros)
                .setExplanation(explains(id) ? explanation(policy, input, choice) : null)
                .build();
        out.collect(decision);
        decisions.inc();
        int chosen = choice.index();
        boolean whole = keepsWholeExamples();
        join.open(pending, id, PendingDecision.newBuilder()
                .setContext(whole ? event : Outcomes.projected(event, decision.getActionId(), settings.segmentFeatures()))
                .setDecision(whole ? decision : Outcomes.projected(decision))
                .setDeadline(join.deadline(event.getTimestamp())).setResolved(false)
                .setBasePrediction(predictions.base(chosen)).setServedPrediction(predictions.served(chosen))
                .setMemoryNeighbours(predictions.neighbours(chosen)).setMemoryOccupancy(predictions.occupancy(chosen))
                .build());
    }

    /**
     * Whether a waiting decision keeps its whole context and decision: for the trainer and the off-policy evaluation
     * (whole joined examples), or to learn from at its outcome (a policy per key, the error memory). Otherwise it
     * keeps what the outcome's projection reads, and the read and write of every decision in keyed state shrink.
     */
    private boolean keepsWholeExamples() {
        return settings.examplesRead() || memories != null || policies.learning();
    }

    private boolean explains(String eventId) {
        return settings.explainRate() > 0
                && Math.floorMod(Draws.mix(settings.seed() ^ EXPLAIN_SALT, eventId), 1_000_000) < settings.explainRate() * 1_000_000;
    }

    private static Explanation explanation(BanditPolicy policy, DecisionInput input, BanditDecision choice) {
        return Explanation.newBuilder().setScores(CoreRecords.perAction(input, choice.scores()))
                .setBonus(choice.bonus() == null ? Map.of() : CoreRecords.perAction(input, choice.bonus()))
                .setTopFeatures(policy.topFeatures(input, choice.index(), EXPLAINED_FEATURES)).build();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Decision> out) throws Exception {
        currentKey = ctx.getCurrentKey();
        outputs = ctx;
        FeedbackJoin.Fired fired = join.fire(pending.at(ctx.timerService()), effects, timestamp);
        joined.inc(fired.joined());
        timedOut.inc(fired.timedOut());
    }

    @Override
    public void processBroadcastElement(ModelVersion version, Context ctx, Collector<Decision> out) throws Exception {
        ServingSlot.Ruling ruling = served.offer(ctx.getBroadcastState(MODELS), version);
        // Every parallel instance sees every model; one of them reports a refusal.
        if (ruling.action() == ServingSlot.Action.REFUSE && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            refused.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of("models", -1, -1, Codecs.model().encode(version), ruling.reason()));
        }
    }

    LoopSettings settings() {
        return settings;
    }

    /** Operator-wide error-memory figures across keys, or null when the memory is off. */
    ErrorMemoryStats memoryTotals() {
        return memories == null ? null : memories.totals();
    }

    private void refuse(ReadOnlyContext ctx, String topic, String reason, byte[] payload) {
        refused.inc();
        ctx.output(DeadLetters.TAG, DeadLetters.of(topic, -1, -1, payload, reason));
    }

    /** What the join's outcomes do here: teach the memory and the policy, and go out as joined examples. */
    private final class JoinEffects implements FeedbackJoin.Effects<PendingDecision> {
        @Override
        public void learn(PendingDecision waiting, double reward, long at) throws Exception {
            ContextEvent event = waiting.getContext();
            String action = waiting.getDecision().getActionId();
            if (memories != null && waiting.getBasePrediction() != null) {
                memories.learn(action, event.getFeatures(), reward, waiting.getBasePrediction(),
                        waiting.getServedPrediction(), waiting.getMemoryNeighbours(), at);
            }
            if (!policies.learning()) {
                return; // the trainer learns from the joined examples and publishes the model the policy serves
            }
            DecisionInput input = CoreRecords.decisionInput(event);
            int chosen = input.actionIds().indexOf(action);
            if (chosen >= 0) {
                BanditPolicy policy = policies.of(currentKey);
                policy.learn(input, chosen, reward);
                policies.save(policy);
            }
        }

        @Override
        public void emit(PendingDecision waiting, double reward, FeedbackJoin.Resolution resolution, long at) {
            JoinedExample example = JoinedExample.newBuilder().setContext(waiting.getContext())
                    .setDecision(waiting.getDecision()).setReward(reward).setOutcome(JoinOutcome.valueOf(resolution.name()))
                    .setResolvedAt(at).setBasePrediction(waiting.getBasePrediction())
                    .setServedPrediction(waiting.getServedPrediction()).setMemoryNeighbours(waiting.getMemoryNeighbours())
                    .setMemoryOccupancy(waiting.getMemoryOccupancy()).build();
            outputs.output(JOINED, example);
            outputs.output(OUTCOMES, Outcomes.of(example, settings.segmentFeatures()));
        }
    }
}
