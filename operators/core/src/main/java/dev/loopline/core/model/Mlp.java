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
    /** Each layer's weights column-major (one input's weights to every output contiguous): a forward pass adds
     *  one column per non-zero input, a loop the JIT vectorises and that skips the zeros of ReLU and one-hots. */
    private final float[][] columns;

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
        this.columns = new float[in.length][];
        for (int l = 0; l < in.length; l++) {
            float[] column = new float[in[l] * out[l]];
            for (int o = 0; o < out[l]; o++) {
                for (int i = 0; i < in[l]; i++) {
                    column[i * out[l] + o] = weights[l][o * in[l] + i];
                }
            }
            columns[l] = column;
        }
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
        return outputsFrom(firstLayerSums(x));
    }

    /**
     * The first layer's sums (biases plus weighted inputs, before the ReLU) for {@code x}: a forward pass split
     * in two, so that rows sharing most of their inputs (one context, several actions) sum the shared part once
     * and add their own inputs with {@link #addToFirstLayerSums}.
     */
    public float[] firstLayerSums(double[] x) {
        float[] sums = biases[0].clone();
        addColumns(0, floats(x), sums);
        return sums;
    }

    /** Adds the weighted inputs {@code x} to first-layer sums from {@link #firstLayerSums}. */
    public void addToFirstLayerSums(double[] x, float[] sums) {
        addColumns(0, floats(x), sums);
    }

    /** Every output given the first layer's sums (left unchanged): ReLU between layers, a linear output. */
    public double[] outputsFrom(float[] firstLayerSums) {
        float[] a = firstLayerSums;
        for (int l = 1; l < in.length; l++) {
            float[] hidden = new float[a.length];
            for (int h = 0; h < a.length; h++) {
                hidden[h] = Math.max(a[h], 0f);
            }
            a = biases[l].clone();
            addColumns(l, hidden, a);
        }
        double[] outputs = new double[a.length];
        for (int o = 0; o < a.length; o++) {
            outputs[o] = a[o];
        }
        return outputs;
    }

    /**
     * Output {@code o} given the first layer's sums: for a two-layer network the ReLU and that one output row, so a
     * caller reading two outputs of many does not pay for all of them; a deeper one runs the rest of the pass.
     */
    public double outputFrom(float[] firstLayerSums, int o) {
        if (in.length != 2) {
            return outputsFrom(firstLayerSums)[o];
        }
        float[] row = weights[1];
        int start = o * in[1];
        float s = biases[1][o];
        for (int h = 0; h < firstLayerSums.length; h++) {
            s += row[start + h] * Math.max(firstLayerSums[h], 0f);
        }
        return s;
    }

    private void addColumns(int l, float[] x, float[] z) {
        float[] c = columns[l];
        int n = out[l];
        for (int i = 0; i < in[l]; i++) {
            float xi = x[i];
            if (xi != 0f) {
                int start = i * n;
                for (int o = 0; o < n; o++) {
                    z[o] += c[start + o] * xi;
                }
            }
        }
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
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
