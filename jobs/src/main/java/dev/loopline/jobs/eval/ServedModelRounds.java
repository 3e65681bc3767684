package dev.loopline.jobs.eval;

import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.ServingModelScorer;
import dev.loopline.core.model.ServingModel;
import dev.loopline.core.train.RewardBatch;
import dev.loopline.core.train.RewardModelTrainer;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * The loop's training rounds, synchronous, for offline evaluation of a policy that serves a reward model
 * ({@code squarecb}): every {@value #RETRAIN_EVERY} outcomes a network is trained on the most recent
 * {@value #REPLAY} (the job's {@code training.batchExamples} and {@code training.replayCapacity} defaults),
 * continuing from the one serving, and served from the next decision on. No promotion gate: every trained
 * network serves.
 */
final class ServedModelRounds {
    static final int RETRAIN_EVERY = 1000;
    static final int REPLAY = 20_000;

    private final ServingModelScorer scorer;
    private final RewardModelTrainer trainer;
    private final ArrayDeque<RewardBatch.Outcome> replay = new ArrayDeque<>();
    private ServingModel serving;
    private int fresh;
    private long round;

    ServedModelRounds(BanditPolicy policy, long seed) {
        this.scorer = (ServingModelScorer) policy.scorer();
        this.trainer = new RewardModelTrainer(RewardModelTrainer.Config.defaults(seed));
    }

    void learn(DecisionInput input, int chosen, double reward) {
        replay.addLast(new RewardBatch.Outcome(input, chosen, reward));
        if (replay.size() > REPLAY) {
            replay.removeFirst();
        }
        if (++fresh >= RETRAIN_EVERY) {
            fresh = 0;
            RewardBatch batch = RewardBatch.of(new ArrayList<>(replay), true);
            RewardModelTrainer.Result result = batch.train(trainer, ++round, serving);
            serving = new ServingModel(round, batch.layout(), result.network(), batch.y().length);
            scorer.use(serving);
        }
    }
}
