package dev.loopline.flink;

import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.model.Mlp;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.InputSchema;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.state.Checksums;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model-update operator: collects joined examples in a bounded replay buffer, trains the reward
 * model on it off the task thread (so the loop keeps deciding while DJL works), and publishes each
 * trained network as the next {@link ModelVersion}. It runs with parallelism 1 on a constant key.
 *
 * <p>The version counter is keyed state, so versions keep increasing across restores; the replay
 * buffer is not checkpointed (it refills within one training interval).
 */
public final class ModelTrainerFunction extends KeyedProcessFunction<Integer, JoinedExample, ModelVersion> {
    public static final String UID = "model-trainer-v1";
    public static final int KEY = 0;
    private static final Logger LOG = LoggerFactory.getLogger(ModelTrainerFunction.class);
    private static final long POLL_MILLIS = 100;

    private record Example(Map<String, Double> context, String actionId, Map<String, Double> actionFeatures,
            double reward) {}

    private record Batch(FeatureLayout layout, float[][] x, float[] y) {}

    private final TrainerSettings settings;

    private transient ValueState<Long> lastVersion;
    private transient ArrayDeque<Example> replay;
    private transient int newExamples;
    private transient long lastStartMillis;
    private transient ExecutorService executor;
    private transient RewardModelTrainer trainer;
    private transient Future<ModelVersion> inFlight;
    private transient long inFlightParent;

    public ModelTrainerFunction(TrainerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        lastVersion = getRuntimeContext().getState(new ValueStateDescriptor<>("trainer-last-version-v1", Types.LONG));
        replay = new ArrayDeque<>();
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
    public void processElement(JoinedExample example, Context ctx, Collector<ModelVersion> out) throws Exception {
        if (example.getOutcome() == JoinOutcome.LATE || example.getContext() == null || example.getDecision() == null) {
            return;
        }
        String actionId = example.getDecision().getActionId();
        Map<String, Double> actionFeatures = Map.of();
        for (Action a : example.getContext().getActions()) {
            if (a.getActionId().equals(actionId)) {
                actionFeatures = a.getFeatures();
            }
        }
        replay.addLast(new Example(example.getContext().getFeatures(), actionId, actionFeatures, example.getReward()));
        if (replay.size() > settings.replayCapacity()) {
            replay.removeFirst();
        }
        newExamples++;
        maybeStart(ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelVersion> out) throws Exception {
        if (inFlight != null && inFlight.isDone()) {
            Future<ModelVersion> done = inFlight;
            inFlight = null;
            try {
                ModelVersion version = done.get();
                lastVersion.update(version.getVersion());
                out.collect(version);
                LOG.info("Published {} version {} ({} examples, loss {})", settings.modelId(), version.getVersion(),
                        version.getMetrics().get("examples"), version.getMetrics().get("loss"));
            } catch (java.util.concurrent.ExecutionException e) {
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

    private void maybeStart(Context ctx) throws Exception {
        if (inFlight != null || newExamples < settings.minNewExamples()) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (now - lastStartMillis < settings.minIntervalMillis()) {
            ctx.timerService().registerProcessingTimeTimer(lastStartMillis + settings.minIntervalMillis());
            return;
        }
        Long last = lastVersion.value();
        long parent = last == null ? 0 : last;
        Batch batch = batchOf(new ArrayList<>(replay));
        newExamples = 0;
        lastStartMillis = now;
        inFlightParent = parent;
        inFlight = executor.submit(() -> train(batch, parent));
        ctx.timerService().registerProcessingTimeTimer(now + POLL_MILLIS);
    }

    private ModelVersion train(Batch batch, long parent) {
        long version = parent + 1;
        RewardModelTrainer.Result result = trainer().train(batch.x(), batch.y(), version);
        byte[] parameters = result.network().encode();
        return ModelVersion.newBuilder().setModelId(settings.modelId()).setVersion(version).setParentVersion(parent)
                .setAlgorithm("reward-mlp").setCreatedAt(System.currentTimeMillis()).setFormat(Mlp.FORMAT)
                .setParameters(ByteBuffer.wrap(parameters)).setSha256(Checksums.sha256Hex(parameters))
                .setInputSchema(new InputSchema(batch.layout().names(), batch.layout().dimension()))
                .setMetrics(Map.of("loss", result.finalLoss(), "examples", (double) batch.y().length,
                        "steps", (double) result.steps(), "trainMillis", (double) result.millis(),
                        "gpu", result.device().startsWith("gpu") ? 1.0 : 0.0))
                .build();
    }

    /** Only ever called on the training thread. */
    private RewardModelTrainer trainer() {
        if (trainer == null) {
            trainer = new RewardModelTrainer(settings.network());
        }
        return trainer;
    }

    private static Batch batchOf(List<Example> examples) {
        TreeSet<String> contextNames = new TreeSet<>();
        TreeSet<String> actionNames = new TreeSet<>();
        TreeSet<String> actionIds = new TreeSet<>();
        for (Example e : examples) {
            contextNames.addAll(e.context().keySet());
            actionNames.addAll(e.actionFeatures().keySet());
            actionIds.add(e.actionId());
        }
        FeatureLayout layout = FeatureLayout.ofContextAndActions(new ArrayList<>(contextNames),
                new ArrayList<>(actionNames), new ArrayList<>(actionIds));
        float[][] x = new float[examples.size()][];
        float[] y = new float[examples.size()];
        double[] row = new double[layout.dimension()];
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            layout.vectorize(e.context(), e.actionId(), e.actionFeatures(), row);
            x[i] = new float[row.length];
            for (int j = 0; j < row.length; j++) {
                x[i][j] = (float) row[j];
            }
            y[i] = (float) e.reward();
        }
        return new Batch(layout, x, y);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
