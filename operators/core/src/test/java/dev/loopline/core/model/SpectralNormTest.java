package dev.loopline.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

public class SpectralNormTest {

    /**
     * A rigorous upper bound on the largest singular value, independent of power iteration: with
     * {@code A = W^T W}, {@code sigma^2 = lambda_max(A) <= ||A^m||_F^(1/m)}; twenty squarings
     * ({@code m = 2^20}) leave a slack factor of at most {@code n^(1/2^21)}, about 1 + 2e-6 for n = 64.
     */
    public static double upperBound(float[] w, int rows, int cols) {
        double[][] a = new double[cols][cols];
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += (double) w[r * cols + i] * w[r * cols + j];
                }
                a[i][j] = s;
            }
        }
        double norm = frobenius(a);
        if (norm == 0) {
            return 0;
        }
        scale(a, 1 / norm);
        double logNorm = Math.log(norm);
        double m = 1;
        for (int k = 0; k < 20; k++) {
            a = square(a);
            double s = frobenius(a);
            scale(a, 1 / s);
            logNorm = 2 * logNorm + Math.log(s);
            m *= 2;
        }
        return Math.exp(logNorm / (2 * m));
    }

    private static double frobenius(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    private static void scale(double[][] a, double f) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= f;
            }
        }
    }

    private static double[][] square(double[][] a) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                for (int j = 0; j < n; j++) {
                    c[i][j] += aik * a[k][j];
                }
            }
        }
        return c;
    }

    @Test
    void diagonalAndRankOneMatricesHaveKnownNorms() {
        // diag(3, -5, 2) padded to 3x4
        float[] diag = {3, 0, 0, 0, 0, -5, 0, 0, 0, 0, 2, 0};
        assertEquals(5, SpectralNorm.of(diag, 3, 4), 1e-12);
        // u v^T with |u| = 5 (3, 4) and |v| = 13 (5, 12): sigma = 65
        float[] rankOne = {15, 36, 20, 48};
        assertEquals(65, SpectralNorm.of(rankOne, 2, 2), 1e-9);
        assertEquals(0, SpectralNorm.of(new float[6], 2, 3), 0.0);
    }

    @Test
    void convergedPowerIterationMeetsTheRigorousUpperBound() {
        SplittableRandom random = new SplittableRandom(12);
        for (int trial = 0; trial < 5; trial++) {
            int rows = 1 + random.nextInt(64);
            int cols = 1 + random.nextInt(64);
            float[] w = new float[rows * cols];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian();
            }
            double power = SpectralNorm.of(w, rows, cols);
            double upper = upperBound(w, rows, cols);
            assertTrue(power <= upper * (1 + 1e-12), power + " above the upper bound " + upper);
            assertTrue(power >= upper / (1 + 1e-5), rows + "x" + cols + ": " + power + " far below " + upper);
        }
    }

    @Test
    void persistentIterationsNeverOverestimate() {
        float[] w = {1, 2, 3, 4, 5, 6};
        double exact = SpectralNorm.of(w, 2, 3);
        double[] u = {1, 0};
        double[] v = new double[3];
        double previous = 0;
        for (int k = 0; k < 5; k++) {
            double estimate = SpectralNorm.iterate(w, 2, 3, u, v, 1);
            assertTrue(estimate <= exact * (1 + 1e-12) && estimate >= previous * (1 - 1e-12), k + ": " + estimate);
            previous = estimate;
        }
        assertEquals(exact, previous, 1e-9 * exact);
        assertThrows(IllegalArgumentException.class, () -> SpectralNorm.of(w, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> SpectralNorm.iterate(w, 2, 3, new double[3], v, 1));
    }
}
