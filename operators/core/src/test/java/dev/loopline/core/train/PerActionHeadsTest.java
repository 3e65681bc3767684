package dev.loopline.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.model.Checksums;
import dev.loopline.core.model.Mlp;
import dev.loopline.core.model.ModelAcceptance;
import dev.loopline.core.model.ServingModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reward model with one output per action against the one-output network the loop trained before,
 * on bandit feedback of a classification task: 8 features on scales from 1 to 1,000, 5 actions, reward 1
 * when the action is the context's class ({@code argmax W x}), decisions logged uniformly (one action's
 * reward per context, as a bandit learns). Both networks see the same rows and configuration; quality is
 * the held-out accuracy of acting greedily on the predictions.
 */
class PerActionHeadsTest {
    static final int D = 8;
    static final int K = 5;
    static final int TRAIN = 4_000;
    static final int TEST = 1_000;
    static final RewardModelTrainer.Config CONFIG = RewardModelTrainer.Config.defaults(5);
    static final List<String> CONTEXT = List.of("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7");
    static final List<String> ACTIONS = List.of("a0", "a1", "a2", "a3", "a4");

    static RewardModelTrainer trainer;
    static double[][] w = new double[K][D];
    static double[][] trainContexts;
    static int[] trainActions;
    static double[][] testContexts;

    @BeforeAll
    static void data() {
        trainer = new RewardModelTrainer(CONFIG);
        SplittableRandom r = new SplittableRandom(42);
        for (double[] row : w) {
            for (int j = 0; j < D; j++) {
                row[j] = r.nextGaussian();
            }
        }
        trainContexts = contexts(r, TRAIN);
        trainActions = new int[TRAIN];
        for (int i = 0; i < TRAIN; i++) {
            trainActions[i] = r.nextInt(K);
        }
        testContexts = contexts(r, TEST);
    }

    static double scale(int j) {
        return Math.pow(10, j % 4);
    }

    static double[][] contexts(SplittableRandom r, int n) {
        double[][] x = new double[n][D];
        for (double[] row : x) {
            for (int j = 0; j < D; j++) {
                row[j] = r.nextGaussian() * scale(j);
            }
        }
        return x;
    }

