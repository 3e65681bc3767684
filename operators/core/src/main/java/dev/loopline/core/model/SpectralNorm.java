package dev.loopline.core.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The largest singular value of a weight matrix by power iteration, in plain Java and double precision:
 * the one implementation both the trainer's per-step spectral normalisation and the exported
 * {@link PolicyNetwork}'s Lipschitz bound use. Matrices are {@code rows x cols}, row-major floats (a
 * linear layer's {@code out x in} weights).
 */
public final class SpectralNorm {
    /** {@link #of}: stop when the estimate moves less than this, relatively. */
    public static final double CONVERGED = 1e-13;
    /** {@link #of}: give up after this many iterations (only reached when the top singular values nearly tie). */
    public static final int MAX_ITERATIONS = 200_000;

    private SpectralNorm() {}

    /**
     * The largest singular value, by power iteration from a fixed start until the estimate changes by less
     * than {@value #CONVERGED} relatively (at most {@value #MAX_ITERATIONS} iterations). Power iteration
     * approaches the true value from below.
     */
    public static double of(float[] w, int rows, int cols) {
        check(w, rows, cols);
        SplittableRandom random = new SplittableRandom(0x5EEDL);
        double[] u = new double[rows];
        for (int i = 0; i < rows; i++) {
            u[i] = random.nextDouble(-1, 1);
        }
        normalise(u);
        double[] v = new double[cols];
        double sigma = 0;
        for (int k = 0; k < MAX_ITERATIONS; k++) {
            double next = iterate(w, rows, cols, u, v, 1);
            if (next == 0 || Math.abs(next - sigma) <= CONVERGED * next) {
                return next;
            }
            sigma = next;
        }
        return sigma;
    }

    /**
     * {@code iterations} rounds of power iteration from the unit left vector {@code u} (updated in place,
     * so it can persist between calls while the matrix changes slowly): {@code v = W^T u / |W^T u|},
     * {@code u = W v / |W v|}. Returns the estimate {@code |W v|}, at most the largest singular value.
     *
     * @param v scratch of length {@code cols}; holds the right vector afterwards
     */
    public static double iterate(float[] w, int rows, int cols, double[] u, double[] v, int iterations) {
        check(w, rows, cols);
        if (u.length != rows || v.length != cols || iterations < 1) {
            throw new IllegalArgumentException("vectors must have " + rows + " and " + cols + " entries, iterations >= 1");
        }
        double sigma = 0;
        for (int k = 0; k < iterations; k++) {
            multiplyTransposed(w, rows, cols, u, v);
            normalise(v);
            multiply(w, rows, cols, v, u);
            sigma = normalise(u);
        }
        return sigma;
    }

    /** Scales {@code x} to unit length (leaves a zero vector alone) and returns its former length. */
    public static double normalise(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        double n = Math.sqrt(s);
        if (n > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= n;
            }
        }
        return n;
    }

    private static void check(float[] w, int rows, int cols) {
        if (rows < 1 || cols < 1 || w.length != rows * cols) {
            throw new IllegalArgumentException("matrix has " + w.length + " entries, not " + rows + "x" + cols);
        }
    }

    /** {@code y = W x}. */
    private static void multiply(float[] w, int rows, int cols, double[] x, double[] y) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            int row = r * cols;
            for (int c = 0; c < cols; c++) {
                s += w[row + c] * x[c];
            }
            y[r] = s;
        }
    }

    /** {@code y = W^T x}. */
    private static void multiplyTransposed(float[] w, int rows, int cols, double[] x, double[] y) {
        Arrays.fill(y, 0);
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            double xr = x[r];
            for (int c = 0; c < cols; c++) {
                y[c] += w[row + c] * xr;
            }
        }
    }
}
