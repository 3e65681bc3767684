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
 * engine and exports it as an {@link Mlp}. The device is chosen once, at construction: the first GPU
 * when the engine reports one, else the CPU. All native memory lives inside one {@link #train} call.
 * For a fixed seed on the CPU the result is bit-for-bit repeatable.
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

    /** A trained network with what it took to train it. */
    public record Result(Mlp network, double finalLoss, long steps, long millis, String device) {}

    private final Config config;
    private final Device device;

    public RewardModelTrainer(Config config) {
        this.config = config;
        Engine engine = Engine.getInstance();
        this.device = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        LOG.info("Reward model trainer on {} ({} engine {}, {} GPU(s) visible)", device, engine.getEngineName(),
                engine.getVersion(), engine.getGpuCount());
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
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Random shuffle = new Random(config.seed() * 7919 + round);
                double lastLoss = Double.NaN;
                long steps = 0;
                for (int epoch = 0; epoch < config.epochs(); epoch++) {
                    shuffleInPlace(order, shuffle);
                    double lossSum = 0;
                    int batches = 0;
                    for (int from = 0; from < n; from += config.batchSize()) {
                        int size = Math.min(config.batchSize(), n - from);
                        float[] xb = new float[size * in];
                        float[] yb = new float[size];
                        for (int r = 0; r < size; r++) {
                            System.arraycopy(x[order[from + r]], 0, xb, r * in, in);
                            yb[r] = y[order[from + r]];
                        }
                        try (NDManager batch = trainer.getManager().newSubManager(device)) {
                            NDArray features = batch.create(xb, new Shape(size, in));
                            NDArray labels = batch.create(yb, new Shape(size, 1));
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDList predictions = trainer.forward(new NDList(features));
                                NDArray loss = training.getLossFunction().evaluate(new NDList(labels), predictions);
                                collector.backward(loss);
                                lossSum += loss.getFloat();
                            }
                            trainer.step();
                        }
                        batches++;
                        steps++;
                    }
                    lastLoss = lossSum / batches;
                }
                Mlp network = export(block, in);
                return new Result(network, lastLoss, steps, (System.nanoTime() - start) / 1_000_000, device.toString());
            }
        }
    }

    private static void shuffleInPlace(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
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