    static int label(double[] x) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < K; a++) {
            double s = 0;
            for (int j = 0; j < D; j++) {
                s += w[a][j] * x[j] / scale(j);
            }
            if (s > bestScore) {
                bestScore = s;
                best = a;
            }
        }
        return best;
    }

    static Map<String, Double> map(double[] x) {
        Map<String, Double> m = new HashMap<>();
        for (int j = 0; j < D; j++) {
            m.put(CONTEXT.get(j), x[j]);
        }
        return m;
    }

    /** Held-out accuracy of acting greedily on the served model's scores. */
    static double accuracy(ServingModel model) {
        int right = 0;
        List<Map<String, Double>> none = java.util.Collections.nCopies(K, Map.of());
        for (double[] x : testContexts) {
            double[] scores = model.scoreAll(map(x), ACTIONS, none);
            int best = 0;
            for (int a = 1; a < K; a++) {
                best = scores[a] > scores[best] ? a : best;
            }
            right += best == label(x) ? 1 : 0;
        }
        return (double) right / testContexts.length;
    }

    @Test
    void oneOutputPerActionLearnsTheClassesFarBetterFromTheSameBanditRows() {
        FeatureLayout layout = FeatureLayout.ofContextAndActions(CONTEXT, List.of(), ACTIONS);
        float[][] inputs = new float[TRAIN][];
        float[][] rows = new float[TRAIN][];
        int[] heads = new int[TRAIN];
        float[] y = new float[TRAIN];
        for (int i = 0; i < TRAIN; i++) {
            String action = ACTIONS.get(trainActions[i]);
            inputs[i] = floats(layout, map(trainContexts[i]), null, true);
            rows[i] = floats(layout, map(trainContexts[i]), action, false);
            heads[i] = layout.headIndex(action);
            y[i] = trainActions[i] == label(trainContexts[i]) ? 1 : 0;
        }
        RewardModelTrainer.Result perAction = trainer.trainPerAction(inputs, heads, K, y, 1);
        RewardModelTrainer.Result single = trainer.train(rows, y, 1);
        ServingModel headsModel = served(Mlp.HEADS_FORMAT, layout, perAction.network());
        ServingModel rowModel = served(Mlp.FORMAT, layout, single.network());
        double headsAccuracy = accuracy(headsModel);
        double rowAccuracy = accuracy(rowModel);
        System.out.printf("Held-out greedy accuracy from %d uniform bandit rows: one output per action %.3f, one output"
                + " per row %.3f (uniform %.3f); export error %.2g%n", TRAIN, headsAccuracy, rowAccuracy, 1.0 / K,
                perAction.exportMaxError());
        assertTrue(perAction.exportMaxError() < 1e-3, "the folded standardisation serves what was trained: "
                + perAction.exportMaxError());
        assertTrue(headsAccuracy > 0.7, "one output per action: " + headsAccuracy);
        assertTrue(headsAccuracy > rowAccuracy + 0.1, "per action " + headsAccuracy + " vs per row " + rowAccuracy);

        // The next round continues from this network on the same rows, with half the steps: it starts
        // where this one ended (its first epoch's loss is no worse than this one's last) and does not lose it.
        RewardModelTrainer.Result next = trainer.trainPerAction(inputs, heads, K, y, 2, perAction.network());
        double continued = accuracy(served(Mlp.HEADS_FORMAT, layout, next.network()));
        System.out.printf("continued for %d steps (fresh: %d): accuracy %.3f, final loss %.4f (fresh %.4f)%n",
                next.steps(), perAction.steps(), continued, next.finalLoss(), perAction.finalLoss());
        int batches = (TRAIN + CONFIG.batchSize() - 1) / CONFIG.batchSize();
        assertEquals((long) trainer.epochs(TRAIN, false) * batches, perAction.steps());
        assertEquals((long) trainer.epochs(TRAIN, true) * batches, next.steps(), "fewer steps when continuing");
        assertTrue(next.finalLoss() <= perAction.finalLoss() * 1.05, next.finalLoss() + " vs " + perAction.finalLoss());
        assertTrue(continued > headsAccuracy - 0.03, "continued " + continued + " vs " + headsAccuracy);
    }

    /** Through the model topic's acceptance, as the decision operator receives a version. */
    static ServingModel served(String format, FeatureLayout layout, Mlp network) {
        byte[] parameters = network.encode();
        ModelAcceptance.Verdict verdict = ModelAcceptance.check(1, format, parameters, Checksums.sha256Hex(parameters),
                layout.names(), layout.dimension(), TRAIN);
        assertTrue(verdict.accepted(), String.valueOf(verdict.refusal()));
        return verdict.model();
    }

    @Test
    void acceptanceTellsTheTwoFormatsApartAndRefusesAMismatch() {
        FeatureLayout layout = FeatureLayout.ofContextAndActions(CONTEXT, List.of(), ACTIONS);
        Mlp heads = new Mlp(new int[] {D}, new int[] {K + 1}, new float[][] {new float[D * (K + 1)]},
                new float[][] {new float[K + 1]});
        byte[] parameters = heads.encode();
        String sha = Checksums.sha256Hex(parameters);
        assertTrue(ModelAcceptance.check(1, Mlp.HEADS_FORMAT, parameters, sha, layout.names(), layout.dimension(), 1).accepted());
        ModelAcceptance.Verdict asRows = ModelAcceptance.check(1, Mlp.FORMAT, parameters, sha, layout.names(),
                layout.dimension(), 1);
        assertTrue(asRows.refusal().contains("network takes 8 inputs but the input schema has dimension 13"), asRows.refusal());
        List<String> fewerActions = new ArrayList<>(CONTEXT);
        fewerActions.add("action=a0");
        ModelAcceptance.Verdict wrongHeads = ModelAcceptance.check(1, Mlp.HEADS_FORMAT, parameters, sha, fewerActions,
                fewerActions.size(), 1);
        assertTrue(wrongHeads.refusal().contains("gives 6 outputs"), wrongHeads.refusal());
    }

    @Test
    void anActionScoresTheSharedOutputPlusItsCorrectionAndANewOneTheSharedOutputAlone() {
        FeatureLayout layout = FeatureLayout.ofContextAndActions(List.of("x"), List.of(), List.of("a", "b"));
        Mlp network = new Mlp(new int[] {1}, new int[] {3}, new float[][] {{0.5f, 1f, 2f}}, new float[][] {{1f, 0f, 1f}});
        ServingModel model = new ServingModel(1, layout, network, 10);
        double[] scores = model.scoreAll(Map.of("x", 3.0), List.of("a", "b", "new"), List.of(Map.of(), Map.of(), Map.of()));
        assertEquals(2.5 + 3.0, scores[0], 1e-9);
        assertEquals(2.5 + 7.0, scores[1], 1e-9);
        assertEquals(2.5, scores[2], 1e-9, "an action the model never saw scores the shared output");
    }

    static float[] floats(FeatureLayout layout, Map<String, Double> context, String action, boolean inputsOnly) {
        double[] row = new double[inputsOnly ? layout.inputDimension() : layout.dimension()];
        if (inputsOnly) {
            layout.vectorizeInputs(context, Map.of(), row);
        } else {
            layout.vectorize(context, action, Map.of(), row);
        }
        float[] out = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (float) row[j];
        }
        return out;
    }
}
