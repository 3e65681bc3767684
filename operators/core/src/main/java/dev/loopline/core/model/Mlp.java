package dev.loopline.core.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A small fully connected network evaluated in plain Java: ReLU between layers, linear output.
 * Scoring one row through a native engine costs more in call overhead than the arithmetic, so the
 * trainer exports weights in this format and the decision operator evaluates them here.
 *
 * <p>Format {@value #FORMAT} (big-endian): int magic {@code 0x4C4D4C50} ("LMLP"), int layer count,
 * then per layer: int in, int out, {@code out*in} float weights (row-major, one row per output), out
 * float biases. A {@value #FORMAT} network has one output, the reward of the (context, action) row it is
 * given; a {@value #HEADS_FORMAT} network (the same bytes) has a shared output and one correction per
 * action, for the context and action features it is given ({@link ServingModel}).
 */
public final class Mlp {
    public static final String FORMAT = "loopline-mlp-f32-v1";
    public static final String HEADS_FORMAT = "loopline-mlp-heads-f32-v1";
    private static final int MAGIC = 0x4C4D4C50;

    private final int[] in;
    private final int[] out;
    private final float[][] weights;
    private final float[][] biases;

    public Mlp(int[] in, int[] out, float[][] weights, float[][] biases) {
        if (in.length == 0 || in.length != out.length || weights.length != in.length || biases.length != in.length) {
            throw new IllegalArgumentException("inconsistent layer arrays");
        }
        for (int l = 0; l < in.length; l++) {
            if (weights[l].length != in[l] * out[l] || biases[l].length != out[l]) {
                throw new IllegalArgumentException("layer " + l + " has wrong weight or bias size");
            }
            if (l > 0 && in[l] != out[l - 1]) {
                throw new IllegalArgumentException("layer " + l + " input " + in[l] + " != previous output " + out[l - 1]);
            }
        }
        this.in = in.clone();
        this.out = out.clone();
        this.weights = weights;
        this.biases = biases;
    }

    public int inputDimension() {
        return in[0];
    }

    public int layers() {
        return in.length;
    }

    /** Outputs of the first layer: the hidden units of a two-layer network. */
    public int hiddenUnits() {
        return out[0];
    }

    /** Layer {@code l}'s weights, row-major (a copy). */
    public float[] weights(int l) {
        return weights[l].clone();
    }

    /** Layer {@code l}'s biases (a copy). */
    public float[] biases(int l) {
        return biases[l].clone();
    }

    public int outputDimension() {
        return out[out.length - 1];
    }

    /** The first output for input {@code x}. */
    public double score(double[] x) {
        return scores(x)[0];
    }

    /** Every output for input {@code x}. */
    public double[] scores(double[] x) {
        double[] a = x;
        for (int l = 0; l < in.length; l++) {
            double[] z = new double[out[l]];
            float[] w = weights[l];
            for (int o = 0; o < out[l]; o++) {
                double s = biases[l][o];
                int row = o * in[l];
                for (int i = 0; i < in[l]; i++) {
                    s += w[row + i] * a[i];
                }
                z[o] = (l < in.length - 1 && s < 0) ? 0 : s;
            }
            a = z;
        }
        return a;
    }

    /**
     * The inverse of {@link #standardising}: this network (on raw inputs) as one on standardised inputs,
     * {@code w = w' std}, {@code b = b' + w' mean}; how a round continues from the serving network.
     */
    public Mlp standardised(double[] mean, double[] std) {
        return withFirstLayer(mean, std, false);
    }

    /**
     * The same network on raw inputs when it was trained on standardised ones, {@code (x - mean) / std}:
     * the standardisation folded into the first layer ({@code w' = w / std}, {@code b' = b - w' mean}).
     */
    public Mlp standardising(double[] mean, double[] std) {
        return withFirstLayer(mean, std, true);
    }

    private Mlp withFirstLayer(double[] mean, double[] std, boolean fold) {
        if (mean.length != in[0] || std.length != in[0]) {
            throw new IllegalArgumentException("standardisation of " + mean.length + " inputs for a network of " + in[0]);
        }
        float[][] w = weights.clone();
        float[][] b = biases.clone();
        w[0] = weights[0].clone();
        b[0] = biases[0].clone();
        for (int o = 0; o < out[0]; o++) {
            double shift = 0;
            for (int i = 0; i < in[0]; i++) {
                double folded = fold ? weights[0][o * in[0] + i] / std[i] : weights[0][o * in[0] + i];
                w[0][o * in[0] + i] = (float) (fold ? folded : folded * std[i]);
                shift += folded * mean[i];
            }
            b[0][o] = (float) (fold ? biases[0][o] - shift : biases[0][o] + shift);
        }
        return new Mlp(in, out, w, b);
    }

    /**
     * The same network with its output negated: it ranks actions in reverse. Only for showing that the
     * promotion gate refuses a worse candidate.
     */
    public Mlp inverted() {
        float[][] w = weights.clone();
        float[][] b = biases.clone();
        int last = in.length - 1;
        w[last] = weights[last].clone();
        b[last] = biases[last].clone();
        for (int i = 0; i < w[last].length; i++) {
            w[last][i] = -w[last][i];
        }
        for (int i = 0; i < b[last].length; i++) {
            b[last][i] = -b[last][i];
        }
        return new Mlp(in, out, w, b);
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(bytes);
            data.writeInt(MAGIC);
            new DenseLayers(in, out, weights, biases).write(data);
            data.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@value #FORMAT}; any inconsistency is an {@link IllegalArgumentException} with the reason. */
    public static Mlp decode(byte[] parameters) {
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(parameters))) {
            if (data.readInt() != MAGIC) {
                throw new IllegalArgumentException("parameters are not " + FORMAT + " (bad magic)");
            }
            DenseLayers layers = DenseLayers.read(data, 16, parameters.length);
            return new Mlp(layers.in(), layers.out(), layers.weights(), layers.biases());
        } catch (IOException e) {
            throw new IllegalArgumentException("parameters end early: " + e.getMessage(), e);
        }
    }
}
