package dev.loopline.jobs.eval;

import dev.loopline.core.model.Mlp;
import dev.loopline.core.train.Demonstrations;
import dev.loopline.core.train.LipschitzPolicyTrainer;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.core.train.TrainingDevice;
import dev.loopline.envs.Environments;
import dev.loopline.envs.control.DemonstrationWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;

/**
 * Training throughput (examples/s) of the two DJL trainers on one device, on fixed batches: the reward model
 * ({@link RewardModelTrainer}: 16 inputs, 64 hidden, 1 output, squared loss) and the control policy
 * ({@link LipschitzPolicyTrainer}: the motor's 5 state features, 64-64 hidden, 9 logits, cross-entropy).
 * Each figure is the extra rows of a long training over its extra time against a one-epoch training, so the
 * setup (network construction, initialisation, export) cancels out; the median of {@code repeats} pairs
 * after one warm-up pair. The same {@link Workload} on two devices trains on the same batches in the same order.
 */
public final class TrainingThroughput {
    public static final int BATCH = 256;

    private TrainingThroughput() {}

    /**
     * One measured figure.
     *
     * @param exportMaxError  the largest difference between the plain-Java export and the device's forward pass
     * @param exportAgreement the least share of probe rows where the served export decides as the device network
     *                        (the policy's export is certified, so it may differ slightly; the reward model's is 1)
     */
    public record Figure(String model, String device, double examplesPerSecond, long[] runs, double exportMaxError,
            double exportAgreement) {}

    /** Rows for the reward model (12 context features in [-1, 1] and a one-hot over 4 actions) and motor demonstrations. */
    public record Workload(float[][] x, float[] y, Demonstrations motor, int epochs) {
        public int rows() {
            return x.length;
        }
    }

    public static Workload workload(int rows, int epochs) throws IOException {
        if (rows < BATCH || epochs < 2) {
            throw new IllegalArgumentException("need at least " + BATCH + " rows and 2 epochs, got " + rows + " and " + epochs);
        }
        float[][] x = rewardInputs(rows, 5);
        StringWriter csv = new StringWriter();
        DemonstrationWriter.write(Environments.createControl("motor", 1), rows, 0, 10, csv);
        Demonstrations motor = Demonstrations.parse(new StringReader(csv.toString()), "motor").withActionCount(9);
        return new Workload(x, rewardTargets(x), motor, epochs);
    }

    /** Trains the reward model once with the workload's epochs; the network the device serves. */
    public static RewardModelTrainer.Result trainRewardModel(Workload w, TrainingDevice device) {
        return new RewardModelTrainer(rewardConfig(w.epochs()), device).train(w.x(), w.y(), 1);
    }

    public static Figure rewardModel(Workload w, TrainingDevice device, int repeats) {
        double[] exportError = {0};
        Figure f = measure("reward model 16-64-1", device.resolve().toString(), w.rows(), w.epochs(), repeats, e -> {
            RewardModelTrainer trainer = new RewardModelTrainer(rewardConfig(e), device);
            long start = System.nanoTime();
            RewardModelTrainer.Result r = trainer.train(w.x(), w.y(), 1);
            exportError[0] = Math.max(exportError[0], r.exportMaxError());
            return System.nanoTime() - start;
        });
        return new Figure(f.model(), f.device(), f.examplesPerSecond(), f.runs(), exportError[0], 1.0);
    }

    /** The motor policy, spectrally bounded at {@code bound} (Infinity: unconstrained). */
    public static Figure policy(Workload w, double bound, TrainingDevice device, int repeats) {
        LipschitzPolicyTrainer.Config base = LipschitzPolicyTrainer.Config.defaults(bound, 1);
        String name = "policy 5-64-64-9, " + (Double.isInfinite(bound) ? "unconstrained" : "bound " + (int) bound);
        double[] exportError = {0};
        double[] agreement = {1};
        Figure f = measure(name, device.resolve().toString(), w.rows(), w.epochs(), repeats, e -> {
            LipschitzPolicyTrainer trainer = new LipschitzPolicyTrainer(base.withEpochs(e), device);
            long start = System.nanoTime();
            LipschitzPolicyTrainer.Result r = trainer.train(w.motor());
            exportError[0] = Math.max(exportError[0], r.exportMaxError());
            agreement[0] = Math.min(agreement[0], r.exportAgreement());
            return System.nanoTime() - start;
        });
        return new Figure(f.model(), f.device(), f.examplesPerSecond(), f.runs(), exportError[0], agreement[0]);
    }

    /**
     * How two reward models decide: the share of contexts (the workload's rows, every one of the 4 actions
     * offered) where both pick the same action, and the largest score difference over all (context, action).
     */
    public record Agreement(double decisions, double maxScoreDifference) {}

    public static Agreement agreement(Mlp a, Mlp b, Workload w) {
        int same = 0;
        double maxDiff = 0;
        double[] row = new double[16];
        for (float[] x : w.x()) {
            int bestA = 0;
            int bestB = 0;
            double scoreA = Double.NEGATIVE_INFINITY;
            double scoreB = Double.NEGATIVE_INFINITY;
            for (int action = 0; action < 4; action++) {
                for (int i = 0; i < 12; i++) {
                    row[i] = x[i];
                }
                Arrays.fill(row, 12, 16, 0);
                row[12 + action] = 1;
                double sa = a.score(row);
                double sb = b.score(row);
                maxDiff = Math.max(maxDiff, Math.abs(sa - sb));
                if (sa > scoreA) {
                    scoreA = sa;
                    bestA = action;
                }
                if (sb > scoreB) {
                    scoreB = sb;
                    bestB = action;
                }
            }
            if (bestA == bestB) {
                same++;
            }
        }
        return new Agreement((double) same / w.rows(), maxDiff);
    }

    private static RewardModelTrainer.Config rewardConfig(int epochs) {
        return new RewardModelTrainer.Config(64, BATCH, epochs, 0.005f, 1);
    }

    private static Figure measure(String name, String device, int rows, int epochs, int repeats, IntToLongFunction trainNanos) {
        trainNanos.applyAsLong(epochs); // warm-up: native library, JIT, device memory
        trainNanos.applyAsLong(1);
        double[] rates = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long longRun = trainNanos.applyAsLong(epochs);
            long shortRun = trainNanos.applyAsLong(1);
            // On a tiny workload a noisy machine can make the long run no longer than the short one; the
            // whole long run (setup included) then gives a lower bound instead of a negative rate.
            rates[i] = longRun > shortRun ? (double) rows * (epochs - 1) / ((longRun - shortRun) / 1e9)
                    : (double) rows * epochs / (longRun / 1e9);
        }
        long[] runs = Arrays.stream(rates).mapToLong(Math::round).toArray();
        Arrays.sort(rates);
        return new Figure(name, device, rates[repeats / 2], runs, 0, 1);
    }

    static float[][] rewardInputs(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[rows][16];
        for (float[] row : x) {
            for (int i = 0; i < 12; i++) {
                row[i] = (float) r.nextDouble(-1, 1);
            }
            row[12 + r.nextInt(4)] = 1;
        }
        return x;
    }

    /** An interaction of context and action, as a reward model has to learn. */
    static float[] rewardTargets(float[][] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.5f + 0.3f * x[i][0] * (x[i][12] - x[i][13]) + 0.2f * x[i][1] * x[i][14];
        }
        return y;
    }
}
