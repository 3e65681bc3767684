package dev.loopline.core.train;

import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.model.ServingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rows a reward model trains on, built from bandit outcomes: the layout (every context feature, action
 * feature and chosen action id the outcomes carry, sorted, so equal data give equal layouts) and one row
 * per outcome. With one output per action a row holds the context and the chosen action's features and
 * names its head; otherwise it also holds the action's identity.
 *
 * @param heads per row, the chosen action's head among {@code layout.headIds()}; null for one-output rows
 */
public record RewardBatch(FeatureLayout layout, float[][] x, float[] y, int[] heads) {
    /** One bandit outcome: what was offered, which was chosen, what it earned. */
    public record Outcome(DecisionInput input, int chosen, double reward) {}

    public static RewardBatch of(List<Outcome> outcomes, boolean perActionHeads) {
        TreeSet<String> contextNames = new TreeSet<>();
        TreeSet<String> actionNames = new TreeSet<>();
        TreeSet<String> actionIds = new TreeSet<>();
        for (Outcome o : outcomes) {
            contextNames.addAll(o.input().context().keySet());
            Map<String, Double> own = o.input().actionFeatures().get(o.chosen());
            if (own != null) {
                actionNames.addAll(own.keySet());
            }
            actionIds.add(o.input().actionIds().get(o.chosen()));
        }
        FeatureLayout layout = FeatureLayout.ofContextAndActions(new ArrayList<>(contextNames),
                new ArrayList<>(actionNames), new ArrayList<>(actionIds));
        float[][] x = new float[outcomes.size()][];
        float[] y = new float[outcomes.size()];
        int[] heads = perActionHeads ? new int[outcomes.size()] : null;
        double[] row = new double[perActionHeads ? layout.inputDimension() : layout.dimension()];
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            String action = o.input().actionIds().get(o.chosen());
            Map<String, Double> features = o.input().actionFeatures().get(o.chosen());
            if (perActionHeads) {
                layout.vectorizeInputs(o.input().context(), features, row);
                heads[i] = layout.headIndex(action);
            } else {
                layout.vectorize(o.input().context(), action, features, row);
            }
            x[i] = new float[row.length];
            for (int j = 0; j < row.length; j++) {
                x[i][j] = (float) row[j];
            }
            y[i] = (float) o.reward();
        }
        return new RewardBatch(layout, x, y, heads);
    }

    /**
     * Trains this batch's network: one output per action when the rows name heads (continuing from {@code
     * from} when it is given and has this batch's shape), else one output per row.
     */
    public RewardModelTrainer.Result train(RewardModelTrainer trainer, long round, ServingModel from) {
        if (heads == null) {
            return trainer.train(x, y, round);
        }
        return trainer.trainPerAction(x, heads, layout.headIds().size(), y, round, continuesFrom(from) ? from.network() : null);
    }

    /** Whether training continues from {@code from}: a per-action network reading exactly this batch's inputs. */
    public boolean continuesFrom(ServingModel from) {
        return heads != null && from != null && from.perActionHeads() && from.layout().names().equals(layout.names());
    }
}
