package dev.loopline.envs.control;

/**
 * Discrete-time LQR for a single-input linear system, the way an expert controller is designed: the
 * continuous model x' = A x + B u is discretised with a zero-order hold over {@code dt} (truncated
 * matrix-exponential series), the discrete algebraic Riccati equation is solved by fixed-point
 * iteration (in Joseph form), and the gain K gives u = -K x, minimising the sum of x'Qx + r u^2.
 */
public final class Lqr {
    private final double[] gain;
    private final double[][] p;
    private final double inputCurvature;

    private Lqr(double[] gain, double[][] p, double inputCurvature) {
        this.gain = gain;
        this.p = p;
        this.inputCurvature = inputCurvature;
    }

    /**
     * @param a     continuous state matrix, n x n
     * @param b     continuous input vector, n
     * @param qDiag diagonal of the state cost, n, each &ge; 0
     * @param r     input cost, &gt; 0
     * @param dt    sample period, s, &gt; 0
     */
    public static Lqr design(double[][] a, double[] b, double[] qDiag, double r, double dt) {
        int n = b.length;
        double[][] ad = identity(n);
        double[] bd = new double[n];
        double[][] term = identity(n); // (A dt)^k / k!
        for (int k = 1; k <= 30; k++) {
            // bd += term * B * dt / k   (term is (A dt)^(k-1)/(k-1)! here)
            double[] tb = mul(term, b);
            for (int i = 0; i < n; i++) {
                bd[i] += tb[i] * dt / k;
            }
            term = scale(mul(term, a), dt / k);
            ad = add(ad, term);
        }
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            p[i][i] = qDiag[i];
        }
        double[] k = new double[n];
        for (int iter = 0; iter < 100_000; iter++) {
            double[] pb = mul(p, bd);
            double denom = r + dot(bd, pb);
            double[] bpa = mul(transpose(ad), pb); // A' P B
            for (int i = 0; i < n; i++) {
                k[i] = bpa[i] / denom;
            }
            // Joseph form P = Q + r K'K + (A - BK)' P (A - BK): a sum of positive semi-definite terms,
            // which keeps the iteration stable where the textbook form loses precision.
            double[][] closed = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    closed[i][j] = ad[i][j] - bd[i] * k[j];
                }
            }
            double[][] next = mul(mul(transpose(closed), p), closed);
            double change = 0;
            double size = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    next[i][j] += (i == j ? qDiag[i] : 0.0) + r * k[i] * k[j];
                    change = Math.max(change, Math.abs(next[i][j] - p[i][j]));
                    size = Math.max(size, Math.abs(next[i][j]));
                }
            }
            p = next;
            if (change <= 1e-12 * size) {
                break;
            }
        }
        return new Lqr(k, p, dot(bd, mul(p, bd)));
    }

    /** The gain K (u = -K x). */
    public double[] gain() {
        return gain.clone();
    }

    /** The control for state {@code x}: -K x. */
    public double control(double[] x) {
        return -dot(gain, x);
    }

    /**
     * B'PB of the discrete model: with r, the curvature of the one-step cost in the input, so that
     * missing the optimal input by d costs (r + B'PB) d^2 more on the linear plant.
     */
    public double inputCurvature() {
        return inputCurvature;
    }

    /** The Riccati solution P (the cost-to-go is x'Px). */
    public double[][] costToGo() {
        double[][] copy = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            copy[i] = p[i].clone();
        }
        return copy;
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    private static double[][] mul(double[][] x, double[][] y) {
        int n = x.length;
        int m = y[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < y.length; k++) {
                for (int j = 0; j < m; j++) {
                    out[i][j] += x[i][k] * y[k][j];
                }
            }
        }
        return out;
    }

    private static double[] mul(double[][] x, double[] v) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = dot(x[i], v);
        }
        return out;
    }

    private static double[][] add(double[][] x, double[][] y) {
        double[][] out = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                out[i][j] = x[i][j] + y[i][j];
            }
        }
        return out;
    }

    private static double[][] scale(double[][] x, double s) {
        double[][] out = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                out[i][j] = x[i][j] * s;
            }
        }
        return out;
    }

    private static double[][] transpose(double[][] x) {
        double[][] out = new double[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                out[j][i] = x[i][j];
            }
        }
        return out;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
