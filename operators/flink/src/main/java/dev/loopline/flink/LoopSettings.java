package dev.loopline.flink;

import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.core.policy.LinUcb;
import dev.loopline.core.policy.SquareCb;
import java.io.Serializable;
import dev.loopline.core.bandit.PolicyFactory;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the loop operators need to know, validated once when the job is built.
 *
 * @param policy            {@code linucb} (per-entity keyed state) or {@code squarecb} (over the reward model)
 * @param seed              root of every random draw
 * @param contextFeatures   context feature names, in order, used by the linear policies
 * @param rewardWaitMillis  how long (event time) a decision waits for its feedback
 * @param defaultReward     reward learned when the wait ends without feedback; {@code null} drops such decisions
 * @param learnLateFeedback whether feedback arriving after the wait still updates the policy
 * @param tombstoneMillis   how long a resolved decision is remembered, so later feedback counts as late, not unknown
 * @param explainRate       share of decisions that carry an explanation (scores, bonus, top features), in [0, 1]
 * @param aggregation       {@code first}: the first feedback is learned at once, later ones count as late;
 *                          {@code sum}: every feedback inside the wait window is summed and learned when it closes
 * @param errorMemory       the error memory that corrects the policy's predicted rewards by its recent
 *                          mistakes on similar contexts (one memory per key and action), or {@code null} for none
 * @param keyRetentionMillis how long (processing time) a key's policy state and error memories outlive its last
 *                          write: an entity gone this long is forgotten, so state does not grow with every entity
 *                          ever seen; 0 keeps them forever
 */
public record LoopSettings(String policy, long seed, List<String> contextFeatures, LinUcb.Config linUcb,
        SquareCb.Config squareCb, long rewardWaitMillis, Double defaultReward, boolean learnLateFeedback,
        long tombstoneMillis, double explainRate, String aggregation, ErrorMemoryConfig errorMemory,
        long keyRetentionMillis) implements Serializable {
    public static final List<String> AGGREGATIONS = List.of("first", "sum");
    /** Thirty days: an entity silent for a month starts afresh. */
    public static final long DEFAULT_KEY_RETENTION_MILLIS = 30L * 24 * 3600 * 1000;

    public LoopSettings(String policy, long seed, List<String> contextFeatures, LinUcb.Config linUcb,
            SquareCb.Config squareCb, long rewardWaitMillis, Double defaultReward, boolean learnLateFeedback,
            long tombstoneMillis, double explainRate) {
        this(policy, seed, contextFeatures, linUcb, squareCb, rewardWaitMillis, defaultReward, learnLateFeedback,
                tombstoneMillis, explainRate, "first", null, DEFAULT_KEY_RETENTION_MILLIS);
    }

    /**
     * {@code linucb} (disjoint LinUCB over the listed context features, arms in keyed map state),
     * {@code squarecb} (over the reward model from the model topic), or any other policy of the suite
     * ({@link PolicyFactory#NAMES}), kept whole per key as a versioned snapshot.
     */
    public static final List<String> POLICIES = java.util.stream.Stream.concat(Stream.of(LinUcb.NAME, SquareCb.NAME),
            PolicyFactory.NAMES.stream().filter(n -> !n.equals(LinUcb.NAME) && !n.equals(SquareCb.NAME))).toList();

    public LoopSettings(String policy, long seed, List<String> contextFeatures, LinUcb.Config linUcb,
            SquareCb.Config squareCb, long rewardWaitMillis, Double defaultReward, boolean learnLateFeedback,
            long tombstoneMillis) {
        this(policy, seed, contextFeatures, linUcb, squareCb, rewardWaitMillis, defaultReward, learnLateFeedback,
                tombstoneMillis, 0.0, "first", null, DEFAULT_KEY_RETENTION_MILLIS);
    }

    /** These settings with the error memory on ({@code null}: off). */
    public LoopSettings withErrorMemory(ErrorMemoryConfig config) {
        return new LoopSettings(policy, seed, contextFeatures, linUcb, squareCb, rewardWaitMillis, defaultReward,
                learnLateFeedback, tombstoneMillis, explainRate, aggregation, config, keyRetentionMillis);
    }

    /** These settings with another key retention (0: forever). */
    public LoopSettings withKeyRetention(long millis) {
        return new LoopSettings(policy, seed, contextFeatures, linUcb, squareCb, rewardWaitMillis, defaultReward,
                learnLateFeedback, tombstoneMillis, explainRate, aggregation, errorMemory, millis);
    }

    public boolean errorMemoryOn() {
        return errorMemory != null;
    }

    public boolean sums() {
        return aggregation.equals("sum");
    }

    /** Whether the policy is one of the suite's, held whole in keyed state. */
    public boolean suitePolicy() {
        return !policy.equals(LinUcb.NAME) && !policy.equals(SquareCb.NAME);
    }

    public LoopSettings {
        if (keyRetentionMillis < 0) {
            throw new IllegalArgumentException("state.keyRetentionMillis " + keyRetentionMillis + " must be 0 (forever) or positive");
        }
        if (!AGGREGATIONS.contains(aggregation)) {
            throw new IllegalArgumentException("feedback aggregation '" + aggregation + "' is unknown; use one of " + AGGREGATIONS);
        }
        if (!(explainRate >= 0 && explainRate <= 1)) {
            throw new IllegalArgumentException("explain rate " + explainRate + " must be in [0, 1] (0 = never, 1 = every decision)");
        }
        if (!POLICIES.contains(policy)) {
            throw new IllegalArgumentException("policy '" + policy + "' is unknown; choose one of " + POLICIES);
        }
        contextFeatures = List.copyOf(contextFeatures);
        if (policy.equals(LinUcb.NAME) && contextFeatures.isEmpty()) {
            throw new IllegalArgumentException("linucb needs the context feature names (features.context)");
        }
        if (rewardWaitMillis < 1 || rewardWaitMillis > 7L * 24 * 3600 * 1000) {
            throw new IllegalArgumentException("reward wait " + rewardWaitMillis + " ms is outside [1 ms, 7 days]");
        }
        if (defaultReward != null && !Double.isFinite(defaultReward)) {
            throw new IllegalArgumentException("default reward must be a finite number or absent (drop), not " + defaultReward);
        }
        if (errorMemory != null && contextFeatures.isEmpty()) {
            throw new IllegalArgumentException("the error memory compares contexts by their features; list them in"
                    + " policy.contextFeatures");
        }
        if (errorMemory != null && policy.equals(PolicyFactory.UNIFORM)) {
            throw new IllegalArgumentException("the uniform policy makes no predictions for an error memory to correct;"
                    + " turn errorMemory.enabled off or choose a learning policy");
        }
        if (tombstoneMillis < 0) {
            throw new IllegalArgumentException("tombstone retention " + tombstoneMillis + " ms must not be negative");
        }
    }
}
