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
     * Trains a fresh network on {@code x} (rows of equal length) and {@code y}; {@code round} varies the
     * seed so successive versions do not repeat their shuffles.
     */
    public Result train(float[][] x, float[] y, long round) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need equal, non-zero numbers of rows and targets");
        }
        long start = System.nanoTime();
        int n = x.length;
        int in = x[0].length;
        Engine.getInstance().setRandomSeed((int) (config.seed() * 31 + round));
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(config.hiddenUnits()).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build());
        DefaultTrainingConfig training = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                .optDevices(new Device[] {device});
        try (Model model = Model.newInstance("reward-mlp", device)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(training)) {
                trainer.initialize(new Shape(config.batchSize(), in));
                float[] flat = new float[n * in];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(x[r], 0, flat, r * in, in);
                }
                Minibatches.Outcome fit = Minibatches.train(trainer, training.getLossFunction(), device, flat, in, y,
                        true, config.batchSize(), config.epochs(), new Random(config.seed() * 7919 + round), null);
                Mlp network = export(block, in);
                double exportError = exportError(trainer, network, x);
                return new Result(network, fit.lastLoss(), fit.steps(), (System.nanoTime() - start) / 1_000_000,
                        device.toString(), exportError);
            }
        }
    }

    /** The largest |plain-Java score - device forward pass| over the first {@link #PROBE_ROWS} rows. */
    private double exportError(Trainer trainer, Mlp network, float[][] x) {
        int rows = Math.min(x.length, PROBE_ROWS);
        int in = x[0].length;
        float[] flat = new float[rows * in];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x[r], 0, flat, r * in, in);
        }
        try (NDManager probe = trainer.getManager().newSubManager(device)) {
            float[] onDevice = trainer.evaluate(new NDList(probe.create(flat, new Shape(rows, in)))).singletonOrThrow()
                    .toFloatArray();
            double max = 0;
            double[] row = new double[in];
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < in; f++) {
                    row[f] = x[r][f];
                }
                max = Math.max(max, Math.abs(network.score(row) - onDevice[r]));
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
