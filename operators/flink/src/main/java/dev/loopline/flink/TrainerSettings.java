package dev.loopline.flink;

import dev.loopline.core.model.PromotionGate;
import dev.loopline.core.bandit.PolicyConfig;
import dev.loopline.core.bandit.ServingModelScorer;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.state.ModelKey;
import java.io.Serializable;

/**
 * When and how the model-update operator trains, and how it gates a candidate before promotion.
 *
 * @param modelId           the key of the published versions on the model topic
 * @param batchExamples     train as soon as this many new joined examples arrived...
 * @param maxWaitMillis     ...or this long after the previous training started, if any example arrived
 * @param minIntervalMillis never start trainings closer together than this
 * @param replayCapacity    the most recent training examples kept; each training draws from all of them
 * @param holdoutEvery      every n-th decision (by id) is held out of training and used by the gate
 * @param holdoutCapacity   the most recent held-out decisions kept for the gate
 * @param network           the reward network and its training
 * @param policy            the policy the published model will serve, over the served model (the gate values
 *                          it off-policy on the held-out decisions)
 * @param gate              the promotion gate
 * @param perActionHeads    the network has one output per action (shared hidden layer, inputs standardised)
 *                          instead of one output for a row that names the action among its inputs
 * @param maxCpuShare       the most of one core that training and gating may take over time: after a round of
 *                          {@code d} ms the next starts no sooner than {@code d / maxCpuShare} ms after it
 *                          started, so the decision path keeps the CPU it needs
 * @param modelKey          the key the published versions are signed with, and an incumbent must be signed with
 *                          ({@link ModelKey}); null when versions are not signed
 */
public record TrainerSettings(String modelId, int batchExamples, long maxWaitMillis, long minIntervalMillis,
        int replayCapacity, int holdoutEvery, int holdoutCapacity, RewardModelTrainer.Config network,
        PolicyConfig policy, PromotionGate.Config gate, double maxCpuShare, boolean perActionHeads, ModelKey modelKey)
        implements Serializable {
    public TrainerSettings {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("model id must not be blank");
        }
        if (!(policy.scorer() instanceof ServingModelScorer.Config)) {
            throw new IllegalArgumentException("the trainer's models are served by a policy over the served model"
                    + " (squarecb), not by " + policy.name());
        }
        if (batchExamples < 1) {
            throw new IllegalArgumentException("trainer batchExamples=" + batchExamples + " must be at least 1");
        }
        if (maxWaitMillis < 1 || minIntervalMillis < 0 || minIntervalMillis > maxWaitMillis) {
            throw new IllegalArgumentException("trainer wait settings must satisfy 0 <= minIntervalMillis ("
                    + minIntervalMillis + ") <= maxWaitMillis (" + maxWaitMillis + ") and maxWaitMillis >= 1");
        }
        if (replayCapacity < batchExamples || replayCapacity > 5_000_000) {
            throw new IllegalArgumentException("trainer replayCapacity=" + replayCapacity
                    + " must be in [batchExamples, 5000000]");
        }
        if (holdoutEvery < 2) {
            throw new IllegalArgumentException("trainer holdoutEvery=" + holdoutEvery + " must be at least 2 (5 holds out 20 %)");
        }
        if (holdoutCapacity < 1) {
            throw new IllegalArgumentException("trainer holdoutCapacity=" + holdoutCapacity + " must be at least 1");
        }
        if (!(maxCpuShare > 0 && maxCpuShare <= 1)) {
            throw new IllegalArgumentException("training.maxCpuShare=" + maxCpuShare + " must be in (0, 1]");
        }
    }
}
