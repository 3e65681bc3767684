package dev.loopline.flink;

import dev.loopline.state.ModelVersions;
import dev.loopline.core.model.Mlp;
import dev.loopline.core.model.PromotionGate;
import dev.loopline.core.model.ServingModel;
import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.Draws;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.ServingModelScorer;
import dev.loopline.core.model.ServingSlot;
import dev.loopline.core.time.CpuShare;
import dev.loopline.core.train.RewardBatch;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.schemas.InputSchema;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.core.model.Checksums;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model-update operator. Joined examples fill a bounded replay buffer; every n-th decision is held
 * out instead. A training round starts when enough new examples arrived or enough time passed (the
 * first of the two), and runs off the task thread so the loop keeps deciding while DJL works. The
 * trained network is a candidate: the {@link PromotionGate} values it against the serving version on
 * the held-out decisions. A promoted candidate is published as the next {@link ModelVersion}; a refused
 * one is published too, marked as a candidate (serving ignores it; {@code loopline model promote} can
 * force it). Every verdict is a metric. Runs with parallelism 1 on a constant key.
 *
 * <p>The trainer also reads the model topic (broadcast), so it knows the serving version whoever
 * published it (an external trainer, a rollback) and never reuses a version number. All of it is
 * checkpointed: the replay buffer and the held-out decisions an example at a time (keyed map state by
 * arrival number, the oldest dropped as a new one comes), the round counter and the count of new
 * examples, so a restored trainer goes on from where it was instead of refilling its buffers.
 */
