package dev.loopline.flink;

import dev.loopline.state.ModelVersions;
import dev.loopline.core.model.ModelAcceptance;
import dev.loopline.core.model.ServingModel;
import dev.loopline.core.policy.ArmStore;
import dev.loopline.core.policy.Choice;
import dev.loopline.core.policy.DecisionInput;
import dev.loopline.core.policy.Draws;
import dev.loopline.core.policy.LinUcb;
import dev.loopline.core.policy.SquareCb;
import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.policy.Explanation;
import dev.loopline.core.policy.ScoreAdjustment;
import dev.loopline.core.memory.ErrorMemory;
import dev.loopline.core.memory.ErrorMemoryStats;
import dev.loopline.core.memory.ScoreCompensation;
import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.LoopInput;
import dev.loopline.schemas.internal.PendingDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The decide-and-learn operator, keyed by entity: decides each context event with the configured
 * policy, keeps the decision until its feedback arrives or the wait window closes (event time), learns
 * from the outcome, and serves the reward model versions that arrive on the broadcast model stream.
 *
 * <p>Deciding and learning share one operator because the policy state they share is keyed by entity:
 * the join's output must update the same keyed state the next decision reads.
 *
 * <p>With the error memory on, each key keeps one memory per action, stored an entry at a time (map
 * state: {@code action \0 slot} to an entry, {@code action \0 p} to its progress record), so an outcome
 * writes one entry, not the whole memory:
 * a decision corrects every offered action's predicted reward by the residuals that action left lately
 * on similar contexts of the key, and the outcome's residual against the base prediction goes back into
 * the chosen action's memory.
 */
public final class LoopFunction extends KeyedBroadcastProcessFunction<String, LoopInput, ModelVersion, Decision> {
    public static final String UID = "loop-decide-learn-v1";
    public static final OutputTag<JoinedExample> JOINED = new OutputTag<>("joined-examples",
            new AvroTypeInfo<>(JoinedExample.class)) {};
    public static final MapStateDescriptor<String, ModelVersion> MODELS = new MapStateDescriptor<>(
            "reward-models-v1", Types.STRING, new AvroTypeInfo<>(ModelVersion.class));
    private static final String SERVING = "serving";
    private static final String PREVIOUS = "previous";
    /** Deadlines are rounded up to this grid so decisions share timers. */
    private static final long TIMER_GRID_MILLIS = 100;
    private static final int SUITE_CACHE_KEYS = 1024;
    /** Memories kept deserialised (key and action); a full memory of 128 entries over 17 features is about 25 KB. */
    private static final int MEMORY_CACHE_ENTRIES = 2048;
    /** Map key part of an error memory's progress record, beside its numbered entry slots. */
    private static final String PROGRESS = "p";
    private static final int EXPLAINED_FEATURES = 5;
    private static final long EXPLAIN_SALT = 0x4558504CL;

    private final LoopSettings settings;

