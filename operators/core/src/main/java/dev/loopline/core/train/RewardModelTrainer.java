package dev.loopline.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.loopline.core.model.Mlp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the reward model (input -> hidden ReLU -> 1, squared loss, Adam) with DJL on the PyTorch
 * engine and exports it as an {@link Mlp}. The device is chosen once, at construction ({@link
 * TrainingDevice}: by default the first GPU when the engine reports one, else the CPU). All native memory
 * lives inside one {@link #train} call. For a fixed seed on the CPU the result is bit-for-bit repeatable.
 * Every export is checked against the trained network on the device: {@link Result#exportMaxError} is the
 * largest difference between the plain-Java network's score and the device's own forward pass on up to
 * {@value #PROBE_ROWS} training rows.
 */
public final class RewardModelTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(RewardModelTrainer.class);

    public record Config(int hiddenUnits, int batchSize, int epochs, float learningRate, long seed) implements java.io.Serializable {
        public Config {
            if (hiddenUnits < 1 || hiddenUnits > 4096) {
                throw new IllegalArgumentException("hiddenUnits=" + hiddenUnits + " must be in [1, 4096]; 64 is plenty for tabular rewards");
            }
            if (batchSize < 1 || batchSize > 65536) {
                throw new IllegalArgumentException("batchSize=" + batchSize + " must be in [1, 65536]; try 256");
            }
            if (epochs < 1 || epochs > 1000) {
                throw new IllegalArgumentException("epochs=" + epochs + " must be in [1, 1000]");
            }
            if (!(learningRate > 0 && learningRate < 1)) {
                throw new IllegalArgumentException("learningRate=" + learningRate + " must be in (0, 1); try 0.005");
            }
        }

        public static Config defaults(long seed) {
            return new Config(64, 256, 6, 0.005f, seed);
        }
    }

    /** The fewest optimiser steps of a round with one output per action (see {@link #epochs}). */
    static final int MIN_STEPS = 120;

    /** Rows on which every export is compared with the device's forward pass. */
    static final int PROBE_ROWS = 512;

    /** A trained network with what it took to train it, and how faithfully the export serves it. */
    public record Result(Mlp network, double finalLoss, long steps, long millis, String device, double exportMaxError) {}

    private final Config config;
    private final Device device;

    /** On this JVM's configured device ({@link TrainingDevice#configured()}). */
    public RewardModelTrainer(Config config) {
        this(config, TrainingDevice.configured());
    }

    public RewardModelTrainer(Config config, TrainingDevice preference) {
        this.config = config;
        this.device = preference.resolve();
        LOG.info("Reward model trainer on {}", TrainingDevice.describe(device, preference));
    }

    public String device() {
        return device.toString();
    }

    /**
     * Trains a fresh network with one output on {@code x} (rows of equal length: context, action features
     * and action identity) and {@code y}; {@code round} varies the seed so successive versions do not
     * repeat their shuffles.
     */
    public Result train(float[][] x, float[] y, long round) {
        return train(x, y, null, 1, round, null);
    }

    /**
     * Trains a fresh network with one output per action ({@value Mlp#HEADS_FORMAT}): a shared output (0)
     * scores any action from the context and the action's features, and output {@code 1 + h} adds action
     * {@code h}'s own correction. Row {@code i} (context and action features) teaches the shared output plus
     * head {@code heads[i]} its reward {@code y[i]}; the hidden layer is shared by all. The corrections start
     * at zero, so an action seen rarely scores what the shared output says, and one never seen is scored by
     * it alone. Inputs are standardised for training (features on any scale learn alike) and the
     * standardisation is folded into the exported network, which reads raw inputs.
     */
    public Result trainPerAction(float[][] x, int[] heads, int headCount, float[] y, long round) {
        return trainPerAction(x, heads, headCount, y, round, null);
    }

    /**
     * As {@link #trainPerAction(float[][], int[], int, float[], long)}, continuing from {@code from} (a network
     * of this shape on raw inputs, e.g. the serving one) instead of fresh weights, for a third of the epochs:
     * each round refines what the last learned, so rounds are cheaper and come more often.
     */
    public Result trainPerAction(float[][] x, int[] heads, int headCount, float[] y, long round, Mlp from) {
        if (heads == null || heads.length != y.length || headCount < 1) {
            throw new IllegalArgumentException("need one head in [0, headCount) per row and at least one head");
        }
        if (from != null && (from.inputDimension() != x[0].length || from.outputDimension() != headCount + 1
                || from.layers() != 2 || from.hiddenUnits() != config.hiddenUnits())) {
            throw new IllegalArgumentException("cannot continue from a network of another shape");
        }
        return train(x, y, heads, headCount, round, from);
    }

    private Result train(float[][] x, float[] y, int[] heads, int headCount, long round, Mlp from) {
        int outputs = heads == null ? 1 : headCount + 1;
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need equal, non-zero numbers of rows and targets");
        }
        long start = System.nanoTime();
        int n = x.length;
        int in = x[0].length;
        double[] mean = new double[in];
        double[] std = new double[in];
        java.util.Arrays.fill(std, 1.0);
        float[] mask = null;
        if (heads != null) {
            standardisation(x, mean, std);
            mask = new float[n * outputs];
            for (int r = 0; r < n; r++) {
                if (heads[r] < 0 || heads[r] >= headCount) {
                    throw new IllegalArgumentException("row " + r + " teaches head " + heads[r] + " of " + headCount);
                }
                mask[r * outputs] = 1f;
                mask[r * outputs + 1 + heads[r]] = 1f;
            }
        }
        Engine.getInstance().setRandomSeed((int) (config.seed() * 31 + round));
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(config.hiddenUnits()).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(outputs).build());
        DefaultTrainingConfig training = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                .optDevices(new Device[] {device});
        try (Model model = Model.newInstance("reward-mlp", device)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(training)) {
                trainer.initialize(new Shape(config.batchSize(), in));
                if (from != null) {
                    load(block, from.standardised(mean, std));
                } else if (heads != null) {
                    zeroCorrections(block);
                }
                int epochs = epochs(n, from != null);
                float[] flat = new float[n * in];
                for (int r = 0; r < n; r++) {
                    for (int f = 0; f < in; f++) {
                        flat[r * in + f] = (float) ((x[r][f] - mean[f]) / std[f]);
                    }
                }
                Minibatches.Outcome fit = Minibatches.train(trainer, training.getLossFunction(), device, flat, in, y,
                        true, mask, outputs, config.batchSize(), epochs,
                        new Random(config.seed() * 7919 + round), null);
                Mlp trained = export(block, in);
                Mlp network = heads == null ? trained : trained.standardising(mean, std);
                double exportError = exportError(trainer, network, x, flat);
                return new Result(network, fit.lastLoss(), fit.steps(), (System.nanoTime() - start) / 1_000_000,
                        device.toString(), exportError);
            }
        }
    }

    /**
     * Passes over {@code n} rows: the configured epochs (a third when continuing), and on few rows as many
     * as it takes to reach {@link #MIN_STEPS} optimiser steps (half when continuing), so the first models,
     * trained on the first thousand outcomes, are fitted rather than a few dozen steps from random weights.
     */
    int epochs(int n, boolean continuing) {
        int batches = (n + config.batchSize() - 1) / config.batchSize();
        int configured = continuing ? Math.max(1, config.epochs() / 3) : config.epochs();
        int minSteps = continuing ? MIN_STEPS / 2 : MIN_STEPS;
        return Math.max(configured, (minSteps + batches - 1) / batches);
    }

    /** Sets the block's weights and biases, layer by layer, to {@code network}'s. */
    private static void load(SequentialBlock block, Mlp network) {
        int weight = 0;
        int bias = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                array.set(java.nio.FloatBuffer.wrap(network.weights(weight++)));
            } else if (p.getValue().getType() == Parameter.Type.BIAS) {
                array.set(java.nio.FloatBuffer.wrap(network.biases(bias++)));
            }
        }
    }

    /** The per-action corrections (every output of the last layer but the shared one) start at zero. */
    private static void zeroCorrections(SequentialBlock block) {
        NDArray lastWeight = null;
        NDArray lastBias = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                lastWeight = p.getValue().getArray();
            } else if (p.getValue().getType() == Parameter.Type.BIAS) {
                lastBias = p.getValue().getArray();
            }
        }
        int hidden = (int) lastWeight.getShape().get(1);
        float[] w = lastWeight.toFloatArray();
        java.util.Arrays.fill(w, hidden, w.length, 0f);
        lastWeight.set(java.nio.FloatBuffer.wrap(w));
        float[] b = lastBias.toFloatArray();
        java.util.Arrays.fill(b, 1, b.length, 0f);
        lastBias.set(java.nio.FloatBuffer.wrap(b));
    }

    /** Column means and deviations of {@code x}; a constant column keeps deviation 1, so it passes unscaled. */
    private static void standardisation(float[][] x, double[] mean, double[] std) {
        int n = x.length;
        for (float[] row : x) {
            for (int f = 0; f < mean.length; f++) {
                mean[f] += row[f];
            }
        }
        for (int f = 0; f < mean.length; f++) {
            mean[f] /= n;
        }
        double[] m2 = new double[mean.length];
        for (float[] row : x) {
            for (int f = 0; f < mean.length; f++) {
                double d = row[f] - mean[f];
                m2[f] += d * d;
            }
        }
        for (int f = 0; f < mean.length; f++) {
            double sd = Math.sqrt(m2[f] / n);
            std[f] = sd > 1e-9 ? sd : 1.0;
        }
    }

    /**
     * The largest |plain-Java output - device forward pass| over the first {@link #PROBE_ROWS} rows and
     * every output: the exported network reads the raw rows {@code x}, the device the rows it trained on.
     */
    private double exportError(Trainer trainer, Mlp network, float[][] x, float[] trainedRows) {
        int rows = Math.min(x.length, PROBE_ROWS);
        int in = x[0].length;
        int outputs = network.outputDimension();
        try (NDManager probe = trainer.getManager().newSubManager(device)) {
            float[] onDevice = trainer.evaluate(new NDList(probe.create(java.util.Arrays.copyOf(trainedRows, rows * in),
                    new Shape(rows, in)))).singletonOrThrow().toFloatArray();
            double max = 0;
            double[] row = new double[in];
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < in; f++) {
                    row[f] = x[r][f];
                }
                double[] scores = network.scores(row);
                for (int k = 0; k < outputs; k++) {
                    max = Math.max(max, Math.abs(scores[k] - onDevice[r * outputs + k]));
                }
            }
            return max;
        }
    }

    /** Linear weights are (out, in), row-major: exactly the layout {@link Mlp} reads. */
    private static Mlp export(SequentialBlock block, int inputDimension) {
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        List<Integer> ins = new ArrayList<>();
        List<Integer> outs = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                Shape shape = array.getShape();
                outs.add((int) shape.get(0));
                ins.add((int) shape.get(1));
                weights.add(array.toFloatArray());
            } else if (p.getValue().getType() == Parameter.Type.BIAS) {
                biases.add(array.toFloatArray());
            }
        }
        if (ins.isEmpty() || ins.get(0) != inputDimension) {
            throw new IllegalStateException("exported network does not take " + inputDimension + " inputs");
        }
        return new Mlp(ins.stream().mapToInt(Integer::intValue).toArray(),
                outs.stream().mapToInt(Integer::intValue).toArray(),
                weights.toArray(float[][]::new), biases.toArray(float[][]::new));
    }
}
