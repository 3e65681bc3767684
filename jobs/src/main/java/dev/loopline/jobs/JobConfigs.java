package dev.loopline.jobs;

import dev.loopline.core.model.PromotionGate;
import dev.loopline.core.policy.LinUcb;
import dev.loopline.core.policy.SquareCb;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.flink.LoopSettings;
import dev.loopline.flink.TrainerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link JobConfig}s from defaults plus overrides. Every default is written here once; the
 * README's configuration table lists the same names.
 */
public final class JobConfigs {
    private JobConfigs() {}

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** {@code --name value} pairs, named like the builder's setters (e.g. {@code --policy squarecb}). */
    public static JobConfig fromArgs(String[] args) {
        Map<String, String> kv = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            kv.put(args[i].substring(2), args[++i]);
        }
        String bootstrap = kv.remove("bootstrap");
        Builder b = builder(bootstrap);
        kv.forEach(b::set);
        return b.build();
    }

    public static final class Builder {
        private String bootstrap;
        private final Map<String, String> kafka = new HashMap<>();
        private String topicPrefix = "loopline";
        private String delivery = JobConfig.EXACTLY_ONCE;
        private int parallelism = 2;
        private long checkpointMillis = 2000;
        private String checkpointDir = Path.of(System.getProperty("java.io.tmpdir"), "loopline-checkpoints").toUri().toString();
        private String stateBackend = "rocksdb";
        private long metricsWindowMillis = 1000;
        private String runId = "loop";
        private String policy = SquareCb.NAME;
        private long seed = 7;
        private List<String> contextFeatures = new ArrayList<>();
        private double linUcbAlpha = LinUcb.Config.defaults().alpha();
        private double linUcbRidge = LinUcb.Config.defaults().ridge();
        private double squareCbGammaScale = SquareCb.Config.defaults().gammaScale();
        private double squareCbGammaMin = SquareCb.Config.defaults().gammaMin();
        private long rewardWaitMillis = 15_000;
        private Double defaultReward = 0.0;
        private boolean learnLateFeedback = false;
        private long tombstoneMillis = 600_000;
        private String modelId = "reward";
        private int trainBatchExamples = 1000;
        private long trainMaxWaitMillis = 3000;
        private long trainMinIntervalMillis = 1000;
        private int trainReplayCapacity = 20_000;
        private int holdoutEvery = 5;
        private int holdoutCapacity = 5000;
        private double gateMargin = 0.02;
        private int gateMinExamples = 200;
        private int sabotageRound = 0;
        private int trainHidden = 64;
        private int trainBatch = 256;
        private int trainEpochs = 6;
        private float trainLearningRate = 0.005f;

        private Builder(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        public Builder kafkaProperty(String key, String value) {
            kafka.put(key, value);
            return this;
        }

        public Builder topicPrefix(String v) { topicPrefix = v; return this; }
        public Builder delivery(String v) { delivery = v; return this; }
        public Builder parallelism(int v) { parallelism = v; return this; }
        public Builder checkpointMillis(long v) { checkpointMillis = v; return this; }
        public Builder checkpointDir(String v) { checkpointDir = v; return this; }
        public Builder stateBackend(String v) { stateBackend = v; return this; }
        public Builder metricsWindowMillis(long v) { metricsWindowMillis = v; return this; }
        public Builder runId(String v) { runId = v; return this; }
        public Builder policy(String v) { policy = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder contextFeatures(List<String> v) { contextFeatures = new ArrayList<>(v); return this; }
        public Builder linUcbAlpha(double v) { linUcbAlpha = v; return this; }
        public Builder rewardWaitMillis(long v) { rewardWaitMillis = v; return this; }
        /** {@code null} drops decisions whose feedback never came instead of learning a default. */
        public Builder defaultReward(Double v) { defaultReward = v; return this; }
        public Builder learnLateFeedback(boolean v) { learnLateFeedback = v; return this; }
        public Builder trainBatchExamples(int v) { trainBatchExamples = v; return this; }
        public Builder trainMaxWaitMillis(long v) { trainMaxWaitMillis = v; return this; }
        public Builder gateMargin(double v) { gateMargin = v; return this; }
        /** Demo and test aid: the training round whose candidate is deliberately inverted (0 = never). */
        public Builder sabotageRound(int v) { sabotageRound = v; return this; }

        /** Sets one value by its name as text (used by {@link #fromArgs}); unknown names are refused. */
        public Builder set(String name, String value) {
            try {
                switch (name) {
                    case "topic-prefix" -> topicPrefix = value;
                    case "delivery" -> delivery = value;
                    case "parallelism" -> parallelism = Integer.parseInt(value);
                    case "checkpoint-millis" -> checkpointMillis = Long.parseLong(value);
                    case "checkpoint-dir" -> checkpointDir = value;
                    case "state-backend" -> stateBackend = value;
                    case "run-id" -> runId = value;
                    case "policy" -> policy = value;
                    case "seed" -> seed = Long.parseLong(value);
                    case "context-features" -> contextFeatures = List.of(value.split(","));
                    case "reward-wait-millis" -> rewardWaitMillis = Long.parseLong(value);
                    case "default-reward" -> defaultReward = value.equals("drop") ? null : Double.parseDouble(value);
                    case "gate-margin" -> gateMargin = Double.parseDouble(value);
                    case "train-batch-examples" -> trainBatchExamples = Integer.parseInt(value);
                    case "train-max-wait-millis" -> trainMaxWaitMillis = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown setting --" + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " expects a number, got '" + value + "'");
            }
            return this;
        }

        public JobConfig build() {
            LoopSettings loop = new LoopSettings(policy, seed, contextFeatures,
                    new LinUcb.Config(linUcbAlpha, linUcbRidge), new SquareCb.Config(squareCbGammaScale, squareCbGammaMin),
                    rewardWaitMillis, defaultReward, learnLateFeedback, tombstoneMillis);
            SquareCb.Config squareCb = new SquareCb.Config(squareCbGammaScale, squareCbGammaMin);
            TrainerSettings trainer = new TrainerSettings(modelId, trainBatchExamples, trainMaxWaitMillis,
                    trainMinIntervalMillis, trainReplayCapacity, holdoutEvery, holdoutCapacity,
                    new RewardModelTrainer.Config(trainHidden, trainBatch, trainEpochs, trainLearningRate, seed),
                    squareCb, new PromotionGate.Config(gateMargin, gateMinExamples, 200, 0.95, seed), sabotageRound);
            return new JobConfig(bootstrap, kafka, new Topics(topicPrefix), delivery, parallelism, checkpointMillis,
                    checkpointDir, stateBackend, metricsWindowMillis, runId, loop, trainer);
        }
    }
}
