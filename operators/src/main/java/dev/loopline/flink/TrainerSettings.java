package dev.loopline.flink;

import dev.loopline.core.train.RewardModelTrainer;
import java.io.Serializable;

/**
 * When and how the model-update operator trains.
 *
 * @param modelId            the key of the published versions on the model topic
 * @param minNewExamples     train once at least this many new joined examples arrived...
 * @param minIntervalMillis  ...and at least this long after the previous training started
 * @param replayCapacity     the most recent examples kept; every training step draws from them
 */
public record TrainerSettings(String modelId, int minNewExamples, long minIntervalMillis, int replayCapacity,
        RewardModelTrainer.Config network) implements Serializable {
    public TrainerSettings {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("model id must not be blank");
        }
        if (minNewExamples < 1) {
            throw new IllegalArgumentException("trainer minNewExamples=" + minNewExamples + " must be at least 1");
        }
        if (minIntervalMillis < 0) {
            throw new IllegalArgumentException("trainer minIntervalMillis=" + minIntervalMillis + " must not be negative");
        }
        if (replayCapacity < minNewExamples || replayCapacity > 5_000_000) {
            throw new IllegalArgumentException("trainer replayCapacity=" + replayCapacity
                    + " must be in [minNewExamples, 5000000]");
        }
    }
}