    private transient MapState<String, double[]> arms;
    private transient ValueState<byte[]> suitePolicy;
    /** Write-through cache of the suite policy per key, so a decision does not deserialize the state. */
    private transient java.util.LinkedHashMap<String, BanditPolicy> suiteCache;
    private transient MapState<String, byte[]> errorMemories;
    /** Write-through cache of the error memories, by key and action id. */
    private transient java.util.LinkedHashMap<String, ErrorMemory> memoryCache;
    private transient ScoreCompensation compensation;
    private transient MapState<String, PendingDecision> pending;
    private transient MapState<Long, List<String>> deadlines;
    private transient MapState<Long, List<String>> expiries;
    private transient LinUcb linUcb;
    private transient SquareCb squareCb;
    private transient ServingModel servingModel;
    private transient long servingVersion;
    /** The key of the element or timer being processed (learning needs it for the suite cache). */
    private transient String currentKey;
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
        arms = getRuntimeContext().getMapState(armsDescriptor());
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-decisions-v1", Types.STRING,
                new AvroTypeInfo<>(PendingDecision.class)));
        deadlines = getRuntimeContext().getMapState(new MapStateDescriptor<>("decision-deadlines-v1", Types.LONG,
                Types.LIST(Types.STRING)));
        expiries = getRuntimeContext().getMapState(new MapStateDescriptor<>("decision-expiries-v1", Types.LONG,
                Types.LIST(Types.STRING)));
        suitePolicy = getRuntimeContext().getState(retained(new ValueStateDescriptor<>("bandit-policy-v1",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
        suiteCache = new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, BanditPolicy> eldest) {
                return size() > SUITE_CACHE_KEYS;
            }
        };
        if (settings.errorMemoryOn()) {
            errorMemories = getRuntimeContext().getMapState(retained(new MapStateDescriptor<>("error-memory-entries-v1",
                    Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
            memoryCache = new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, ErrorMemory> eldest) {
                    return size() > MEMORY_CACHE_ENTRIES;
                }
            };
            // Rewards of the loop are in [0, 1] for the built-in environments; a correction never leaves the
            // range a reward can take, which is unknown in general, so it is not clamped here.
            compensation = new ScoreCompensation(settings.errorMemory(), settings.contextFeatures(),
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        linUcb = new LinUcb(settings.linUcb(), FeatureLayout.ofContext(settings.contextFeatures()));
        squareCb = new SquareCb(settings.squareCb());
        var metrics = getRuntimeContext().getMetricGroup();
        decisions = metrics.counter("decisions");
        joined = metrics.counter("feedbackJoined");
        timedOut = metrics.counter("feedbackTimedOut");
        late = metrics.counter("feedbackLate");
        refused = metrics.counter("deadLetters");
        metrics.gauge("modelVersion", () -> servingVersion);
        if (compensation != null) {
            var memory = metrics.addGroup("errorMemory");
            memory.gauge("hitRate", () -> compensation.keyed().totals().hitRate());
            memory.gauge("meanAbsCorrection", () -> compensation.keyed().totals().meanAbsCorrection());
            memory.gauge("occupancy", () -> compensation.keyed().totals().occupancy());
            memory.gauge("residualMeanBefore", () -> compensation.keyed().totals().residualMeanBefore());
            memory.gauge("residualMeanAfter", () -> compensation.keyed().totals().residualMeanAfter());
        }
    }

    /** The LinUCB arms of a key (action to its ridge statistics), with the key retention. */
    MapStateDescriptor<String, double[]> armsDescriptor() {
        return retained(new MapStateDescriptor<>("linucb-arms-v1", Types.STRING,
                PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    /**
     * {@code descriptor} expiring {@code keyRetentionMillis} after its last write. Flink restores state written
     * without a time-to-live into it, so savepoints of earlier releases still restore.
     */
    private <D extends org.apache.flink.api.common.state.StateDescriptor<?, ?>> D retained(D descriptor) {
        if (settings.keyRetentionMillis() > 0) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(settings.keyRetentionMillis()))
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired).build());
        }
        return descriptor;
    }

    @Override
    public void processElement(LoopInput input, ReadOnlyContext ctx, Collector<Decision> out) throws Exception {
        currentKey = ctx.getCurrentKey();
        if (input.getContext() != null) {
            decide(input.getContext(), input.getAppendTime(), ctx, out);
        } else if (input.getFeedback() != null) {
            join(input.getFeedback(), ctx);
        }
    }

    private void decide(ContextEvent event, long appendTime, ReadOnlyContext ctx, Collector<Decision> out)
            throws Exception {
        if (pending.contains(event.getEventId())) {
            refuse(ctx, "context", "duplicate context event " + event.getEventId() + ": already decided", event);
            return;
        }
        DecisionInput input = inputOf(event);
        var random = Draws.forEvent(settings.seed(), event.getEventId());
        Choice choice;
        Explanation explanation = null;
        Predictions predictions = new Predictions(compensation == null ? null
                : compensation.lookup(input, this::memoryOf, event.getTimestamp()));
        boolean explain = settings.explainRate() > 0 && Math.floorMod(Draws.mix(settings.seed() ^ EXPLAIN_SALT,
                event.getEventId()), 1_000_000) < settings.explainRate() * 1_000_000;
        if (settings.policy().equals(LinUcb.NAME)) {
            choice = linUcb.choose(input, armsOf(), random, predictions);
            if (explain) {
                explanation = linUcb.explain(input, choice.index(), armsOf(), EXPLAINED_FEATURES);
            }
        } else if (settings.policy().equals(SquareCb.NAME)) {
            choice = squareCb.choose(input, serving(ctx.getBroadcastState(MODELS)), random, predictions);
            if (explain) {
                explanation = new Explanation(mapOf(input, choice.scores()), java.util.Map.of(), java.util.Map.of());
            }
        } else {
            BanditDecision decided = suite(ctx.getCurrentKey()).choose(input, random, predictions);
            choice = decided.toChoice();
            if (explain) {
                explanation = new Explanation(mapOf(input, decided.scores()),
                        decided.bonus() == null ? java.util.Map.of() : mapOf(input, decided.bonus()), java.util.Map.of());
            }
        }
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int a = 0; a < input.size(); a++) {
            probabilities.put(input.actionIds().get(a), choice.probabilities()[a]);
        }
        long latencyMicros = appendTime > 0 ? Math.max(0, System.currentTimeMillis() - appendTime) * 1000 : 0;
        Decision decision = Decision.newBuilder().setDecisionId(event.getEventId()).setEntityId(event.getEntityId())
                .setTimestamp(event.getTimestamp()).setActionId(input.actionIds().get(choice.index()))
                .setPropensity(choice.propensity()).setProbabilities(probabilities).setPolicy(choice.policy())
                .setModelVersion(choice.modelVersion()).setExplored(choice.explored())
                .setLatencyMicros(latencyMicros)
                .setExplanation(explanation == null ? null : dev.loopline.schemas.Explanation.newBuilder()
                        .setScores(explanation.scores()).setBonus(explanation.bonus())
                        .setTopFeatures(explanation.topFeatures()).build())
                .build();
        out.collect(decision);
        decisions.inc();
        long deadline = ceilToGrid(EventTime.plus(event.getTimestamp(), settings.rewardWaitMillis()));
        int chosen = choice.index();
        pending.put(event.getEventId(), PendingDecision.newBuilder().setContext(event).setDecision(decision)
                .setDeadline(deadline).setResolved(false)
                .setBasePrediction(predictions.made() ? predictions.base[chosen] : null)
                .setServedPrediction(predictions.made() ? predictions.served[chosen] : null)
                .setMemoryNeighbours(predictions.lookup != null && predictions.made() ? predictions.lookup.of(chosen).neighbours() : 0)
                .setMemoryOccupancy(predictions.lookup != null && predictions.made() ? predictions.lookup.occupancy(chosen) : null)
                .build());
        schedule(deadlines, deadline, event.getEventId(), ctx);
    }

    private void join(Feedback feedback, ReadOnlyContext ctx) throws Exception {
        PendingDecision waiting = pending.get(feedback.getDecisionId());
        if (waiting == null) {
            refuse(ctx, "feedback", "feedback for unknown decision " + feedback.getDecisionId()
                    + " (never decided for entity " + feedback.getEntityId() + ", or forgotten after the tombstone retention)",
                    feedback);
            return;
        }
        if (waiting.getResolved() || feedback.getTimestamp() > waiting.getDeadline()) {
            late.inc();
            ctx.output(JOINED, example(waiting, feedback.getReward(), JoinOutcome.LATE, feedback.getTimestamp()));
            if (waiting.getResolved() && waiting.getContext() != null && settings.learnLateFeedback()) {
                // A timed-out decision learns its late outcome once; the tombstone then forgets the
                // context, so a redelivered copy of this feedback is counted but never learned twice.
                learn(waiting, feedback.getReward(), feedback.getTimestamp());
                pending.put(feedback.getDecisionId(), PendingDecision.newBuilder(waiting).setContext(null).build());
            }
            return;
        }
        if (settings.sums()) {
            // Summed feedback is learned when the window closes. A feedback event carries no id of its own,
            // so one with the event time of an event already summed is taken as its redelivery.
            if (!waiting.getFeedbackTimes().contains(feedback.getTimestamp())) {
                List<Long> times = new ArrayList<>(waiting.getFeedbackTimes());
                times.add(feedback.getTimestamp());
                pending.put(feedback.getDecisionId(), PendingDecision.newBuilder(waiting)
                        .setRewardSum(waiting.getRewardSum() + feedback.getReward()).setFeedbackTimes(times).build());
            }
            return;
        }
        learn(waiting, feedback.getReward(), feedback.getTimestamp());
        joined.inc();
        ctx.output(JOINED, example(waiting, feedback.getReward(), JoinOutcome.JOINED, feedback.getTimestamp()));
        resolve(feedback.getDecisionId(), waiting, ctx.timerService().currentWatermark(), false, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Decision> out) throws Exception {
        currentKey = ctx.getCurrentKey();
        List<String> due = deadlines.get(timestamp);
        if (due != null) {
            deadlines.remove(timestamp);
            for (String id : due) {
                PendingDecision waiting = pending.get(id);
                if (waiting == null || waiting.getResolved()) {
                    continue;
                }
                if (!waiting.getFeedbackTimes().isEmpty()) {
                    learn(waiting, waiting.getRewardSum(), timestamp);
                    joined.inc();
                    ctx.output(JOINED, example(waiting, waiting.getRewardSum(), JoinOutcome.JOINED, timestamp));
                    resolve(id, waiting, timestamp, false, ctx);
                    continue;
                }
                timedOut.inc();
                if (settings.defaultReward() != null) {
                    learn(waiting, settings.defaultReward(), timestamp);
                    ctx.output(JOINED, example(waiting, settings.defaultReward(), JoinOutcome.TIMED_OUT, timestamp));
                }
                resolve(id, waiting, timestamp, true, ctx);
            }
        }
        List<String> expired = expiries.get(timestamp);
        if (expired != null) {
            expiries.remove(timestamp);
            for (String id : expired) {
                pending.remove(id);
            }
        }
    }

    @Override
    public void processBroadcastElement(ModelVersion version, Context ctx, Collector<Decision> out) throws Exception {
        if (ModelVersions.isCandidate(version)) {
            return; // refused by the promotion gate; kept on the topic for the record and for a forced promotion
        }
        BroadcastState<String, ModelVersion> models = ctx.getBroadcastState(MODELS);
        ModelVersion current = models.get(SERVING);
        if (current != null && version.getVersion() == current.getVersion()
                && version.getSha256().equalsIgnoreCase(current.getSha256())) {
            return; // the same version again, e.g. replayed after a restore
        }
        ModelAcceptance.Verdict verdict = verdictOf(version);
        String refusal = verdict.refusal();
        if (refusal == null && current != null && version.getVersion() == current.getVersion()) {
            refusal = "model version " + version.getVersion() + " conflicts with the serving record of the same number"
                    + " (sha256 " + version.getSha256() + " != " + current.getSha256() + ")";
        }
        if (refusal == null && current != null && version.getVersion() < current.getVersion()) {
            refusal = "model version " + version.getVersion() + " is older than the serving version " + current.getVersion();
        }
        if (refusal != null) {
            // Every parallel instance sees every model; one of them reports it.
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                refused.inc();
                ctx.output(DeadLetters.TAG, DeadLetters.of("models", -1, -1, Codecs.model().encode(version), refusal));
            }
            return;
        }
        if (current != null) {
            models.put(PREVIOUS, current);
        }
        models.put(SERVING, version);
    }

    private ServingModel serving(ReadOnlyBroadcastState<String, ModelVersion> models) throws Exception {
        ModelVersion version = models.get(SERVING);
        if (version == null) {
            return null;
        }
        if (servingModel == null || servingVersion != version.getVersion()) {
            servingModel = verdictOf(version).model();
            servingVersion = version.getVersion();
        }
        return servingModel;
    }

    private static ModelAcceptance.Verdict verdictOf(ModelVersion version) {
        byte[] parameters = new byte[version.getParameters().remaining()];
        version.getParameters().duplicate().get(parameters);
        double examples = version.getMetrics().getOrDefault("examples", 0.0);
        return ModelAcceptance.check(version.getVersion(), version.getFormat(), parameters, version.getSha256(),
                version.getInputSchema().getFeatureNames(), version.getInputSchema().getDimension(), (long) examples);
    }

    private void learn(PendingDecision waiting, double reward, long now) throws Exception {
        ContextEvent event = waiting.getContext();
        Decision decision = waiting.getDecision();
        if (compensation != null && waiting.getBasePrediction() != null) {
            String action = decision.getActionId();
            ErrorMemory memory = memoryOf(action);
            compensation.learn(memory, event.getFeatures(), reward, waiting.getBasePrediction(),
                    waiting.getServedPrediction(), waiting.getMemoryNeighbours(), now);
            // The newest entry takes the slot of the one the memory evicted (seq - capacity): one small write.
            ErrorMemory.Entry newest = memory.newest();
            errorMemories.put(memoryKey(action, Long.toString(newest.seq() % settings.errorMemory().capacity())),
                    newest.encode());
            errorMemories.put(memoryKey(action, PROGRESS), memory.progress());
            compensation.keyed().saved(memory);
        }
        if (settings.policy().equals(SquareCb.NAME)) {
            return; // squarecb learns through the reward model the trainer publishes
        }
        DecisionInput input = inputOf(event);
        int chosen = input.actionIds().indexOf(decision.getActionId());
        if (chosen < 0) {
            return;
        }
        if (settings.policy().equals(LinUcb.NAME)) {
            linUcb.learn(input, chosen, reward, armsOf());
        } else {
            BanditPolicy policy = suite(currentKey);
            policy.learn(input, chosen, reward);
            suitePolicy.update(policy.snapshot());
        }
    }

    private static String memoryKey(String actionId, String part) {
        return actionId + '\u0000' + part;
    }

    /**
     * The current key's error memory of an action: from the cache, else rebuilt from its entries in
     * state (a scan of the key's entries, on a cache miss only), else empty.
     */
    private ErrorMemory memoryOf(String actionId) {
        String cacheKey = memoryKey(currentKey, actionId);
        ErrorMemory memory = memoryCache.get(cacheKey);
        if (memory == null) {
            String prefix = memoryKey(actionId, "");
            List<ErrorMemory.Entry> entries = new ArrayList<>();
            byte[] progress = null;
            try {
                Iterable<Map.Entry<String, byte[]>> stored = errorMemories.entries();
                for (Map.Entry<String, byte[]> e : stored == null ? List.<Map.Entry<String, byte[]>>of() : stored) {
                    String part = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : null;
                    if (PROGRESS.equals(part)) {
                        progress = e.getValue();
                    } else if (part != null) {
                        entries.add(ErrorMemory.Entry.decode(e.getValue()));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the error memory of " + actionId + " for " + currentKey, e);
            }
            memory = compensation.keyed().rebuild(entries, progress);
            memoryCache.put(cacheKey, memory);
        }
        return memory;
    }

    /** Operator-wide error-memory figures across keys, or null when the memory is off. */
    ErrorMemoryStats memoryTotals() {
        return compensation == null ? null : compensation.keyed().totals();
    }

    /**
     * Sees the policy's predicted rewards of one decision, hands them to the error memory when it is on,
     * and keeps both sides: what the model predicted and what the policy decided on.
     */
    private static final class Predictions implements ScoreAdjustment {
        final ScoreCompensation.Lookup lookup;
        double[] base;
        double[] served;

        Predictions(ScoreCompensation.Lookup lookup) {
            this.lookup = lookup;
        }

        @Override
        public void adjust(DecisionInput input, double[] predictions) {
            base = predictions.clone();
            if (lookup != null) {
                lookup.adjust(input, predictions);
            }
            served = predictions.clone();
        }

        boolean made() {
            return base != null;
        }
    }

    /** The suite policy of the current key: from the cache, else from state, else fresh. */
    private BanditPolicy suite(String key) throws Exception {
        BanditPolicy policy = suiteCache.get(key);
        if (policy == null) {
            policy = PolicyFactory.create(PolicyFactory.defaults(settings.policy(), settings.seed()));
            byte[] stored = suitePolicy.value();
            if (stored != null) {
                policy.restore(stored);
            }
            suiteCache.put(key, policy);
        }
        return policy;
    }

    private static java.util.Map<String, Double> mapOf(DecisionInput input, double[] values) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int a = 0; a < input.size() && a < values.length; a++) {
            m.put(input.actionIds().get(a), values[a]);
        }
        return m;
    }

    private void resolve(String id, PendingDecision waiting, long now, boolean timedOut, ReadOnlyContext ctx)
            throws Exception {
        // Keep a tombstone: enough to tell late feedback from feedback for an unknown decision. The context
        // (the bulk of the state) stays only where a late outcome may still be learned: a timed-out
        // decision, with late learning on. A joined decision has learned its outcome already.
        boolean keep = timedOut && settings.learnLateFeedback();
        PendingDecision.Builder tombstone = PendingDecision.newBuilder().setDeadline(waiting.getDeadline())
                .setResolved(true).setDecision(waiting.getDecision());
        if (keep) {
            tombstone.setContext(waiting.getContext()).setBasePrediction(waiting.getBasePrediction())
                    .setServedPrediction(waiting.getServedPrediction()).setMemoryNeighbours(waiting.getMemoryNeighbours())
                    .setMemoryOccupancy(waiting.getMemoryOccupancy());
        }
        pending.put(id, tombstone.build());
        long expiry = ceilToGrid(EventTime.plus(Math.max(now, waiting.getDeadline()), settings.tombstoneMillis()));
        schedule(expiries, expiry, id, ctx);
    }

    private static void schedule(MapState<Long, List<String>> index, long at, String id, ReadOnlyContext ctx)
            throws Exception {
        List<String> ids = index.get(at);
        if (ids == null) {
            ids = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(at);
        }
        ids.add(id);
        index.put(at, ids);
    }

    private void refuse(ReadOnlyContext ctx, String topic, String reason, org.apache.avro.specific.SpecificRecordBase record) {
        refused.inc();
        byte[] payload = record instanceof ContextEvent c ? Codecs.context().encode(c)
                : Codecs.feedback().encode((Feedback) record);
        ctx.output(DeadLetters.TAG, DeadLetters.of(topic, -1, -1, payload, reason));
    }

    private JoinedExample example(PendingDecision waiting, double reward, JoinOutcome outcome, long at) {
        return JoinedExample.newBuilder().setContext(waiting.getContext()).setDecision(waiting.getDecision())
                .setReward(reward).setOutcome(outcome).setResolvedAt(at)
                .setBasePrediction(waiting.getBasePrediction()).setServedPrediction(waiting.getServedPrediction())
                .setMemoryNeighbours(waiting.getMemoryNeighbours()).setMemoryOccupancy(waiting.getMemoryOccupancy())
                .build();
    }

    private ArmStore armsOf() {
        return new ArmStore() {
            @Override
            public double[] load(String actionId) {
                try {
                    return arms.get(actionId);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot read LinUCB arm " + actionId, e);
                }
            }

            @Override
            public void store(String actionId, double[] state) {
                try {
                    arms.put(actionId, state);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot write LinUCB arm " + actionId, e);
                }
            }
        };
    }

    /** What a policy sees of a context event: its features and its offered actions with theirs. */
    public static DecisionInput inputOf(ContextEvent event) {
        List<String> ids = new ArrayList<>(event.getActions().size());
        List<Map<String, Double>> features = new ArrayList<>(event.getActions().size());
        for (Action action : event.getActions()) {
            ids.add(action.getActionId());
            features.add(action.getFeatures());
        }
        return new DecisionInput(event.getEventId(), event.getFeatures(), ids, features);
    }

    private static long ceilToGrid(long t) {
        return EventTime.ceilTo(t, TIMER_GRID_MILLIS);
    }
}
