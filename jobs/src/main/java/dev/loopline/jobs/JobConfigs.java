package dev.loopline.jobs;

import dev.loopline.core.model.PromotionGate;
import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.core.bandit.PolicyTuning;
import dev.loopline.core.join.FeedbackJoin;
import dev.loopline.core.validate.Limits;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.drift.Adwin;
import dev.loopline.core.drift.Ddm;
import dev.loopline.core.drift.DriftAlarm;
import dev.loopline.core.drift.DriftDetectorConfig;
import dev.loopline.core.drift.PageHinkley;
import dev.loopline.core.ope.ReplayEvaluation;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.ContinualEvaluation;
import dev.loopline.flink.LoopSettings;
import dev.loopline.state.ModelKey;
import dev.loopline.flink.MonitorSettings;
import dev.loopline.flink.TrainerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Builds {@link JobConfig}s. Every setting of {@code loop.yaml} is one {@link Key} in {@link #KEYS}:
 * its dotted path, its default and one line of documentation, written once here; `loopline config
 * --describe` prints the table and the README reproduces it.
 */
public final class JobConfigs {
    private JobConfigs() {}

    /** One setting: path in loop.yaml, default as written in the file, documentation, how to apply a value. */
    public record Key(String path, String defaultValue, String doc, BiConsumer<Builder, String> apply) {}


    /** The cores' own defaults, so the job and a core used alone agree. */
    private static final ErrorMemoryConfig MEMORY = ErrorMemoryConfig.keyedDefaults();
    private static final RewardModelTrainer.Config NETWORK = RewardModelTrainer.Config.defaults(0);
    private static final PromotionGate.Config GATE = PromotionGate.Config.defaults(0);
    private static final Limits LIMITS = Limits.DEFAULTS;

    public static final List<Key> KEYS = List.of(
            new Key("kafka.bootstrap", "", "Kafka bootstrap servers, host:port[,host:port] (required)", (b, v) -> b.bootstrap = v),
            new Key("topics.prefix", "loopline", "topics are PREFIX.context, .decisions, .feedback, .models, .metrics, .deadletter", (b, v) -> b.topicPrefix = v),
            new Key("topics.partitions", "2", "partitions of context, decisions and feedback when `loopline topics create` makes them", (b, v) -> b.topicPartitions = integer(v)),
            new Key("topics.replication", "1", "replication factor of every topic `loopline topics create` makes", (b, v) -> b.topicReplication = (short) integer(v)),
            new Key("decisions.delivery", JobConfig.EXACTLY_ONCE, "exactly-once (transactional, visible at each checkpoint) or low-latency (at once; replays may repeat a decision)", (b, v) -> b.delivery = v),
            new Key("policy.name", PolicyFactory.SQUARECB, "squarecb (inverse-gap exploration over the reward model the loop trains) or a policy that learns per state key: " + String.join(", ", PolicyFactory.NAMES) + ", or uniform", (b, v) -> b.policy = v),
            new Key("policy.seed", "7", "root of every random draw; a replayed event gets the same action", (b, v) -> b.seed = longValue(v)),
            new Key("policy.explainRate", "0.0", "share of decisions that carry an explanation: action scores, exploration bonus, top feature contributions", (b, v) -> b.explainRate = number(v)),
            new Key("policy.contextFeatures", "[]", "context feature names the error memory compares contexts by, in order", (b, v) -> b.contextFeatures = list(v)),
            new Key("policy.linucb.alpha", Double.toString(PolicyTuning.DEFAULTS.ucbAlpha()), "width of the confidence bonus of linucb and linucb-hybrid", (b, v) -> b.tuning = b.tuning.withUcbAlpha(number(v))),
            new Key("policy.linucb.ridge", Double.toString(PolicyTuning.DEFAULTS.ridge()), "ridge prior strength of every linear scorer (linucb, lin-ts, regcb-opt, squarecb-linear, ...)", (b, v) -> b.tuning = b.tuning.withRidge(number(v))),
            new Key("policy.squarecb.gammaScale", Double.toString(PolicyTuning.DEFAULTS.gammaScale()), "SquareCB learning rate: gamma = max(gammaMin, gammaScale * sqrt(examples)) (squarecb's default; squarecb-linear's is 10)", (b, v) -> b.tuning = b.tuning.withGammaScale(number(v))),
            new Key("policy.squarecb.gammaMin", Double.toString(PolicyTuning.DEFAULTS.gammaMin()), "smallest SquareCB gamma (squarecb's default; squarecb-linear's is 0)", (b, v) -> b.tuning = b.tuning.withGammaMin(number(v))),
            new Key("errorMemory.enabled", "false", "correct the policy's predicted rewards by its recent mistakes on similar contexts (one memory per state key and action; needs policy.contextFeatures)", (b, v) -> b.errorMemoryEnabled = bool(v)),
            new Key("errorMemory.capacity", Integer.toString(MEMORY.capacity()), "entries per key and action; the oldest is evicted first, [1, 10000000]", (b, v) -> b.memoryCapacity = integer(v)),
            new Key("errorMemory.k", Integer.toString(MEMORY.k()), "neighbours averaged per look-up, [1, 1024]", (b, v) -> b.memoryK = integer(v)),
            new Key("errorMemory.tables", Integer.toString(MEMORY.tables()), "LSH tables (random hyperplanes), [1, 64]", (b, v) -> b.memoryTables = integer(v)),
            new Key("errorMemory.bits", Integer.toString(MEMORY.bits()), "hyperplanes per table, [1, 30]", (b, v) -> b.memoryBits = integer(v)),
            new Key("errorMemory.compensationWeight", Double.toString(MEMORY.compensationWeight()), "share of the neighbours' mean residual added to a prediction, [0, 1]", (b, v) -> b.memoryWeight = number(v)),
            new Key("errorMemory.temperature", Double.toString(MEMORY.temperature()), "temperature of the neighbour weights exp((similarity - 1) / T), > 0", (b, v) -> b.memoryTemperature = number(v)),
            new Key("errorMemory.minSimilarity", Double.toString(MEMORY.minSimilarity()), "neighbours less similar (cosine) are ignored; none left means no correction, [-1, 1]", (b, v) -> b.memoryMinSimilarity = number(v)),
            new Key("errorMemory.ttlMillis", "0", "entries older than this (event time) are evicted; 0 keeps them until capacity pushes them out", (b, v) -> b.memoryTtlMillis = longValue(v)),
            new Key("state.scope", "entity", "where policy state lives: entity (per entity id), segment (per value of state.segmentFeatures) or global (one state)", (b, v) -> b.stateScope = v),
            new Key("state.segmentFeatures", "[]", "context features whose values name the segment (scope segment)", (b, v) -> b.segmentFeatures = list(v)),
            new Key("state.backend", "rocksdb", "rocksdb or hashmap", (b, v) -> b.stateBackend = v),
            new Key("state.checkpointDir", "file://$TMPDIR/loopline-checkpoints", "checkpoint directory (a URI; a durable store in production)", (b, v) -> b.checkpointDir = v),
            new Key("state.keyRetentionMillis", Long.toString(LoopSettings.DEFAULT_KEY_RETENTION_MILLIS), "how long (processing time) a key's policy state and error memories outlive its last write; an entity gone this long starts afresh; 0 keeps them forever", (b, v) -> b.keyRetentionMillis = longValue(v)),
            new Key("state.checkpointMillis", "2000", "checkpoint interval; exactly-once output becomes visible at each checkpoint", (b, v) -> b.checkpointMillis = longValue(v)),
            new Key("feedback.waitMillis", "15000", "event time a decision waits for its feedback", (b, v) -> b.rewardWaitMillis = longValue(v)),
            new Key("feedback.defaultReward", "0.0", "reward learned when the wait ends without feedback; `drop` learns nothing", (b, v) -> b.defaultReward = v.equals("drop") ? null : number(v)),
            new Key("feedback.aggregation", "first", "several feedback events for one decision: first (learned at once; later ones count as late) or sum (summed over the wait window, learned when it closes)", (b, v) -> b.aggregation = v),
            new Key("feedback.learnLate", "false", "whether feedback after the wait still updates the policy (once)", (b, v) -> b.learnLateFeedback = bool(v)),
            new Key("feedback.tombstoneMillis", "600000", "how long a resolved decision is remembered, so later feedback counts as late, not unknown", (b, v) -> b.tombstoneMillis = longValue(v)),
            new Key("training.enabled", "true", "false: the job trains no reward model; serving versions come from the model topic only (an external trainer, loopline model promote)", (b, v) -> b.trainingEnabled = bool(v)),
            new Key("training.modelId", "reward", "key of the reward model's versions on the model topic", (b, v) -> b.modelId = v),
            new Key("training.batchExamples", "1000", "train when this many new joined examples arrived...", (b, v) -> b.trainBatchExamples = integer(v)),
            new Key("training.maxWaitMillis", "3000", "...or this long after the last training, whichever comes first", (b, v) -> b.trainMaxWaitMillis = longValue(v)),
            new Key("training.minIntervalMillis", "1000", "never train more often than this", (b, v) -> b.trainMinIntervalMillis = longValue(v)),
            new Key("training.replayCapacity", "20000", "most recent joined examples kept for training", (b, v) -> b.trainReplayCapacity = integer(v)),
            new Key("training.maxCpuShare", "0.25", "the most of one core training and gating may take over time: after a round that used d ms of CPU (the training thread's CPU time, not wall time) the next starts no sooner than d / maxCpuShare ms after it started", (b, v) -> b.trainMaxCpuShare = number(v)),
            new Key("training.hiddenUnits", Integer.toString(NETWORK.hiddenUnits()), "hidden units of the reward network", (b, v) -> b.trainHidden = integer(v)),
            new Key("training.batchSize", Integer.toString(NETWORK.batchSize()), "minibatch size", (b, v) -> b.trainBatch = integer(v)),
            new Key("training.epochs", Integer.toString(NETWORK.epochs()), "passes over the replay buffer per training round", (b, v) -> b.trainEpochs = integer(v)),
            new Key("training.perActionHeads", "true", "one output per action on a shared hidden layer, inputs standardised (true), or one output for a (context, action) row that names the action among its inputs (false, the 0.1 network)", (b, v) -> b.trainPerActionHeads = bool(v)),
            new Key("training.learningRate", Float.toString(NETWORK.learningRate()), "Adam learning rate", (b, v) -> b.trainLearningRate = (float) number(v)),
            new Key("gate.holdoutEvery", "5", "every n-th decision is held out of training and used by the promotion gate", (b, v) -> b.holdoutEvery = integer(v)),
            new Key("gate.holdoutCapacity", "5000", "most recent held-out decisions the gate evaluates on", (b, v) -> b.holdoutCapacity = integer(v)),
            new Key("gate.margin", Double.toString(GATE.margin()), "a candidate is promoted when the 95 % lower bound of (candidate - serving) is above -margin", (b, v) -> b.gateMargin = number(v)),
            new Key("gate.minExamples", Integer.toString(GATE.minExamples()), "below this many held-out decisions, candidates are promoted untested", (b, v) -> b.gateMinExamples = integer(v)),
            new Key("job.parallelism", "2", "parallelism of the keyed operators", (b, v) -> b.parallelism = integer(v)),
            new Key("job.restartStrategy", RestartPolicy.DEFAULT.strategy(), "how the job restarts from its last checkpoint after a failure: exponential-delay (waits double while failures repeat), fixed-delay, or none (stays failed)", (b, v) -> b.restartStrategy = v),
            new Key("job.restartDelayMillis", Long.toString(RestartPolicy.DEFAULT.delayMillis()), "wait before a restart (the first one, for exponential-delay)", (b, v) -> b.restartDelayMillis = longValue(v)),
            new Key("job.maxRestartDelayMillis", Long.toString(RestartPolicy.DEFAULT.maxDelayMillis()), "longest wait between restarts while failures repeat (exponential-delay)", (b, v) -> b.maxRestartDelayMillis = longValue(v)),
            new Key("job.bufferTimeoutMillis", "5", "longest a record waits in a network buffer between operators (Flink's buffer timeout; its default, 100, adds up to 100 ms per hop to decision latency); 0 sends each record at once", (b, v) -> b.bufferTimeoutMillis = longValue(v)),
            new Key("limits.maxClockSkewMillis", Long.toString(LIMITS.maxClockSkewMillis()), "how far a context or feedback record may be stamped after its broker append time; later ones are dead letters, since one record from the future would move the loop's event time and close every wait window (0: unchecked)", (b, v) -> b.maxClockSkewMillis = longValue(v)),
            new Key("limits.maxAgeMillis", Long.toString(LIMITS.maxAgeMillis()), "how far a record may be stamped before its broker append time; older ones are dead letters (0: unchecked)", (b, v) -> b.maxAgeMillis = longValue(v)),
            new Key("limits.maxRecordBytes", Integer.toString(LIMITS.maxRecordBytes()), "largest context or feedback record value; larger ones are dead letters before they are read", (b, v) -> b.maxRecordBytes = integer(v)),
            new Key("limits.maxFeatures", Integer.toString(LIMITS.maxFeatures()), "most features of one context event, its own and its actions' together", (b, v) -> b.maxFeatures = integer(v)),
            new Key("limits.maxActions", Integer.toString(LIMITS.maxActions()), "most actions one context event may offer", (b, v) -> b.maxActions = integer(v)),
            new Key("job.runId", "loop", "prefix of the Kafka transactional ids; distinct per concurrent job on one cluster", (b, v) -> b.runId = v),
            new Key("metrics.windowMillis", "1000", "event-time window of the metrics topic", (b, v) -> b.metricsWindowMillis = longValue(v)),
            new Key("metrics.prometheusPort", "0", "port of Flink's Prometheus reporter (0 = none); Prometheus scrapes http://HOST:PORT/metrics", (b, v) -> b.prometheusPort = integer(v)),
            new Key("monitor.analysts", "true", "false: no drift, stability or off-policy operators in the job (the window metrics of feedback, reward, regret and exploration stay)", (b, v) -> b.analystsEnabled = bool(v)),
            new Key("monitor.drift.detector", "adwin", "drift detector run in the job on rewards and residuals: adwin, page-hinkley or ddm", (b, v) -> b.driftDetector = v),
            new Key("monitor.drift.scopes", "[entity, segment, global]", "where drift is watched, any of entity (per entity id), segment (per value of state.segmentFeatures; skipped when none) and global", (b, v) -> b.driftScopes = list(v)),
            new Key("monitor.drift.streams", "[reward, residual]", "which streams: reward (of decisions that heard their feedback) and residual (reward - served prediction, where the policy had one)", (b, v) -> b.driftStreams = list(v)),
            new Key("monitor.drift.minEffect", "0.05", "adwin: least change of the mean (newer - older part of its window) that raises an alert, >= 0", (b, v) -> b.driftMinEffect = number(v)),
            new Key("monitor.drift.cooldownMillis", "15000", "after an alert, none for this long of event time in the same stream and key (the change settling), >= 0", (b, v) -> b.driftCooldownMillis = longValue(v)),
            new Key("monitor.drift.keyRetentionMillis", "604800000", "how long an entity's or segment's drift detectors outlive its last example (processing time); 0 keeps them forever", (b, v) -> b.driftKeyRetentionMillis = longValue(v)),
            new Key("monitor.drift.rewardRises", "false", "whether a rise of the reward alerts too (a learning policy's reward rises by design); residuals alert both ways", (b, v) -> b.driftRewardRises = bool(v)),
            new Key("monitor.drift.adwin.delta", "0.002", "adwin: confidence of the cut test, in (0, 1); smaller detects less", (b, v) -> b.adwinDelta = number(v)),
            new Key("monitor.drift.pageHinkley.lambda", "50", "page-hinkley: threshold of the cumulative deviation, > 0", (b, v) -> b.phLambda = number(v)),
            new Key("monitor.drift.pageHinkley.delta", "0.005", "page-hinkley: change tolerated per value, >= 0", (b, v) -> b.phDelta = number(v)),
            new Key("monitor.drift.ddm.driftLevel", "3.0", "ddm: standard deviations above the minimum error for a drift, in (0, 100) (warning at two thirds of it)", (b, v) -> b.ddmDriftLevel = number(v)),
            new Key("monitor.stability.baselineWindows", "5", "metrics windows before a global reward alert averaged into the pre-shift level, >= 1", (b, v) -> b.stabilityBaseline = integer(v)),
            new Key("monitor.stability.tolerance", "0.0", "how far below the pre-shift level a window may be and count as recovered, reward units, >= 0", (b, v) -> b.stabilityTolerance = number(v)),
            new Key("monitor.ope.candidates", "[]", "policies of the suite estimated online by replay over the logged decisions (SNIPS and DR with bootstrap intervals), e.g. [greedy, linucb]", (b, v) -> b.opeCandidates = list(v)),
            new Key("monitor.ope.reference", "uniform", "policy of the suite the regret is also estimated against", (b, v) -> b.opeReference = v),
            new Key("monitor.ope.windowDecisions", "2000", "logged decisions in the sliding window of the online estimates, in [100, 1000000]", (b, v) -> b.opeWindow = integer(v)),
            new Key("monitor.ope.maxCpuShare", "0.25", "the most of one core (CPU time) the off-policy window closes may take over time; a close due sooner is put off to the next window end, whose estimates then cover both windows", (b, v) -> b.opeMaxCpuShare = number(v)),
            new Key("monitor.ope.resamples", "200", "bootstrap resamples of every online interval, in [50, 10000000]", (b, v) -> b.opeResamples = integer(v)),
            new Key("monitor.ope.level", "0.95", "coverage of the online intervals, in (0, 1)", (b, v) -> b.opeLevel = number(v)));

    private static final Map<String, Key> BY_PATH = new LinkedHashMap<>();

    static {
        KEYS.forEach(k -> BY_PATH.put(k.path(), k));
    }

    public static Builder builder(String bootstrapServers) {
        Builder b = new Builder();
        b.bootstrap = bootstrapServers;
        return b;
    }

    /**
     * The shaded jar's arguments: {@code --config PATH} (a loop.yaml readable where the job is built) or
     * {@code --config-base64 TEXT} (the file's content, how `loopline submit` ships it).
     */
    public static JobConfig fromArgs(String[] args) throws java.io.IOException {
        if (args.length == 2 && args[0].equals("--config")) {
            return LoopYaml.load(Path.of(args[1]));
        }
        if (args.length == 2 && args[0].equals("--config-base64")) {
            return LoopYaml.parse(new String(java.util.Base64.getDecoder().decode(args[1]),
                    java.nio.charset.StandardCharsets.UTF_8), "--config-base64");
        }
        throw new IllegalArgumentException("expected --config loop.yaml or --config-base64 CONTENT, got " + Arrays.toString(args));
    }

    public static final class Builder {
        private String bootstrap;
        private final Map<String, String> kafka = new HashMap<>();
        private String topicPrefix = "loopline";
        private int topicPartitions = 2;
        private short topicReplication = 1;
        private String delivery = JobConfig.EXACTLY_ONCE;
        private int parallelism = 2;
        private long checkpointMillis = 2000;
        private String checkpointDir = Path.of(System.getProperty("java.io.tmpdir"), "loopline-checkpoints").toUri().toString();
        private String stateBackend = "rocksdb";
        private String stateScope = "entity";
        private List<String> segmentFeatures = new ArrayList<>();
        private ModelKey modelKey;
        private long metricsWindowMillis = 1000;
        private int prometheusPort = 0;
        private long bufferTimeoutMillis = 5;
        private String restartStrategy = RestartPolicy.DEFAULT.strategy();
        private long restartDelayMillis = RestartPolicy.DEFAULT.delayMillis();
        private long maxRestartDelayMillis = RestartPolicy.DEFAULT.maxDelayMillis();
        private long maxClockSkewMillis = LIMITS.maxClockSkewMillis();
        private long maxAgeMillis = LIMITS.maxAgeMillis();
        private int maxRecordBytes = LIMITS.maxRecordBytes();
        private int maxFeatures = LIMITS.maxFeatures();
        private int maxActions = LIMITS.maxActions();
        private long keyRetentionMillis = LoopSettings.DEFAULT_KEY_RETENTION_MILLIS;
        private double trainMaxCpuShare = 0.25;
        private boolean trainingEnabled = true;
        private boolean analystsEnabled = true;
        private String driftDetector = Adwin.NAME;
        private List<String> driftScopes = MonitorSettings.SCOPES;
        private List<String> driftStreams = MonitorSettings.STREAMS;
        private double driftMinEffect = 0.05;
        private long driftCooldownMillis = 15_000;
        private long driftKeyRetentionMillis = MonitorSettings.DEFAULT_KEY_RETENTION_MILLIS;
        private boolean driftRewardRises = false;
        private double adwinDelta = Adwin.Config.defaults().delta();
        private double phLambda = PageHinkley.Config.defaults().lambda();
        private double phDelta = PageHinkley.Config.defaults().delta();
        private double ddmDriftLevel = Ddm.Config.defaults().driftLevel();
        private int stabilityBaseline = ContinualEvaluation.Config.defaults().baselineWindows();
        private double stabilityTolerance = ContinualEvaluation.Config.defaults().tolerance();
        private List<String> opeCandidates = List.of();
        private String opeReference = PolicyFactory.UNIFORM;
        private int opeWindow = 2000;
        private int opeResamples = 200;
        private double opeMaxCpuShare = 0.25;
        private double opeLevel = 0.95;
        private String runId = "loop";
        private String policy = PolicyFactory.SQUARECB;
        private long seed = 7;
        private double explainRate = 0.0;
        private List<String> contextFeatures = new ArrayList<>();
        private boolean errorMemoryEnabled;
        private int memoryCapacity = MEMORY.capacity();
        private int memoryK = MEMORY.k();
        private int memoryTables = MEMORY.tables();
        private int memoryBits = MEMORY.bits();
        private double memoryWeight = MEMORY.compensationWeight();
        private double memoryTemperature = MEMORY.temperature();
        private double memoryMinSimilarity = MEMORY.minSimilarity();
        private long memoryTtlMillis;
        /** Only the knobs loop.yaml sets: every other stays the policy's own default. */
        private PolicyTuning tuning = PolicyTuning.DEFAULTS;
        private long rewardWaitMillis = 15_000;
        private Double defaultReward = 0.0;
        private boolean learnLateFeedback = false;
        private String aggregation = "first";
        private long tombstoneMillis = 600_000;
        private String modelId = "reward";
        private int trainBatchExamples = 1000;
        private long trainMaxWaitMillis = 3000;
        private long trainMinIntervalMillis = 1000;
        private int trainReplayCapacity = 20_000;
        private int holdoutEvery = 5;
        private int holdoutCapacity = 5000;
        private double gateMargin = GATE.margin();
        private int gateMinExamples = GATE.minExamples();
        private int trainHidden = NETWORK.hiddenUnits();
        private int trainBatch = NETWORK.batchSize();
        private int trainEpochs = NETWORK.epochs();
        private float trainLearningRate = NETWORK.learningRate();
        private boolean trainPerActionHeads = true;

        private Builder() {}

        public Builder kafkaProperty(String key, String value) {
            kafka.put(key, value);
            return this;
        }

        public Builder topicPrefix(String v) { topicPrefix = v; return this; }
        public Builder delivery(String v) { delivery = v; return this; }
        public Builder parallelism(int v) { parallelism = v; return this; }
        public Builder checkpointDir(String v) { checkpointDir = v; return this; }
        public Builder runId(String v) { runId = v; return this; }
        public Builder policy(String v) { policy = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder explainRate(double v) { explainRate = v; return this; }
        public Builder contextFeatures(List<String> v) { contextFeatures = new ArrayList<>(v); return this; }
        public Builder stateScope(String v) { stateScope = v; return this; }
        /** Model versions signed with this key, instead of the one the environment names ({@link ModelKey}). */
        public Builder modelKey(ModelKey key) { modelKey = key; return this; }
        public Builder segmentFeatures(List<String> v) { segmentFeatures = new ArrayList<>(v); return this; }

        /** Sets one loop.yaml value by its dotted path; unknown paths and malformed values are refused. */
        public Builder set(String path, String value) {
            if (path.startsWith("kafka.properties.")) {
                kafka.put(path.substring("kafka.properties.".length()), value);
                return this;
            }
            Key key = BY_PATH.get(path);
            if (key == null) {
                throw new IllegalArgumentException("unknown setting '" + path + "'" + suggestion(path)
                        + "; `loopline config --describe` lists every setting");
            }
            try {
                key.apply().accept(this, value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(path + ": '" + value + "' is not a number (default " + key.defaultValue() + ")");
            }
            return this;
        }

        public Builder errorMemory(boolean on) { errorMemoryEnabled = on; return this; }

        private ErrorMemoryConfig errorMemory() {
            ErrorMemoryConfig d = MEMORY;
            return d.withCapacity(memoryCapacity).withNeighbours(memoryK)
                    .withHashing(memoryTables, memoryBits, d.bucketCapacity())
                    .withWeighting(memoryWeight, memoryTemperature, memoryMinSimilarity, d.shrinkage())
                    .withTtlMillis(memoryTtlMillis == 0 ? Long.MAX_VALUE : memoryTtlMillis).withSeed(seed);
        }

        public JobConfig build() {
            ModelKey key = modelKey != null ? modelKey : ModelKey.fromEnvironment().orElse(null);
            LoopSettings loop = new LoopSettings(PolicyFactory.config(policy, seed, tuning), contextFeatures,
                    new FeedbackJoin.Config(rewardWaitMillis, defaultReward, learnLateFeedback, tombstoneMillis,
                            FeedbackJoin.Aggregation.parse(aggregation), FeedbackJoin.Config.DEFAULT_TIMER_GRID_MILLIS),
                    explainRate, errorMemoryEnabled ? errorMemory() : null, keyRetentionMillis, segmentFeatures, key,
                    delivery.equals(JobConfig.LOW_LATENCY), trainingEnabled || analystsEnabled);
            TrainerSettings trainer = new TrainerSettings(modelId, trainBatchExamples, trainMaxWaitMillis,
                    trainMinIntervalMillis, trainReplayCapacity, holdoutEvery, holdoutCapacity,
                    new RewardModelTrainer.Config(trainHidden, trainBatch, trainEpochs, trainLearningRate, seed),
                    PolicyFactory.config(PolicyFactory.SQUARECB, seed, tuning), new PromotionGate.Config(gateMargin, gateMinExamples, 200, 0.95, seed),
                    trainMaxCpuShare, trainPerActionHeads, key);
            return new JobConfig(bootstrap, kafka, new Topics(topicPrefix), delivery, parallelism, checkpointMillis,
                    checkpointDir, stateBackend, metricsWindowMillis, runId, loop, trainer, topicPartitions,
                    topicReplication, stateScope, segmentFeatures, prometheusPort, monitor(), trainingEnabled, analystsEnabled,
                    bufferTimeoutMillis, new Limits(maxRecordBytes, maxFeatures, maxActions, maxClockSkewMillis, maxAgeMillis),
                    new RestartPolicy(restartStrategy, restartDelayMillis, maxRestartDelayMillis));
        }

        private MonitorSettings monitor() {
            DriftDetectorConfig detector = switch (driftDetector) {
                case Adwin.NAME -> Adwin.Config.withDelta(adwinDelta);
                case PageHinkley.NAME -> {
                    PageHinkley.Config d = PageHinkley.Config.defaults();
                    yield new PageHinkley.Config(d.minInstances(), phDelta, phLambda, d.alpha(), d.direction());
                }
                case Ddm.NAME -> new Ddm.Config(Ddm.Config.defaults().minInstances(), ddmDriftLevel * 2 / 3, ddmDriftLevel);
                default -> throw new IllegalArgumentException("monitor.drift.detector '" + driftDetector
                        + "' is unknown; use one of " + DriftDetectorConfig.NAMES);
            };
            DriftAlarm.Config reward = new DriftAlarm.Config(detector,
                    driftRewardRises ? DriftAlarm.Watch.BOTH : DriftAlarm.Watch.FALLS, driftMinEffect, driftCooldownMillis);
            DriftAlarm.Config residual = new DriftAlarm.Config(detector, DriftAlarm.Watch.BOTH, driftMinEffect,
                    driftCooldownMillis);
            return new MonitorSettings(metricsWindowMillis, reward, residual, driftScopes, driftStreams, segmentFeatures,
                    new ContinualEvaluation.Config(stabilityBaseline, stabilityTolerance),
                    new ReplayEvaluation.Config(opeCandidates, opeReference, seed, opeWindow,
                            new Bootstrap.Config(opeResamples, opeLevel, seed), tuning), driftKeyRetentionMillis,
                    opeMaxCpuShare);
        }
    }

    private static String suggestion(String path) {
        String leaf = path.substring(path.lastIndexOf('.') + 1).toLowerCase();
        return BY_PATH.keySet().stream().filter(k -> k.toLowerCase().endsWith("." + leaf)).findFirst()
                .map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    private static int integer(String v) {
        return Integer.parseInt(v.trim());
    }

    private static long longValue(String v) {
        return Long.parseLong(v.trim());
    }

    private static double number(String v) {
        return Double.parseDouble(v.trim());
    }

    private static boolean bool(String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("'" + v + "' is not a boolean; use true or false");
        }
        return Boolean.parseBoolean(v);
    }

    /** Lists arrive as comma-separated text (LoopYaml joins YAML sequences). */
    private static List<String> list(String v) {
        String t = v.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        return t.isBlank() ? List.of() : Arrays.stream(t.split(",")).map(String::trim).toList();
    }
}
