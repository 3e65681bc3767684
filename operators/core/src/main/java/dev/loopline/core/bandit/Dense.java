package dev.loopline.core.bandit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The few dense operations the linear scorers need, on row-major {@code double[]} matrices. Matrices
 * grow when a new feature appears: the new coordinate has never been seen, so its rows and columns of
 * {@code A} are zero except the ridge on the diagonal, and the inverse grows by {@code 1/ridge} there.
 */
final class Dense {
    private Dense() {}

    /** {@code out = m x} for a square {@code d x d} matrix; {@code x} may be longer than {@code d}. */
    static void multiply(double[] m, int d, double[] x, double[] out) {
        for (int i = 0; i < d; i++) {
            double s = 0;
            int row = i * d;
            for (int j = 0; j < d; j++) {
                s += m[row + j] * x[j];
            }
            out[i] = s;
        }
    }

    static double dot(double[] a, double[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** {@code m -= c u u'} (Sherman–Morrison's rank-one step on an inverse). */
    static void rankOneDown(double[] m, int d, double[] u, double c) {
        for (int i = 0; i < d; i++) {
            double ci = c * u[i];
            if (ci == 0) {
                continue;
            }
            int row = i * d;
            for (int j = 0; j < d; j++) {
                m[row + j] -= ci * u[j];
            }
        }
    }

    /** A {@code d x d} identity scaled by {@code diag}. */
    static double[] scaledIdentity(int d, double diag) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + i] = diag;
        }
        return m;
    }

    /** The square matrix grown from {@code d} to {@code n}, new diagonal entries set to {@code diag}. */
    static double[] growSquare(double[] m, int d, int n, double diag) {
        double[] g = new double[n * n];
        for (int i = 0; i < d; i++) {
            System.arraycopy(m, i * d, g, i * n, d);
        }
        for (int i = d; i < n; i++) {
            g[i * n + i] = diag;
        }
        return g;
    }

    /** The {@code rows x cols} matrix grown to {@code newRows x newCols}, new entries zero. */
    static double[] growRect(double[] m, int rows, int cols, int newRows, int newCols) {
        double[] g = new double[newRows * newCols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(m, i * cols, g, i * newCols, cols);
        }
        return g;
    }

    static double[] grow(double[] v, int n) {
        return java.util.Arrays.copyOf(v, n);
    }

    static void write(DataOutput out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    static double[] read(DataInput in, int expected) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new IllegalArgumentException("snapshot array has " + n + " entries, expected " + expected);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
