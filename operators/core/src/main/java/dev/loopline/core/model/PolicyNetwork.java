package dev.loopline.core.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A control policy evaluated in plain Java: raw state &rarr; standardised state &rarr; fully connected
 * ReLU layers &rarr; one logit per discrete action. {@link #act} takes the argmax, {@link #probabilities}
 * the softmax. Unlike {@link Mlp} (one output, the reward model) it has one output per action and carries
 * its input standardisation, the physical value of each action and the Lipschitz bound it was trained
 * under.
 *
 * <h2>Lipschitz constant</h2>
 * ReLU and the standardisation's shift are 1-Lipschitz, so the logits' Lipschitz constant (Euclidean
 * norms) with respect to the <em>standardised</em> state is at most the product of the layers' spectral
 * norms, {@link #lipschitzUpperBound()}; the softmax is 1-Lipschitz too, so the probabilities inherit it.
 * With respect to the raw state the standardisation multiplies it by {@code max_i 1/std_i}
 * ({@link #lipschitzUpperBoundRawUnits()}): a feature with a small spread is stretched before the network
 * sees it. Bounds are reported and configured in standardised units. For the greedy policy
 * ({@link #act}) the bound turns into a radius around each state within which the action cannot change
 * ({@link #certifiedRadius}).
 *
 * <p>Format {@value #FORMAT} (big-endian): int magic {@code 0x4C504F4C} ("LPOL"); int feature count,
 * then per feature a UTF name, double mean, double std; int action count, then per action a double
 * value ({@code NaN} when the demonstrations never showed it); double configured bound ({@code +Inf}
 * for none); int layer count, then per layer int in, int out, {@code out*in} float weights (row-major,
 * one row per output), out float biases. The same network always encodes to the same bytes.
 */
public final class PolicyNetwork {
    public static final String FORMAT = "loopline-policy-f32-v1";
    private static final int MAGIC = 0x4C504F4C;
    private static final int MAX_LAYERS = 16;

    private final List<String> featureNames;
    private final double[] mean;
    private final double[] std;
    private final double[] actionValues;
    private final double configuredBound;
    private final int[] in;
    private final int[] out;
    private final float[][] weights;
    private final float[][] biases;

    /**
     * @param featureNames    the state features, in input order
     * @param mean            per feature, subtracted before the network
     * @param std             per feature, positive, divided by after subtracting the mean
     * @param actionValues    the physical value of each action ({@code NaN} if unknown); its length is the
     *                        number of outputs
     * @param configuredBound the Lipschitz bound (standardised units) training enforced, {@code +Inf} if none
     * @param in              inputs of each linear layer
     * @param out             outputs of each linear layer
     * @param weights         per layer, {@code out*in} row-major
     * @param biases          per layer, {@code out}
     */
    public PolicyNetwork(List<String> featureNames, double[] mean, double[] std, double[] actionValues,
            double configuredBound, int[] in, int[] out, float[][] weights, float[][] biases) {
        int d = featureNames.size();
        if (d == 0 || mean.length != d || std.length != d) {
            throw new IllegalArgumentException("need one mean and one std per feature, and at least one feature; got "
                    + d + " features, " + mean.length + " means, " + std.length + " stds");
        }
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(mean[i]) || !(std[i] > 0) || !Double.isFinite(std[i])) {
                throw new IllegalArgumentException("feature " + featureNames.get(i) + ": mean " + mean[i] + " and std "
                        + std[i] + " must be finite, std positive");
            }
        }
        if (!(configuredBound > 0)) {
            throw new IllegalArgumentException("configured bound " + configuredBound + " must be positive (+Inf for none)");
        }
        if (in.length == 0 || in.length > MAX_LAYERS || in.length != out.length || weights.length != in.length
                || biases.length != in.length) {
            throw new IllegalArgumentException("inconsistent layer arrays (1 to " + MAX_LAYERS + " layers)");
        }
        if (in[0] != d) {
            throw new IllegalArgumentException("the first layer takes " + in[0] + " inputs, the state has " + d + " features");
        }
        for (int l = 0; l < in.length; l++) {
            if (in[l] < 1 || out[l] < 1 || weights[l].length != in[l] * out[l] || biases[l].length != out[l]) {
                throw new IllegalArgumentException("layer " + l + " has a wrong shape, weight or bias size");
            }
            if (l > 0 && in[l] != out[l - 1]) {
                throw new IllegalArgumentException("layer " + l + " input " + in[l] + " != previous output " + out[l - 1]);
            }
        }
        if (out[out.length - 1] != actionValues.length || actionValues.length < 2) {
            throw new IllegalArgumentException("the last layer has " + out[out.length - 1] + " outputs for "
                    + actionValues.length + " actions; a policy needs one output per action and at least 2 actions");
        }
        this.featureNames = Collections.unmodifiableList(new ArrayList<>(featureNames));
        this.mean = mean.clone();
        this.std = std.clone();
        this.actionValues = actionValues.clone();
        this.configuredBound = configuredBound;
        this.in = in.clone();
        this.out = out.clone();
        this.weights = new float[in.length][];
        this.biases = new float[in.length][];
        for (int l = 0; l < in.length; l++) {
            this.weights[l] = weights[l].clone();
            this.biases[l] = biases[l].clone();
        }
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int inputDimension() {
        return in[0];
    }

    public int actionCount() {
        return actionValues.length;
    }

    /** Linear layers (hidden layers + the output layer). */
    public int layers() {
        return in.length;
    }

    /** The physical value of action {@code index} ({@code NaN} when the training data never showed it). */
    public double actionValue(int index) {
        return actionValues[index];
    }

    /** The bound (standardised units) training enforced; {@code +Inf} when it ran unconstrained. */
    public double configuredBound() {
        return configuredBound;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /** {@code (state - mean) / std}, feature by feature. */
    public double[] standardise(double[] state) {
        if (state.length != mean.length) {
            throw new IllegalArgumentException("state has " + state.length + " features, the policy takes " + mean.length);
        }
        double[] z = new double[state.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (state[i] - mean[i]) / std[i];
        }
        return z;
    }

    /** The logits for a raw state. */
    public double[] logits(double[] state) {
        return logitsStandardised(standardise(state));
    }

    /** The logits for an already standardised state: the function whose Lipschitz constant is bounded. */
    public double[] logitsStandardised(double[] z) {
        if (z.length != in[0]) {
            throw new IllegalArgumentException("input has " + z.length + " values, the policy takes " + in[0]);
        }
        double[] a = z;
        int last = in.length - 1;
        for (int l = 0; l <= last; l++) {
            double[] next = new double[out[l]];
            float[] w = weights[l];
            for (int o = 0; o < out[l]; o++) {
                double s = biases[l][o];
                int row = o * in[l];
                for (int i = 0; i < in[l]; i++) {
                    s += w[row + i] * a[i];
                }
                next[o] = (l < last && s < 0) ? 0 : s;
            }
            a = next;
        }
        return a;
    }

    /** The softmax of the logits. */
    public double[] probabilities(double[] state) {
        double[] logits = logits(state);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The action with the largest logit (the lowest index on a tie). */
    public int act(double[] state) {
        double[] logits = logits(state);
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * How far (Euclidean, standardised units) the state can be disturbed without changing {@link #act}:
     * the gap between the two largest logits over {@code sqrt(2) * lipschitzUpperBound()}, since each
     * difference of two logits is at most {@code sqrt(2) * L}-Lipschitz. Scaling all logits scales the
     * gap and the bound alike, so this, not the bound alone, is what the greedy policy's robustness is.
     *
     * @param upperBound {@link #lipschitzUpperBound()}, passed in so a caller computes it once
     */
    public double certifiedRadius(double[] state, double upperBound) {
        double[] logits = logits(state);
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return upperBound > 0 ? (first - second) / (Math.sqrt(2) * upperBound) : Double.POSITIVE_INFINITY;
    }

    /** Each layer's spectral norm (largest singular value), computed to convergence by {@link SpectralNorm#of}. */
    public double[] layerSpectralNorms() {
        double[] norms = new double[in.length];
        for (int l = 0; l < in.length; l++) {
            norms[l] = spectralNorm(weights[l], out[l], in[l]);
        }
        return norms;
    }

    /**
     * An upper bound on the Lipschitz constant of the logits with respect to the standardised state: the
     * product of the layers' spectral norms (ReLU is 1-Lipschitz).
     */
    public double lipschitzUpperBound() {
        double product = 1;
        for (double n : layerSpectralNorms()) {
            product *= n;
        }
        return product;
    }

    /** {@link #lipschitzUpperBound()} with respect to the raw state: times {@code max_i 1/std_i}. */
    public double lipschitzUpperBoundRawUnits() {
        double stretch = 0;
        for (double s : std) {
            stretch = Math.max(stretch, 1 / s);
        }
        return lipschitzUpperBound() * stretch;
    }

    /** The largest singular value of a layer's weights: {@link SpectralNorm#of}, to convergence. */
    public static double spectralNorm(float[] w, int rows, int cols) {
        return SpectralNorm.of(w, rows, cols);
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(bytes);
            data.writeInt(MAGIC);
            data.writeInt(featureNames.size());
            for (int i = 0; i < featureNames.size(); i++) {
                data.writeUTF(featureNames.get(i));
                data.writeDouble(mean[i]);
                data.writeDouble(std[i]);
            }
            data.writeInt(actionValues.length);
            for (double v : actionValues) {
                data.writeDouble(v);
            }
            data.writeDouble(configuredBound);
            new DenseLayers(in, out, weights, biases).write(data);
            data.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@value #FORMAT}; any inconsistency is an {@link IllegalArgumentException} with the reason. */
    public static PolicyNetwork decode(byte[] parameters) {
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(parameters))) {
            if (data.readInt() != MAGIC) {
                throw new IllegalArgumentException("parameters are not " + FORMAT + " (bad magic)");
            }
            int features = data.readInt();
            if (features < 1 || features > parameters.length) {
                throw new IllegalArgumentException("feature count " + features + " is impossible");
            }
            List<String> names = new ArrayList<>(features);
            double[] mean = new double[features];
            double[] std = new double[features];
            for (int i = 0; i < features; i++) {
                names.add(data.readUTF());
                mean[i] = data.readDouble();
                std[i] = data.readDouble();
            }
            int actions = data.readInt();
            if (actions < 2 || actions > parameters.length) {
                throw new IllegalArgumentException("action count " + actions + " is impossible");
            }
            double[] values = new double[actions];
            for (int i = 0; i < actions; i++) {
                values[i] = data.readDouble();
            }
            double bound = data.readDouble();
            DenseLayers layers = DenseLayers.read(data, MAX_LAYERS, parameters.length);
            return new PolicyNetwork(names, mean, std, values, bound, layers.in(), layers.out(), layers.weights(), layers.biases());
        } catch (IOException e) {
            throw new IllegalArgumentException("parameters end early: " + e.getMessage(), e);
        }
    }

    /** Layer {@code l}'s weights, row-major {@code out x in} (a copy). */
    public float[] weights(int l) {
        return weights[l].clone();
    }

    /** Layer {@code l}'s output count. */
    public int layerOutputs(int l) {
        return out[l];
    }

    /** Layer {@code l}'s input count. */
    public int layerInputs(int l) {
        return in[l];
    }

    /** Layer {@code l}'s biases (a copy). */
    public float[] biases(int l) {
        return biases[l].clone();
    }
}
