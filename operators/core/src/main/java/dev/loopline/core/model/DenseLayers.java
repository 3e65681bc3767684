package dev.loopline.core.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The layer block both network formats share: int layer count, then per layer int in, int out,
 * {@code out*in} float weights (row-major) and {@code out} float biases.
 */
record DenseLayers(int[] in, int[] out, float[][] weights, float[][] biases) {

    void write(DataOutputStream data) throws IOException {
        data.writeInt(in.length);
        for (int l = 0; l < in.length; l++) {
            data.writeInt(in[l]);
            data.writeInt(out[l]);
            for (float v : weights[l]) {
                data.writeFloat(v);
            }
            for (float v : biases[l]) {
                data.writeFloat(v);
            }
        }
    }

    /**
     * Reads the block and checks it is the end of the input; {@code totalBytes} bounds each layer's size
     * so a corrupt shape cannot allocate more than the input could hold.
     */
    static DenseLayers read(DataInputStream data, int maxLayers, long totalBytes) throws IOException {
        int layers = data.readInt();
        if (layers < 1 || layers > maxLayers) {
            throw new IllegalArgumentException("layer count " + layers + " outside [1, " + maxLayers + "]");
        }
        int[] in = new int[layers];
        int[] out = new int[layers];
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            in[l] = data.readInt();
            out[l] = data.readInt();
            if (in[l] < 1 || out[l] < 1 || (long) in[l] * out[l] > totalBytes) {
                throw new IllegalArgumentException("layer " + l + " shape " + in[l] + "x" + out[l] + " is impossible");
            }
            w[l] = new float[in[l] * out[l]];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = data.readFloat();
            }
            b[l] = new float[out[l]];
            for (int i = 0; i < b[l].length; i++) {
                b[l][i] = data.readFloat();
            }
        }
        if (data.available() != 0) {
            throw new IllegalArgumentException(data.available() + " trailing bytes after the last layer");
        }
        return new DenseLayers(in, out, w, b);
    }
}
