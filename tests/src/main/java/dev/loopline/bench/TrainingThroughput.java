package dev.loopline.bench;

import dev.loopline.core.train.Demonstrations;
import dev.loopline.core.train.LipschitzPolicyTrainer;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.envs.Environments;
import dev.loopline.envs.control.DemonstrationWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;

/**
 * Training throughput (examples/s) at batch 256 of the reward model ({@link RewardModelTrainer}: 16
 * inputs, 64 hidden, 1 output, squared loss) and the control policy ({@link LipschitzPolicyTrainer}: the
 * motor's 5 state features, 64-64 hidden, 9 logits, cross-entropy, with and without the spectral
 * projection), on whatever device the trainers pick (the CPU unless a GPU is visible). Each figure is
 * the extra rows of a long training over its extra time against a one-epoch training, so the setup
 * (network construction, initialisation, export) cancels out; the median of {@code REPEATS} pairs
 * after one warm-up pair. Run with {@code DJL_OFFLINE=true OMP_NUM_THREADS=1} like the launcher, e.g.
 * <pre>java -cp "tests/target/classes:$(cat jobs/target/classpath.txt):..." dev.loopline.bench.TrainingThroughput [ROWS] [EPOCHS]</pre>
 */
public final class TrainingThroughput {
    static final int BATCH = 256;
    static final int REPEATS = 5;

    private TrainingThroughput() {}

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        float[][] x = rewardInputs(rows);
        float[] y = rewardTargets(x);
        Demonstrations motor = motorDemonstrations(rows);
        System.out.printf(Locale.ROOT, "training throughput at batch %d, %d rows, %d vs 1 epochs, median of %d (OMP_NUM_THREADS=%s)%n",
                BATCH, rows, epochs, REPEATS, System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        report("reward model 16-64-1", rows, epochs, e -> {
            RewardModelTrainer trainer = new RewardModelTrainer(new RewardModelTrainer.Config(64, BATCH, e, 0.005f, 1));
            return timed(() -> trainer.train(x, y, 1));
        }, new RewardModelTrainer(RewardModelTrainer.Config.defaults(1)).device());
        for (double bound : new double[] {30, Double.POSITIVE_INFINITY}) {
            String name = "policy 5-64-64-9, " + (Double.isInfinite(bound) ? "unconstrained" : "bound " + (int) bound);
            LipschitzPolicyTrainer.Config base = LipschitzPolicyTrainer.Config.defaults(bound, 1);
            report(name, rows, epochs, e -> {
                LipschitzPolicyTrainer trainer = new LipschitzPolicyTrainer(base.withEpochs(e));
                return timed(() -> trainer.train(motor));
            }, new LipschitzPolicyTrainer(base).device());
        }
    }

    /** Prints examples/s from nanosecond timings of {@code epochs}- and 1-epoch trainings. */
    static void report(String name, int rows, int epochs, IntToLongFunction trainNanos, String device) {
        trainNanos.applyAsLong(epochs); // warm-up: native library, JIT
        trainNanos.applyAsLong(1);
        double[] rates = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long longRun = trainNanos.applyAsLong(epochs);
            long shortRun = trainNanos.applyAsLong(1);
            rates[i] = (double) rows * (epochs - 1) / ((longRun - shortRun) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "%-34s on %-6s %,10.0f examples/s (runs: %s)%n", name, device, rates[REPEATS / 2],
                Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()));
    }

    static long timed(Runnable run) {
        long start = System.nanoTime();
        run.run();
        return System.nanoTime() - start;
    }

    /** 12 context features in [-1, 1] and a one-hot over 4 actions. */
    static float[][] rewardInputs(int rows) {
        SplittableRandom r = new SplittableRandom(5);
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

    static Demonstrations motorDemonstrations(int rows) throws IOException {
        StringWriter csv = new StringWriter();
        DemonstrationWriter.write(Environments.createControl("motor", 1), rows, 0, 10, csv);
        return Demonstrations.parse(new StringReader(csv.toString()), "motor").withActionCount(9);
    }
}
