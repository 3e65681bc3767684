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
import dev.loopline.core.model.PolicyNetwork;
import dev.loopline.core.model.SpectralNorm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a control policy from an expert's demonstrations (behaviour cloning) with a bounded Lipschitz
 * constant, with DJL on the PyTorch engine, and exports it as a {@link PolicyNetwork}.
 *
 * <h2>What is learned</h2>
 * A classifier over the discrete action indices: standardised state &rarr; {@code hiddenLayers} ReLU
 * layers of {@code hiddenUnits} &rarr; one logit per action, softmax cross-entropy against the expert's
 * index, Adam. Classification rather than regression on the action's value because the control tasks
 * act in discrete levels (the expert's output is already rounded to one), the levels need not be evenly
 * spaced (the vehicle's are not), and the softmax gives a distribution an exploration strategy can use.
 * The policy acts by the argmax.
 *
 * <h2>The Lipschitz constraint</h2>
 * Spectral normalisation by projection: after initialisation and after every optimizer step each linear
 * layer's largest singular value &sigma; is estimated by power iteration ({@code powerIterations}
 * rounds per step, with a persistent left vector per layer, seeded) and the layer is rescaled
 * {@code W <- W * min(1, c / sigma)} with {@code c = bound^(1/L)} for {@code L} linear layers. ReLU is
 * 1-Lipschitz, so the logits' Lipschitz constant (Euclidean norms) is at most {@code c^L = bound}. Power
 * iteration approaches &sigma; from below, so the per-step estimate can undershoot slightly; at export
 * every layer's &sigma; is computed to convergence ({@link PolicyNetwork#spectralNorm}) and a layer still
 * above {@code c} is scaled down to it, so the exported network always honours the bound. Biases are free
 * (they do not change the Lipschitz constant).
 *
 * <h2>Units</h2>
 * The network sees the state standardised with the training rows' mean and standard deviation (stored in
 * the policy). The bound is with respect to that standardised state: one unit is one standard deviation
 * of each feature. With respect to the raw state the constant is at most {@code bound * max_i 1/std_i}
 * ({@link PolicyNetwork#lipschitzUpperBoundRawUnits()}).
 *
 * <h2>Devices and determinism</h2>
 * The device is chosen once, at construction: the first GPU when the engine reports one, else the CPU,
 * and logged. All native memory lives inside one {@link #train} call. For a fixed seed on the CPU the
 * exported policy is bit-for-bit repeatable (the projection runs in plain Java, in double precision).
 */
public final class LipschitzPolicyTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(LipschitzPolicyTrainer.class);
    /** Power-iteration rounds right after initialisation, where the persistent vectors start from noise. */
    private static final int WARM_UP_ITERATIONS = 30;
    /** The export scales a layer above {@code c} a hair below it, so float rounding cannot push it over. */
    private static final double EXPORT_MARGIN = 1 - 1e-6;

    /**
     * How the policy is shaped and trained.
     *
     * @param hiddenUnits     units in each hidden layer, [1, 4096]
     * @param hiddenLayers    hidden ReLU layers, [1, 8]; the network has {@code hiddenLayers + 1} linear layers
     * @param bound           the Lipschitz bound of the logits w.r.t. the standardised state, positive;
     *                        {@code +Infinity} trains without the constraint (for comparisons)
     * @param epochs          passes over the training rows, [1, 1000]
     * @param batchSize       rows per optimizer step, [1, 65536]
     * @param learningRate    Adam's step size, (0, 1)
     * @param powerIterations power-iteration rounds per optimizer step for the spectral-norm estimate, [1, 100]
     * @param seed            initial weights, shuffles and power-iteration start vectors
     */
    public record Config(int hiddenUnits, int hiddenLayers, double bound, int epochs, int batchSize, float learningRate,
            int powerIterations, long seed) implements java.io.Serializable {
        public Config {
            if (hiddenUnits < 1 || hiddenUnits > 4096) {
                throw new IllegalArgumentException("hiddenUnits=" + hiddenUnits + " must be in [1, 4096]; 64 is plenty for a control state");
            }
            if (hiddenLayers < 1 || hiddenLayers > 8) {
                throw new IllegalArgumentException("hiddenLayers=" + hiddenLayers + " must be in [1, 8]; try 2");
            }
            if (!(bound > 0)) {
                throw new IllegalArgumentException("bound=" + bound + " must be positive (Infinity for no constraint); "
                        + "in standardised units, 2 to 20 keeps a useful policy");
            }
            if (epochs < 1 || epochs > 1000) {
                throw new IllegalArgumentException("epochs=" + epochs + " must be in [1, 1000]");
            }
            if (batchSize < 1 || batchSize > 65536) {
                throw new IllegalArgumentException("batchSize=" + batchSize + " must be in [1, 65536]; try 256");
            }
            if (!(learningRate > 0 && learningRate < 1)) {
                throw new IllegalArgumentException("learningRate=" + learningRate + " must be in (0, 1); try 0.005");
            }
            if (powerIterations < 1 || powerIterations > 100) {
                throw new IllegalArgumentException("powerIterations=" + powerIterations + " must be in [1, 100]; 2 is enough "
                        + "because the vectors persist between steps");
            }
        }

        /** 2 hidden layers of 64, 20 epochs at batch 256, Adam 0.005, 2 power iterations per step. */
        public static Config defaults(double bound, long seed) {
            return new Config(64, 2, bound, 20, 256, 0.005f, 2, seed);
        }

        public Config withBound(double newBound) {
            return new Config(hiddenUnits, hiddenLayers, newBound, epochs, batchSize, learningRate, powerIterations, seed);
        }

        public Config withEpochs(int newEpochs) {
            return new Config(hiddenUnits, hiddenLayers, bound, newEpochs, batchSize, learningRate, powerIterations, seed);
        }

        public Config withSeed(long newSeed) {
            return new Config(hiddenUnits, hiddenLayers, bound, epochs, batchSize, learningRate, powerIterations, newSeed);
        }

        public boolean constrained() {
            return bound != Double.POSITIVE_INFINITY;
        }

        /** The bound on each layer's spectral norm, {@code bound^(1/L)}; infinite when unconstrained. */
        public double perLayerBound() {
            return Math.pow(bound, 1.0 / (hiddenLayers + 1));
        }
    }

    /**
     * A trained policy with what it took to train it.
     *
     * @param examplesPerSecond training rows processed per second of the training loop (epochs x rows /
     *                          loop time; the projection included, initialisation and export not)
     */
    /**
     * A trained policy with what it took to train it, and how faithfully the export serves it.
     *
     * @param exportMaxError  the largest logit difference between the weights as copied off the device and the
     *                        device's own forward pass (the transfer; before the export's certifying rescale)
     * @param exportAgreement the share of probe rows where the served (certified) policy acts as the trained
     *                        network does on its device
     */
    public record Result(PolicyNetwork network, double finalLoss, long steps, long millis, double examplesPerSecond,
            String device, double exportMaxError, double exportAgreement) {}

    /** Rows on which every export is compared with the device's forward pass. */
    static final int PROBE_ROWS = 512;

    /**
     * How a policy does against the expert on some demonstrations.
     *
     * @param rows                   demonstrations compared
     * @param agreement              share where the policy picks the expert's action
     * @param withinOneLevel         share where it picks the expert's action or a neighbouring level
     * @param bestConstantAgreement  the agreement of the best single action on these rows (the baseline)
     * @param medianCertifiedRadius  the median over rows of {@link PolicyNetwork#certifiedRadius}: how far
     *                               (standardised units) a state can be disturbed without changing the action
     */
    public record Evaluation(int rows, double agreement, double withinOneLevel, double bestConstantAgreement,
            double medianCertifiedRadius) {}

    private final Config config;
    private final Device device;

    /** On this JVM's configured device ({@link TrainingDevice#configured()}). */
    public LipschitzPolicyTrainer(Config config) {
        this(config, TrainingDevice.configured());
    }

    public LipschitzPolicyTrainer(Config config, TrainingDevice preference) {
        this.config = config;
        this.device = preference.resolve();
        LOG.info("Lipschitz policy trainer on {}, bound {} over {} layers", TrainingDevice.describe(device, preference),
                config.bound(), config.hiddenLayers() + 1);
    }

    public Config config() {
        return config;
    }

    public String device() {
        return device.toString();
    }

    /** Trains a fresh policy on all rows of {@code data}; one output per {@code data.actionCount()}. */
    public Result train(Demonstrations data) {
        if (data.rows() == 0) {
            throw new IllegalArgumentException("no demonstrations to train on");
        }
        long start = System.nanoTime();
        int n = data.rows();
        int d = data.featureNames().size();
        int actions = data.actionCount();
        double[] mean = new double[d];
        double[] std = new double[d];
        standardisation(data.states(), mean, std);
        float[] z = new float[n * d];
        float[] labels = new float[n];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < d; f++) {
                z[r * d + f] = (float) ((data.states()[r][f] - mean[f]) / std[f]);
            }
            labels[r] = data.actions()[r];
        }

        Engine.getInstance().setRandomSeed((int) (config.seed() * 31 + 17));
        SequentialBlock block = new SequentialBlock();
        for (int h = 0; h < config.hiddenLayers(); h++) {
            block.add(Linear.builder().setUnits(config.hiddenUnits()).build()).add(Activation.reluBlock());
        }
        block.add(Linear.builder().setUnits(actions).build());
        DefaultTrainingConfig training = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                .optDevices(new Device[] {device});
        try (Model model = Model.newInstance("lipschitz-policy", device)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(training)) {
                trainer.initialize(new Shape(config.batchSize(), d));
                List<Parameter[]> layers = linearLayers(block);
                SpectralProjection projection = config.constrained()
                        ? new SpectralProjection(layers.stream().map(layer -> layer[0]).toList(), config.perLayerBound(),
                                config.seed())
                        : null;
                if (projection != null) {
                    projection.apply(WARM_UP_ITERATIONS);
                }
                long loopStart = System.nanoTime();
                Minibatches.Outcome fit = Minibatches.train(trainer, training.getLossFunction(), device, z, d, labels,
                        false, null, 0, config.batchSize(), config.epochs(), new Random(config.seed() * 7919 + 3),
                        projection == null ? null : () -> projection.apply(config.powerIterations()));
                double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
                PolicyNetwork network = export(layers, data, mean, std, config.constrained());
                double[] fidelity = exportFidelity(trainer, export(layers, data, mean, std, false), network, z, n, d);
                return new Result(network, fit.lastLoss(), fit.steps(), (System.nanoTime() - start) / 1_000_000,
                        (double) n * config.epochs() / loopSeconds, device.toString(), fidelity[0], fidelity[1]);
            }
        }
    }

    /**
     * {largest logit difference of the copied weights, share of rows where the served policy acts as the device
     * network does} over the first {@link #PROBE_ROWS} standardised rows.
     */
    private double[] exportFidelity(Trainer trainer, PolicyNetwork copied, PolicyNetwork served, float[] z, int n, int d) {
        int rows = Math.min(n, PROBE_ROWS);
        try (NDManager probe = trainer.getManager().newSubManager(device)) {
            float[] onDevice = trainer.evaluate(new NDList(probe.create(Arrays.copyOf(z, rows * d),
                    new Shape(rows, d)))).singletonOrThrow().toFloatArray();
            int actions = copied.actionCount();
            double max = 0;
            int same = 0;
            double[] row = new double[d];
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < d; f++) {
                    row[f] = z[r * d + f];
                }
                double[] logits = copied.logitsStandardised(row);
                double[] servedLogits = served.logitsStandardised(row);
                int deviceAction = 0;
                int servedAction = 0;
                for (int a = 0; a < actions; a++) {
                    max = Math.max(max, Math.abs(logits[a] - onDevice[r * actions + a]));
                    deviceAction = onDevice[r * actions + a] > onDevice[r * actions + deviceAction] ? a : deviceAction;
                    servedAction = servedLogits[a] > servedLogits[servedAction] ? a : servedAction;
                }
                same += deviceAction == servedAction ? 1 : 0;
            }
            return new double[] {max, (double) same / rows};
        }
    }

    /** Mean and (population) standard deviation per feature; a constant feature gets std 1. */
    static void standardisation(double[][] states, double[] mean, double[] std) {
        int n = states.length;
        for (double[] row : states) {
            for (int f = 0; f < mean.length; f++) {
                mean[f] += row[f] / n;
            }
        }
        for (double[] row : states) {
            for (int f = 0; f < std.length; f++) {
                double e = row[f] - mean[f];
                std[f] += e * e / n;
            }
        }
        for (int f = 0; f < std.length; f++) {
            std[f] = Math.sqrt(std[f]);
            if (!(std[f] > 1e-12)) {
                std[f] = 1;
            }
        }
    }

    /**
     * Spectral normalisation by projection, one persistent left singular vector per layer. Runs in plain
     * Java ({@link SpectralNorm#iterate}) on a host copy of each weight matrix (a few kilobytes), which is
     * cheaper than a dozen native calls per layer and exactly repeatable; the rescale itself is one in-place
     * native multiply.
     */
    private static final class SpectralProjection {
        private final List<Parameter> weights;
        private final double perLayerBound;
        private final double[][] u;
        private final double[][] v;

        SpectralProjection(List<Parameter> weights, double perLayerBound, long seed) {
            this.weights = weights;
            this.perLayerBound = perLayerBound;
            this.u = new double[weights.size()][];
            this.v = new double[weights.size()][];
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 5);
            for (int l = 0; l < weights.size(); l++) {
                Shape shape = weights.get(l).getArray().getShape();
                u[l] = new double[(int) shape.get(0)];
                v[l] = new double[(int) shape.get(1)];
                for (int i = 0; i < u[l].length; i++) {
                    u[l][i] = random.nextGaussian();
                }
                SpectralNorm.normalise(u[l]);
            }
        }

        void apply(int iterations) {
            for (int l = 0; l < weights.size(); l++) {
                NDArray weight = weights.get(l).getArray();
                double sigma = SpectralNorm.iterate(weight.toFloatArray(), u[l].length, v[l].length, u[l], v[l], iterations);
                if (sigma > perLayerBound) {
                    weight.muli(perLayerBound / sigma);
                }
            }
        }
    }

    /** The weight and the bias of each linear layer, in order: [l][0] weight, [l][1] bias. */
    private static List<Parameter[]> linearLayers(SequentialBlock block) {
        List<Parameter[]> layers = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.getType() == Parameter.Type.WEIGHT) {
                layers.add(new Parameter[] {parameter, null});
            } else if (parameter.getType() == Parameter.Type.BIAS) {
                layers.get(layers.size() - 1)[1] = parameter;
            }
        }
        for (Parameter[] layer : layers) {
            if (layer[1] == null) {
                throw new IllegalStateException("a linear layer without a bias");
            }
        }
        return layers;
    }

    /**
     * Linear weights are (out, in), row-major: exactly the layout {@link PolicyNetwork} reads. When certifying,
     * a layer whose converged spectral norm still exceeds the per-layer bound is scaled down to it.
     */
    private PolicyNetwork export(List<Parameter[]> parameters, Demonstrations data, double[] mean, double[] std,
            boolean certify) {
        int layers = parameters.size();
        int[] in = new int[layers];
        int[] out = new int[layers];
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            NDArray weight = parameters.get(l)[0].getArray();
            Shape shape = weight.getShape();
            out[l] = (int) shape.get(0);
            in[l] = (int) shape.get(1);
            w[l] = weight.toFloatArray();
            b[l] = parameters.get(l)[1].getArray().toFloatArray();
            if (certify) {
                double sigma = SpectralNorm.of(w[l], out[l], in[l]);
                if (sigma > config.perLayerBound()) {
                    float scale = (float) (config.perLayerBound() / sigma * EXPORT_MARGIN);
                    for (int i = 0; i < w[l].length; i++) {
                        w[l][i] *= scale;
                    }
                }
            }
        }
        return new PolicyNetwork(data.featureNames(), mean, std, data.actionValues(), config.bound(), in, out, w, b);
    }

    /** Agreement of {@code policy} with the expert on {@code data}. */
    public static Evaluation evaluate(PolicyNetwork policy, Demonstrations data) {
        int n = data.rows();
        if (n == 0) {
            return new Evaluation(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double upperBound = policy.lipschitzUpperBound();
        double[] radii = new double[n];
        int same = 0;
        int near = 0;
        int[] counts = new int[data.actionCount()];
        for (int r = 0; r < n; r++) {
            int expert = data.actions()[r];
            int chosen = policy.act(data.states()[r]);
            same += chosen == expert ? 1 : 0;
            near += Math.abs(chosen - expert) <= 1 ? 1 : 0;
            counts[expert]++;
            radii[r] = policy.certifiedRadius(data.states()[r], upperBound);
        }
        java.util.Arrays.sort(radii);
        double median = n % 2 == 1 ? radii[n / 2] : (radii[n / 2 - 1] + radii[n / 2]) / 2;
        int best = 0;
        for (int c : counts) {
            best = Math.max(best, c);
        }
        return new Evaluation(n, (double) same / n, (double) near / n, (double) best / n, median);
    }

    /**
     * The largest measured sensitivity of the logits, {@code max ||f(z + delta) - f(z)|| / ||delta||}, over
     * {@code trials} random directions {@code delta} of length {@code radius} (standardised units) around
     * each of the first {@code states} rows of {@code data}. A lower bound on the Lipschitz constant near
     * the data: it can only be at most {@link PolicyNetwork#lipschitzUpperBound()}.
     */
    public static double measuredSensitivity(PolicyNetwork policy, Demonstrations data, int states, int trials,
            double radius, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = policy.inputDimension();
        double worst = 0;
        for (int r = 0; r < Math.min(states, data.rows()); r++) {
            double[] z = policy.standardise(data.states()[r]);
            double[] base = policy.logitsStandardised(z);
            for (int t = 0; t < trials; t++) {
                double[] delta = new double[d];
                for (int i = 0; i < d; i++) {
                    delta[i] = random.nextGaussian();
                }
                double length = SpectralNorm.normalise(delta);
                if (length == 0) {
                    continue;
                }
                double[] moved = z.clone();
                for (int i = 0; i < d; i++) {
                    moved[i] += radius * delta[i];
                }
                double[] shifted = policy.logitsStandardised(moved);
                double s = 0;
                for (int i = 0; i < shifted.length; i++) {
                    s += (shifted[i] - base[i]) * (shifted[i] - base[i]);
                }
                worst = Math.max(worst, Math.sqrt(s) / radius);
            }
        }
        return worst;
    }
}
