package dev.loopline.core.memory;

import dev.loopline.core.drift.Adwin;
import dev.loopline.core.drift.DriftDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prequential evaluation of the error memory on a drifting stream: the rows in file order, each
 * predicted, scored, then learned; once by a slow base model alone, once by the same base model
 * corrected by an {@link ErrorMemory}. The base model's trajectory is the same in both runs (it learns
 * from the labels, never from the memory), so the difference is the memory's alone.
 *
 * <p><b>The base model</b> (the slow half of ReLoop2's loop) is logistic regression for a 0/1 label
 * (two classes; the second in sorted order is 1) and linear regression otherwise, on features
 * standardised online (running mean and variance; a missing value stands at the mean). By default it
 * is refitted in batches, the way a model trained offline is deployed: every {@code refitEvery} rows on
 * the last {@code refitEvery} rows (Newton's method or least squares, ridge 1e-3), frozen in between, so
 * after a shift it is stale until its second refit. With {@code refitEvery} 0 it is plain online SGD
 * with a small constant learning rate instead.
 *
 * <p><b>The memory</b> sees the standardised features as the representation and remembers the base
 * model's residual (label minus predicted probability, or minus predicted value); the corrected
 * probability is held in [0, 1]. Event time is the row index (one row = one millisecond), so
 * {@code ttlMillis} counts rows.
 *
 * <p><b>Loss</b> is the squared error: on the predicted probability for 0/1 labels (the Brier score),
 * on the value otherwise. The pre-shift level is the base model's mean loss over the {@code window}
 * rows before a shift (fewer if the previous shift is nearer). A model's excess after the shift is its
 * loss above that level, summed over the {@code window} rows after it (fewer if the next shift or the
 * end comes first); both models are measured against the same level, so the reduction
 * {@code 1 - memoryExcess / baseExcess} is the share of the base model's excess that the memory saved.
 * The excess of the corrected model above its own pre-shift level is reported beside it
 * ({@code memoryExcessOwnLevel}): it does not credit the memory for being better before the shift too,
 * and is the stricter figure.
 *
 * <p>Stationary stretches are all rows except a warm-up (the first fit and a window) and the rows after
 * each shift until the base model has caught up: the window, or two refit periods if that is longer.
 * Shifts are the known ones when given, else those ADWIN (default settings) detects on the base model's
 * loss after the warm-up, at least a window apart; the excess window then starts at the detection.
 */
public final class MemoryEvaluation {

    /**
     * @param shifts       known shift rows (0-based data rows, increasing); empty to detect them
     * @param window       rows after a shift whose excess loss is summed, and rows before it that set the level
     * @param refitEvery   the base model is refitted every this many rows on the last this many, frozen in
     *                     between; 0 for online SGD instead
     * @param learningRate the SGD step when {@code refitEvery} is 0
     * @param memory       the error memory's config (its seed is the run's seed)
     */
    public record Options(List<Integer> shifts, int window, int refitEvery, double learningRate,
            ErrorMemoryConfig memory) {
        public Options {
            shifts = List.copyOf(shifts);
            for (int i = 0; i < shifts.size(); i++) {
                if (shifts.get(i) < 1 || (i > 0 && shifts.get(i) <= shifts.get(i - 1))) {
                    throw new IllegalArgumentException("shifts " + shifts
                            + " must be increasing data-row indices >= 1 (the first data row is 0)");
                }
            }
            if (window < 10 || window > 10_000_000) {
                throw new IllegalArgumentException("window=" + window + " is outside [10, 10000000]; 2000 is the usual value");
            }
            if (refitEvery != 0 && (refitEvery < 10 || refitEvery > 1_000_000)) {
                throw new IllegalArgumentException("refit period " + refitEvery
                        + " is outside [10, 1000000]; use 2000, or 0 for online SGD");
            }
            if (!(learningRate > 0 && learningRate <= 10)) {
                throw new IllegalArgumentException("learning rate " + learningRate
                        + " is outside (0, 10]; a slow online model uses about 0.003");
            }
            if (memory == null) {
                throw new IllegalArgumentException("the error memory config is missing");
            }
        }

        /** The defaults beside the given memory config: detected shifts, window 2000, refit every 2000 rows. */
        public static Options defaults(ErrorMemoryConfig memory) {
            return new Options(List.of(), DEFAULT_WINDOW, DEFAULT_REFIT, 0.003, memory);
        }

        /** Rows at the start left out of the stationary stretches: the first fit, then a window. */
        int warmUp() {
            return window + refitEvery;
        }

        /**
         * Rows after a shift left out of the stationary stretches: the window, or two refit periods if
         * longer (a refitted model is fully on the new concept by the second refit after the shift).
         */
        int settleRows() {
            return Math.max(window, 2 * refitEvery);
        }
    }

    public static final int DEFAULT_WINDOW = 2000;
    public static final int DEFAULT_REFIT = 2000;

    /** A stream as dense rows: features (NaN where missing) and numeric labels. */
    public record Stream(List<String> featureNames, double[][] features, double[] labels, boolean binary,
            String positiveClass) {
        public int size() {
            return labels.length;
        }
    }

    /**
     * The figures around one shift.
     *
     * @param row                  the shift's row (known, or where it was detected)
     * @param baseLevel            the base model's mean loss over the window before: the pre-shift level
     * @param memoryLevel          the corrected model's mean loss over the window before
     * @param baseExcess           the base model's loss above the pre-shift level, summed over the window after
     * @param memoryExcess         the corrected model's loss above the same level, summed over the window after
     * @param memoryExcessOwnLevel the corrected model's loss above its own level ({@code memoryLevel})
     * @param reduction            {@code 1 - memoryExcess / baseExcess}
     * @param reductionOwnLevel    {@code 1 - memoryExcessOwnLevel / baseExcess}
     */
    public record ShiftFigures(int row, double baseLevel, double memoryLevel, double baseExcess, double memoryExcess,
            double memoryExcessOwnLevel, double reduction, double reductionOwnLevel) {}

    /**
     * @param rows                          rows evaluated
     * @param shifts                        the shifts used
     * @param shiftsDetected                whether they were detected (not given)
     * @param baseLoss                      the base model's mean loss over the whole stream
     * @param memoryLoss                    the corrected model's mean loss over the whole stream
     * @param baseExcessAfterShift          the base model's excess summed over all shifts
     * @param memoryExcessAfterShift        the corrected model's excess (above the base's pre-shift level), summed
     * @param memoryExcessAfterShiftOwnLevel the corrected model's excess above its own pre-shift level, summed
     * @param perShift                      the figures of each shift
     * @param stationaryRows                rows in the stationary stretches
     * @param stationaryBaseLoss            the base model's mean loss over them
     * @param stationaryMemoryLoss          the corrected model's mean loss over them
     * @param baseEventsPerSecond           rows per second, base model alone
     * @param eventsPerSecond               rows per second, base model and memory (predict, correct, learn, remember)
     * @param memoryStats                   the memory's figures at the end
     */
    public record Result(int rows, List<Integer> shifts, boolean shiftsDetected, double baseLoss, double memoryLoss,
            double baseExcessAfterShift, double memoryExcessAfterShift, double memoryExcessAfterShiftOwnLevel,
            List<ShiftFigures> perShift, int stationaryRows, double stationaryBaseLoss, double stationaryMemoryLoss,
            double baseEventsPerSecond, double eventsPerSecond, ErrorMemoryStats memoryStats) {

        /** {@code 1 - memoryExcessAfterShift / baseExcessAfterShift}. */
        public double excessReduction() {
            return 1 - memoryExcessAfterShift / baseExcessAfterShift;
        }

        /** The smallest reduction of any one shift ({@code NaN} without shifts). */
        public double worstShiftReduction() {
            return perShift.stream().mapToDouble(ShiftFigures::reduction).min().orElse(Double.NaN);
        }

        /** {@code stationaryMemoryLoss / stationaryBaseLoss - 1}: above 0, the memory costs that much. */
        public double stationaryChange() {
            return stationaryMemoryLoss / stationaryBaseLoss - 1;
        }
    }

    private final Stream stream;
    private final Options options;

    public MemoryEvaluation(Stream stream, Options options) {
        if (stream.size() < 2 * options.window()) {
            throw new IllegalArgumentException("the stream has " + stream.size() + " rows, fewer than twice the window ("
                    + options.window() + "); pass a smaller --window");
        }
        for (int s : options.shifts()) {
            if (s >= stream.size()) {
                throw new IllegalArgumentException("shift row " + s + " is beyond the stream's " + stream.size() + " rows");
            }
        }
        this.stream = stream;
        this.options = options;
    }

    /** One prequential pass: per-row losses, time taken, and the memory (null for the base model alone). */
    private record Pass(double[] losses, double seconds, ErrorMemory memory) {}

    public Result run() {
        Pass base = pass(null);
        Pass corrected = pass(new ErrorMemory(options.memory()));
        List<Integer> shifts = options.shifts();
        boolean detected = shifts.isEmpty();
        if (detected) {
            shifts = detect(base.losses(), options.warmUp(), options.window());
        }
        int n = stream.size();
        int w = options.window();
        boolean[] settling = new boolean[n];
        for (int i = 0; i < Math.min(options.warmUp(), n); i++) {
            settling[i] = true;
        }
        List<ShiftFigures> perShift = new ArrayList<>();
        double baseExcess = 0;
        double memoryExcess = 0;
        double memoryOwn = 0;
        for (int i = 0; i < shifts.size(); i++) {
            int s = shifts.get(i);
            int before = Math.max(i == 0 ? 0 : shifts.get(i - 1), s - w);
            int end = Math.min(i + 1 < shifts.size() ? shifts.get(i + 1) : n, s + w);
            int settled = Math.min(n, s + options.settleRows());
            for (int t = s; t < settled; t++) {
                settling[t] = true;
            }
            double bl = mean(base.losses(), before, s);
            double ml = mean(corrected.losses(), before, s);
            double be = sum(base.losses(), s, end) - bl * (end - s);
            double me = sum(corrected.losses(), s, end) - bl * (end - s);
            double mo = sum(corrected.losses(), s, end) - ml * (end - s);
            baseExcess += be;
            memoryExcess += me;
            memoryOwn += mo;
            perShift.add(new ShiftFigures(s, bl, ml, be, me, mo, 1 - me / be, 1 - mo / be));
        }
        double sb = 0;
        double sm = 0;
        int stationary = 0;
        for (int t = 0; t < n; t++) {
            if (!settling[t]) {
                sb += base.losses()[t];
                sm += corrected.losses()[t];
                stationary++;
            }
        }
        return new Result(n, shifts, detected, mean(base.losses(), 0, n), mean(corrected.losses(), 0, n), baseExcess,
                memoryExcess, memoryOwn, perShift, stationary, stationary == 0 ? Double.NaN : sb / stationary,
                stationary == 0 ? Double.NaN : sm / stationary, n / base.seconds(), n / corrected.seconds(),
                corrected.memory().statistics());
    }

    private Pass pass(ErrorMemory memory) {
        int n = stream.size();
        int d = stream.featureNames().size();
        boolean binary = stream.binary();
        double[] losses = new double[n];
        Standardizer scaler = new Standardizer(d);
        BaseModel model = options.refitEvery() > 0 ? new RefitModel(d, binary, options.refitEvery())
                : new SgdModel(d, binary, options.learningRate());
        long start = System.nanoTime();
        for (int t = 0; t < n; t++) {
            double[] x = stream.features()[t];
            double[] z = scaler.standardize(x);
            double prediction = model.predict(z);
            double y = stream.labels()[t];
            double served = prediction;
            Correction correction = null;
            if (memory != null) {
                correction = memory.correct(z, prediction, t);
                if (binary) {
                    correction = correction.clamp(0, 1);
                }
                served = correction.corrected();
                memory.learn(z, y, correction, t);
            }
            losses[t] = (y - served) * (y - served);
            model.learn(z, prediction, y);
            scaler.learn(x);
        }
        return new Pass(losses, (System.nanoTime() - start) / 1e9, memory);
    }

    /** Running mean and variance per feature (Welford); a missing value stands at the mean (0 standardised). */
    static final class Standardizer {
        private final double[] mean;
        private final double[] m2;
        private final long[] seen;

        Standardizer(int d) {
            mean = new double[d];
            m2 = new double[d];
            seen = new long[d];
        }

        double[] standardize(double[] x) {
            double[] z = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                double sd = seen[j] > 1 ? Math.sqrt(m2[j] / (seen[j] - 1)) : 0;
                z[j] = Double.isNaN(x[j]) || sd == 0 ? 0 : (x[j] - mean[j]) / sd;
            }
            return z;
        }

        void learn(double[] x) {
            for (int j = 0; j < x.length; j++) {
                if (!Double.isNaN(x[j])) {
                    seen[j]++;
                    double delta = x[j] - mean[j];
                    mean[j] += delta / seen[j];
                    m2[j] += delta * (x[j] - mean[j]);
                }
            }
        }
    }

    /** The slow model: a probability (0/1 label) or a value, from standardised features. */
    interface BaseModel {
        double predict(double[] z);

        /** Learns from one row; {@code prediction} is what {@link #predict} said for it. */
        void learn(double[] z, double prediction, double y);
    }

    /** Plain SGD on the log-loss (0/1 label) or the squared error, with a constant step. */
    static final class SgdModel implements BaseModel {
        private final double[] w;
        private final boolean binary;
        private final double rate;

        SgdModel(int d, boolean binary, double rate) {
            this.w = new double[d + 1];
            this.binary = binary;
            this.rate = rate;
        }

        @Override
        public double predict(double[] z) {
            return link(w, z, binary);
        }

        @Override
        public void learn(double[] z, double prediction, double y) {
            double g = prediction - y;
            for (int j = 0; j < z.length; j++) {
                w[j] -= rate * g * z[j];
            }
            w[z.length] -= rate * g;
        }
    }

    /**
     * Refitted in batches and frozen in between, the way a model trained offline is deployed: every
     * {@code every} rows it is refitted on the last {@code every} rows (logistic regression by Newton's
     * method, or least squares, each with a ridge of {@value #RIDGE}); before the first fit it predicts
     * 0.5 (or 0).
     */
    static final class RefitModel implements BaseModel {
        static final double RIDGE = 1e-3;
        private final int d;
        private final boolean binary;
        private final int every;
        private final double[][] rows;
        private final double[] labels;
        private double[] w;
        private int seen;

        RefitModel(int d, boolean binary, int every) {
            this.d = d;
            this.binary = binary;
            this.every = every;
            this.rows = new double[every][];
            this.labels = new double[every];
            this.w = new double[d + 1];
        }

        @Override
        public double predict(double[] z) {
            return link(w, z, binary);
        }

        @Override
        public void learn(double[] z, double prediction, double y) {
            rows[seen % every] = z.clone();
            labels[seen % every] = y;
            seen++;
            if (seen % every == 0) {
                w = binary ? newton() : leastSquares();
            }
        }

        private double[] newton() {
            double[] v = w.clone();
            for (int iteration = 0; iteration < 50; iteration++) {
                double[][] h = new double[d + 1][d + 1];
                double[] g = new double[d + 1];
                for (int j = 0; j <= d; j++) {
                    h[j][j] = RIDGE;
                    g[j] = RIDGE * v[j];
                }
                for (int i = 0; i < every; i++) {
                    double p = link(v, rows[i], true);
                    double r = p - labels[i];
                    double c = Math.max(p * (1 - p), 1e-9);
                    for (int a = 0; a <= d; a++) {
                        double xa = a < d ? rows[i][a] : 1;
                        g[a] += r * xa;
                        for (int b = 0; b <= a; b++) {
                            h[a][b] += c * xa * (b < d ? rows[i][b] : 1);
                        }
                    }
                }
                double[] step = solve(h, g);
                double size = 0;
                for (int j = 0; j <= d; j++) {
                    v[j] -= step[j];
                    size = Math.max(size, Math.abs(step[j]));
                }
                if (size < 1e-8) {
                    break;
                }
            }
            return v;
        }

        private double[] leastSquares() {
            double[][] h = new double[d + 1][d + 1];
            double[] g = new double[d + 1];
            for (int j = 0; j <= d; j++) {
                h[j][j] = RIDGE;
            }
            for (int i = 0; i < every; i++) {
                for (int a = 0; a <= d; a++) {
                    double xa = a < d ? rows[i][a] : 1;
                    g[a] += labels[i] * xa;
                    for (int b = 0; b <= a; b++) {
                        h[a][b] += xa * (b < d ? rows[i][b] : 1);
                    }
                }
            }
            return solve(h, g);
        }

        /** Solves {@code h x = g} for a symmetric positive definite {@code h} given by its lower triangle (Cholesky). */
        static double[] solve(double[][] h, double[] g) {
            int n = g.length;
            double[][] l = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = h[i][j];
                    for (int k = 0; k < j; k++) {
                        s -= l[i][k] * l[j][k];
                    }
                    l[i][j] = i == j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j][j];
                }
            }
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = g[i];
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * y[k];
                }
                y[i] = s / l[i][i];
            }
            double[] x = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * x[k];
                }
                x[i] = s / l[i][i];
            }
            return x;
        }
    }

    static double link(double[] w, double[] z, boolean binary) {
        double s = w[z.length];
        for (int j = 0; j < z.length; j++) {
            s += w[j] * z[j];
        }
        return binary ? 1 / (1 + Math.exp(-s)) : s;
    }

    /** ADWIN's detections on the loss, each at least a window after the one before (later ones are echoes). */
    private static List<Integer> detect(double[] losses, int warmUp, int window) {
        DriftDetector detector = Adwin.Config.defaults().create();
        List<Integer> hits = new ArrayList<>();
        for (int t = 0; t < losses.length; t++) {
            if (detector.update(losses[t]) && t >= warmUp && (hits.isEmpty() || t - hits.get(hits.size() - 1) >= window)) {
                hits.add(t);
            }
        }
        return hits;
    }

    private static double sum(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s;
    }

    private static double mean(double[] v, int from, int to) {
        return to > from ? sum(v, from, to) / (to - from) : Double.NaN;
    }
}
