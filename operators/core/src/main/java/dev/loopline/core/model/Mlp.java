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
 * float biases.
 */
public final class Mlp {
    public static final String FORMAT = "loopline-mlp-f32-v1";
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
        if (out[out.length - 1] != 1) {
            throw new IllegalArgumentException("a reward model has one output, not " + out[out.length - 1]);
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

    public double score(double[] x) {
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
        return a[0];
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