public final class ModelTrainerFunction
        extends KeyedBroadcastProcessFunction<Integer, JoinedExample, ModelVersion, ModelVersion> {
    public static final String UID = "model-trainer-v1";
    public static final int KEY = 0;
    public static final OutputTag<MetricEvent> GATE_METRICS = new OutputTag<>("gate-metrics",
            new AvroTypeInfo<>(MetricEvent.class)) {};
    private static final Logger LOG = LoggerFactory.getLogger(ModelTrainerFunction.class);
    /**
     * What the trainer knows of the model topic: the serving version (the newest promoted one, whoever
     * published it: this trainer, an external trainer, a rollback) and the highest version number used.
     */
    public static final MapStateDescriptor<String, ModelVersion> KNOWN = new MapStateDescriptor<>(
            "trainer-known-models-v1", Types.STRING, new AvroTypeInfo<>(ModelVersion.class));
    private static final String SERVING = "serving";
    private static final String HIGHEST = "highest";
    private static final long POLL_MILLIS = 50;
    static final MapStateDescriptor<Long, JoinedExample> REPLAY = new MapStateDescriptor<>("trainer-replay-v1",
            Types.LONG, JoinedExampleSerializer.TYPE);
    static final MapStateDescriptor<Long, JoinedExample> HOLDOUT = new MapStateDescriptor<>("trainer-holdout-v1",
            Types.LONG, JoinedExampleSerializer.TYPE);
    /** Arrival numbers of the next replay and held-out example, rounds trained, new examples since the last round. */
    static final ValueStateDescriptor<long[]> PROGRESS = new ValueStateDescriptor<>("trainer-progress-v1",
            PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);


    /** The training rows and the held-out decisions the gate values candidates on. */
    private record Batch(RewardBatch rows, List<PromotionGate.LoggedDecision> holdout) {}

    /** @param cpuMillis CPU time of training and gating (wall time where the JVM cannot measure CPU time) */
    private record Outcome(ModelVersion version, PromotionGate.Verdict verdict, long round, long cpuMillis) {}

    private final TrainerSettings settings;
    private final CandidateFault fault;

    /**
     * A rollback or forced promotion is an operator's decision: automatic promotions wait this long
     * after one (candidates are still trained and published as candidates).
     */
    static final long MANUAL_HOLD_MILLIS = 30_000;
    private transient long manualHoldUntil;

    /** Versions this instance published that may not have come back through the topic yet. */
    private transient long highestPublished;
    private transient ArrayDeque<RewardBatch.Outcome> replay;
    private transient ArrayDeque<PromotionGate.LoggedDecision> holdout;
    private transient int newExamples;
    private transient long lastStartMillis;
    /** Wall time of the last round, training and gate: with the CPU share it spaces the rounds. */
    private transient long lastRoundMillis;
    private transient long rounds;
    private transient ExecutorService executor;
    private transient RewardModelTrainer trainer;
    private transient Future<Outcome> inFlight;
    private transient MapState<Long, JoinedExample> replayState;
    private transient MapState<Long, JoinedExample> holdoutState;
    private transient ValueState<long[]> progress;
    /** Whether the buffers in memory hold what the state holds (after a restore they are read back once). */
    private transient boolean loaded;
    private transient long nextReplay;
    private transient long nextHoldout;

    public ModelTrainerFunction(TrainerSettings settings) {
        this(settings, CandidateFault.NONE);
    }

    /** A trainer whose candidates a demonstration spoils on purpose ({@link CandidateFault}). */
    public ModelTrainerFunction(TrainerSettings settings, CandidateFault fault) {
        this.settings = settings;
        this.fault = fault;
    }

    @Override
    public void open(OpenContext openContext) {
        replay = new ArrayDeque<>();
        holdout = new ArrayDeque<>();
        replayState = getRuntimeContext().getMapState(REPLAY);
        holdoutState = getRuntimeContext().getMapState(HOLDOUT);
        progress = getRuntimeContext().getState(PROGRESS);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "loopline-model-trainer");
            t.setDaemon(true);
            return t;
        });
        lastStartMillis = Long.MIN_VALUE / 2;
        // Load the native engine now, off the task thread, so the first version is not late by seconds.
        executor.submit(this::trainer);
        getRuntimeContext().getMetricGroup().gauge("replayExamples", () -> replay == null ? 0 : replay.size());
    }

    @Override
    public void processBroadcastElement(ModelVersion version, Context ctx, Collector<ModelVersion> out) throws Exception {
        BroadcastState<String, ModelVersion> known = ctx.getBroadcastState(KNOWN);
        ModelVersion highest = known.get(HIGHEST);
        if (highest == null || version.getVersion() > highest.getVersion()) {
            known.put(HIGHEST, version);
        }
        ModelVersion serving = known.get(SERVING);
        ServingSlot.Offer offer = ModelVersions.offer(version);
        if (ServingSlot.rule(offer, serving == null ? null : ModelVersions.offer(serving),
                () -> ModelVersions.verdict(version, settings.modelKey()).refusal()).serves()) {
            known.put(SERVING, version);
            if (offer.copy()) {
                manualHoldUntil = System.currentTimeMillis() + MANUAL_HOLD_MILLIS;
                LOG.info("Version {} is a manual rollback or promotion; automatic promotions hold for {} ms",
                        version.getVersion(), MANUAL_HOLD_MILLIS);
            }
        }
    }

    @Override
    public void processElement(JoinedExample example, ReadOnlyContext ctx, Collector<ModelVersion> out) throws Exception {
        if (example.getOutcome() == JoinOutcome.LATE || example.getContext() == null || example.getDecision() == null) {
            return;
        }
        load();
        boolean heldOut = Math.floorMod(Draws.mix(settings.gate().seed(), example.getContext().getEventId()),
                settings.holdoutEvery()) == 0;
        if (!remember(example, heldOut)) {
            return;
        }
        if (heldOut) {
            holdoutState.put(nextHoldout, example);
            holdoutState.remove(nextHoldout - settings.holdoutCapacity());
            nextHoldout++;
        } else {
            replayState.put(nextReplay, example);
            replayState.remove(nextReplay - settings.replayCapacity());
            nextReplay++;
            newExamples++;
        }
        saveProgress();
        maybeStart(ctx);
    }

    /** Adds a usable example to the buffer in memory it belongs to; false for one the trainer cannot use. */
    private boolean remember(JoinedExample example, boolean heldOut) {
        DecisionInput input = CoreRecords.decisionInput(example.getContext());
        int chosen = input.actionIds().indexOf(example.getDecision().getActionId());
        if (chosen < 0) {
            return false;
        }
        if (heldOut) {
            holdout.addLast(new PromotionGate.LoggedDecision(input, chosen, example.getDecision().getPropensity(),
                    example.getReward()));
            if (holdout.size() > settings.holdoutCapacity()) {
                holdout.removeFirst();
            }
        } else {
            replay.addLast(new RewardBatch.Outcome(input, chosen, example.getReward()));
            if (replay.size() > settings.replayCapacity()) {
                replay.removeFirst();
            }
        }
        return true;
    }

    /** Reads the checkpointed buffers and counters back once, after a restore, in arrival order. */
    private void load() throws Exception {
        if (loaded) {
            return;
        }
        loaded = true;
        long[] p = progress.value();
        if (p == null) {
            return;
        }
        nextReplay = p[0];
        nextHoldout = p[1];
        rounds = p[2];
        newExamples = (int) p[3];
        for (boolean heldOut : new boolean[] {true, false}) {
            java.util.TreeMap<Long, JoinedExample> inOrder = new java.util.TreeMap<>();
            for (java.util.Map.Entry<Long, JoinedExample> e : (heldOut ? holdoutState : replayState).entries()) {
                inOrder.put(e.getKey(), e.getValue());
            }
            inOrder.values().forEach(e -> remember(e, heldOut));
        }
        LOG.info("Trainer restored {} replay and {} held-out examples, round {}", replay.size(), holdout.size(), rounds);
    }

    /** The event ids in the replay buffer, then in the held-out decisions, oldest first; for tests. */
    List<String> bufferedEventIds() {
        List<String> ids = new ArrayList<>();
        replay.forEach(o -> ids.add(o.input().eventId()));
        holdout.forEach(d -> ids.add(d.input().eventId()));
        return ids;
    }

    long rounds() {
        return rounds;
    }

    private void saveProgress() throws Exception {
        progress.update(new long[] {nextReplay, nextHoldout, rounds, newExamples});
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelVersion> out) throws Exception {
        load();
        if (inFlight != null && inFlight.isDone()) {
            Future<Outcome> done = inFlight;
            inFlight = null;
            try {
                Outcome trained = done.get();
                // The first round also pays the native engine's warm-up, once: it does not set the pace.
                lastRoundMillis = rounds <= 1 ? 0 : trained.cpuMillis();
                publish(trained, ctx, out);
            } catch (java.util.concurrent.ExecutionException e) {
                lastRoundMillis = ctx.timerService().currentProcessingTime() - lastStartMillis;
                // A failed training round is not a reason to restart the loop: the serving model stays.
                LOG.warn("Training of {} failed; the serving version stays", settings.modelId(), e.getCause());
            }
        }
        if (inFlight != null) {
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + POLL_MILLIS);
        } else {
            maybeStart(ctx);
        }
    }

    private void publish(Outcome trained, ReadOnlyContext ctx, Collector<ModelVersion> out) throws Exception {
        // The number is taken now, not when the round started, so a version published meanwhile by
        // someone else (a rollback, an external trainer) is not raced for the same number.
        ReadOnlyBroadcastState<String, ModelVersion> known = ctx.getBroadcastState(KNOWN);
        ModelVersion highest = known.get(HIGHEST);
        ModelVersion serving = known.get(SERVING);
        long number = Math.max(highestPublished, highest == null ? 0 : highest.getVersion()) + 1;
        PromotionGate.Verdict gate = trained.verdict();
        ModelVersion.Builder numbered = ModelVersion.newBuilder(trained.version()).setVersion(number)
                .setParentVersion(serving == null ? 0 : serving.getVersion());
        if (gate.promote() && System.currentTimeMillis() < manualHoldUntil) {
            java.util.Map<String, Double> metrics = new HashMap<>(trained.version().getMetrics());
            metrics.put(ModelVersions.CANDIDATE, 1.0);
            numbered.setMetrics(metrics);
            gate = new PromotionGate.Verdict(false, gate.candidateValue(), gate.servingValue(), gate.differenceLow(),
                    gate.differenceHigh(), gate.examples(), "held: a manual rollback or promotion is in force; " + gate.reason());
        }
        ModelVersion version = numbered.build();
        Outcome outcome = new Outcome(settings.modelKey() == null ? version : settings.modelKey().sign(version), gate,
                trained.round(), trained.cpuMillis());
        PromotionGate.Verdict v = outcome.verdict();
        highestPublished = number;
        long now = ctx.timerService().currentProcessingTime();
        ctx.output(GATE_METRICS, metric("gate.candidate", now, v.promote() ? 1 : 0, v.candidateValue(), v.differenceLow(),
                v.differenceHigh()));
        if (!Double.isNaN(v.servingValue())) {
            ctx.output(GATE_METRICS, metric("gate.serving", now, v.servingValue(), v.servingValue(), Double.NaN, Double.NaN));
        }
        out.collect(outcome.version());
        if (!v.promote()) {
            LOG.info("Candidate {} of round {} refused: {}", outcome.version().getVersion(), outcome.round(), v.reason());
            return;
        }
        LOG.info("Published {} version {} (round {}, {} examples, trained in {} ms{}): {}", settings.modelId(),
                outcome.version().getVersion(), outcome.round(), outcome.version().getMetrics().get("examples"),
                outcome.version().getMetrics().get("trainMillis"),
                outcome.version().getMetrics().getOrDefault("warmStart", 0.0) > 0 ? ", continued" : "", v.reason());
    }

    private MetricEvent metric(String name, long at, double value, double point, double low, double high) {
        return MetricEvent.newBuilder().setName(name).setScope(MetricScope.POLICY).setKey(settings.policy().name())
                .setWindowEnd(at).setValue(Double.isNaN(value) ? point : value)
                .setLow(Double.isNaN(low) ? null : low).setHigh(Double.isNaN(high) ? null : high)
                .setUnit(name.equals("gate.candidate") ? "promoted" : "reward").build();
    }

    private void maybeStart(ReadOnlyContext ctx) throws Exception {
        if (inFlight != null || newExamples == 0 || replay.size() < settings.batchExamples()) {
            return; // nothing new, or too little data for a first model worth gating
        }
        long now = ctx.timerService().currentProcessingTime();
        long since = now - lastStartMillis;
        long minInterval = Math.max(settings.minIntervalMillis(), CpuShare.minInterval(lastRoundMillis, settings.maxCpuShare()));
        boolean due = newExamples >= settings.batchExamples() || since >= settings.maxWaitMillis();
        if (!due || since < minInterval) {
            long at = newExamples >= settings.batchExamples() ? lastStartMillis + minInterval
                    : lastStartMillis + Math.max(settings.maxWaitMillis(), minInterval);
            ctx.timerService().registerProcessingTimeTimer(Math.max(at, now + 1));
            return;
        }
        ModelVersion current = ctx.getBroadcastState(KNOWN).get(SERVING);
        long next = Math.max(highestPublished, current == null ? 0 : current.getVersion()) + 1;
        Batch batch = new Batch(RewardBatch.of(new ArrayList<>(replay), settings.perActionHeads()), new ArrayList<>(holdout));
        newExamples = 0;
        lastStartMillis = now;
        long round = ++rounds;
        saveProgress();
        inFlight = executor.submit(() -> train(batch, current, next, round));
        ctx.timerService().registerProcessingTimeTimer(now + POLL_MILLIS);
    }

    private Outcome train(Batch batch, ModelVersion current, long number, long round) {
        long wallStart = System.nanoTime();
        long cpuStart = CpuShare.threadCpuNanos();
        ServingModel incumbent = current == null ? null : servingModelOf(current);
        RewardBatch rows = batch.rows();
        RewardModelTrainer.Result result = rows.train(trainer(), round, incumbent);
        Mlp network = fault.candidate(round, result.network());
        long parent = current == null ? 0 : current.getVersion();
        ServingModel candidate = new ServingModel(number, rows.layout(), network, rows.y().length);
        BanditPolicy candidatePolicy = servedBy(candidate);
        BanditPolicy incumbentPolicy = incumbent == null ? null : servedBy(incumbent);
        PromotionGate.Verdict verdict = new PromotionGate(settings.gate()).judge(batch.holdout(),
                candidatePolicy::distribution, incumbentPolicy == null ? null : incumbentPolicy::distribution, round);
        byte[] parameters = network.encode();
        Map<String, Double> metrics = new HashMap<>();
        metrics.put("loss", result.finalLoss());
        metrics.put("examples", (double) rows.y().length);
        metrics.put("steps", (double) result.steps());
        metrics.put("trainMillis", (double) result.millis());
        metrics.put("gpu", result.device().startsWith("gpu") ? 1.0 : 0.0);
        metrics.put("exportMaxError", result.exportMaxError());
        metrics.put("round", (double) round);
        metrics.put("warmStart", rows.continuesFrom(incumbent) ? 1.0 : 0.0);
        if (!Double.isNaN(verdict.candidateValue())) {
            metrics.put("gate.candidateValue", verdict.candidateValue());
            metrics.put("gate.servingValue", verdict.servingValue());
            metrics.put("gate.differenceLow", verdict.differenceLow());
        }
        metrics.put("gate.heldOut", (double) verdict.examples());
        long cpuMillis = CpuShare.spentNanos(cpuStart, wallStart) / 1_000_000;
        metrics.put("cpuMillis", (double) cpuMillis);
        if (!verdict.promote()) {
            metrics.put(ModelVersions.CANDIDATE, 1.0);
        }
        ModelVersion version = ModelVersion.newBuilder().setModelId(settings.modelId()).setVersion(number)
                .setParentVersion(parent).setAlgorithm("reward-mlp").setCreatedAt(System.currentTimeMillis())
                .setFormat(rows.heads() == null ? Mlp.FORMAT : Mlp.HEADS_FORMAT).setParameters(ByteBuffer.wrap(parameters))
                .setSha256(Checksums.sha256Hex(parameters))
                .setInputSchema(new InputSchema(rows.layout().names(), rows.layout().dimension()))
                .setMetrics(metrics).build();
        return new Outcome(version, verdict, round, cpuMillis);
    }

    private static ServingModel servingModelOf(ModelVersion v) {
        return ModelVersions.verdict(v).model();
    }

    /** The policy the published model will serve, serving {@code model}: what the gate values. */
    private BanditPolicy servedBy(ServingModel model) {
        BanditPolicy policy = PolicyFactory.create(settings.policy());
        ((ServingModelScorer) policy.scorer()).use(model);
        return policy;
    }

    /** Only ever called on the training thread. */
    private RewardModelTrainer trainer() {
        if (trainer == null) {
            trainer = new RewardModelTrainer(settings.network());
        }
        return trainer;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
