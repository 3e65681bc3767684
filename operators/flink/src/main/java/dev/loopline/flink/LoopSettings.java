package dev.loopline.flink;

import dev.loopline.core.bandit.PolicyConfig;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.PolicyTuning;
import dev.loopline.core.join.FeedbackJoin;
import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.state.ModelKey;
import java.io.Serializable;
import java.util.List;

/**
 * What the decide-and-learn operator needs to know, validated once when the job is built.
 *
 * @param policy             the policy, built by {@link PolicyFactory#config} from {@code loop.yaml}: one that
 *                           learns is kept per key in keyed state; one serving the trainer's reward model
 *                           ({@code squarecb}) is shared by all keys
 * @param contextFeatures    context feature names, in order, that the error memory compares contexts by
 * @param join               how decisions wait for their feedback and what a late or missing one means
 * @param explainRate        share of decisions that carry an explanation (scores, bonus), in [0, 1]
 * @param errorMemory        the error memory that corrects the policy's predicted rewards by its recent mistakes on
 *                           similar contexts (one memory per key and action), or {@code null} for none
 * @param keyRetentionMillis how long (processing time) a key's policy state and error memories outlive its last
 *                           write: an entity gone this long is forgotten, so state does not grow with every entity
 *                           ever seen; 0 keeps them forever
 * @param segmentFeatures    context features whose values name an outcome's segment for the drift detectors; none:
 *                           outcomes carry no segment
 * @param modelKey           the key model versions must be signed with to serve ({@link ModelKey}), or null when
 *                           versions are not signed
 * @param modelSwapsAtCheckpoints a new serving version takes over at the next checkpoint barrier instead of at once:
 *                           for low-latency decisions, whose replay after a restore is visible, so that a replayed
 *                           event is decided with the version that decided it the first time
 * @param examplesRead       whether anything after the join reads whole joined examples (the trainer, the off-policy
 *                           evaluation): when nothing does, and neither the policy nor the error memory learns from
 *                           the context, a waiting decision keeps only what its outcome's projection needs
 */
public record LoopSettings(PolicyConfig policy, List<String> contextFeatures, FeedbackJoin.Config join,
        double explainRate, ErrorMemoryConfig errorMemory, long keyRetentionMillis, List<String> segmentFeatures,
        ModelKey modelKey, boolean modelSwapsAtCheckpoints, boolean examplesRead) implements Serializable {
    /** Thirty days: an entity silent for a month starts afresh. */
    public static final long DEFAULT_KEY_RETENTION_MILLIS = 30L * 24 * 3600 * 1000;

    public LoopSettings {
        if (keyRetentionMillis < 0) {
            throw new IllegalArgumentException("state.keyRetentionMillis " + keyRetentionMillis + " must be 0 (forever) or positive");
        }
        if (!(explainRate >= 0 && explainRate <= 1)) {
            throw new IllegalArgumentException("explain rate " + explainRate + " must be in [0, 1] (0 = never, 1 = every decision)");
        }
        contextFeatures = List.copyOf(contextFeatures);
        segmentFeatures = List.copyOf(segmentFeatures);
        if (errorMemory != null && contextFeatures.isEmpty()) {
            throw new IllegalArgumentException("the error memory compares contexts by their features; list them in"
                    + " policy.contextFeatures");
        }
        if (errorMemory != null && policy.name().equals(PolicyFactory.UNIFORM)) {
            throw new IllegalArgumentException("the uniform policy makes no predictions for an error memory to correct;"
                    + " turn errorMemory.enabled off or choose a learning policy");
        }
    }

    /**
     * The named policy with its defaults, first feedback joins, no explanations, no error memory, the default
     * key retention.
     */
    public static LoopSettings of(String policy, long seed, List<String> contextFeatures, long rewardWaitMillis,
            Double defaultReward, boolean learnLateFeedback, long tombstoneMillis) {
        return new LoopSettings(PolicyFactory.config(policy, seed, PolicyTuning.DEFAULTS), contextFeatures,
                new FeedbackJoin.Config(rewardWaitMillis, defaultReward, learnLateFeedback, tombstoneMillis,
                        FeedbackJoin.Aggregation.FIRST, FeedbackJoin.Config.DEFAULT_TIMER_GRID_MILLIS),
                0.0, null, DEFAULT_KEY_RETENTION_MILLIS, List.of(), null, false, true);
    }

    public LoopSettings withPolicy(PolicyConfig config) {
        return new LoopSettings(config, contextFeatures, join, explainRate, errorMemory, keyRetentionMillis, segmentFeatures, modelKey, modelSwapsAtCheckpoints, examplesRead);
    }

    /** These settings with the error memory on ({@code null}: off). */
    public LoopSettings withErrorMemory(ErrorMemoryConfig config) {
        return new LoopSettings(policy, contextFeatures, join, explainRate, config, keyRetentionMillis, segmentFeatures, modelKey, modelSwapsAtCheckpoints, examplesRead);
    }

    /** These settings with another key retention (0: forever). */
    public LoopSettings withKeyRetention(long millis) {
        return new LoopSettings(policy, contextFeatures, join, explainRate, errorMemory, millis, segmentFeatures, modelKey, modelSwapsAtCheckpoints, examplesRead);
    }

    public LoopSettings withExplainRate(double rate) {
        return new LoopSettings(policy, contextFeatures, join, rate, errorMemory, keyRetentionMillis, segmentFeatures, modelKey, modelSwapsAtCheckpoints, examplesRead);
    }

    public LoopSettings withAggregation(FeedbackJoin.Aggregation aggregation) {
        return new LoopSettings(policy, contextFeatures, new FeedbackJoin.Config(join.waitMillis(), join.defaultReward(),
                join.learnLate(), join.tombstoneMillis(), aggregation, join.timerGridMillis()), explainRate, errorMemory,
                keyRetentionMillis, segmentFeatures, modelKey, modelSwapsAtCheckpoints, examplesRead);
    }

    /** These settings with model versions required to be signed with {@code key} (null: not required). */
    public LoopSettings withModelKey(ModelKey key) {
        return new LoopSettings(policy, contextFeatures, join, explainRate, errorMemory, keyRetentionMillis,
                segmentFeatures, key, modelSwapsAtCheckpoints, examplesRead);
    }

    /** These settings with serving versions taking over at checkpoint barriers (true) or at once (false). */
    public LoopSettings withModelSwapsAtCheckpoints(boolean atCheckpoints) {
        return new LoopSettings(policy, contextFeatures, join, explainRate, errorMemory, keyRetentionMillis,
                segmentFeatures, modelKey, atCheckpoints, examplesRead);
    }

    /** These settings with whole joined examples read after the join (true) or only their projections (false). */
    public LoopSettings withExamplesRead(boolean read) {
        return new LoopSettings(policy, contextFeatures, join, explainRate, errorMemory, keyRetentionMillis,
                segmentFeatures, modelKey, modelSwapsAtCheckpoints, read);
    }

    public boolean errorMemoryOn() {
        return errorMemory != null;
    }

    public long seed() {
        return policy.seed();
    }

    public long rewardWaitMillis() {
        return join.waitMillis();
    }

    public Double defaultReward() {
        return join.defaultReward();
    }

    public long tombstoneMillis() {
        return join.tombstoneMillis();
    }
}
