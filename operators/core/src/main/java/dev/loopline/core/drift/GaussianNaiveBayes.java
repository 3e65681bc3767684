package dev.loopline.core.drift;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An online Gaussian naive Bayes classifier over numeric features: per class, a count and, per
 * feature, a running mean and variance (Welford). It predicts the class with the highest
 * {@code log prior + Σ log N(x_j; mean_cj, var_cj)}. Classes are whatever labels it has been taught,
 * in the order first seen; it never forgets, which is what an error-rate drift detector expects of
 * the learner behind it.
 *
 * <p>A small variance floor ({@code 1e-9} times the largest feature variance, as in scikit-learn)
 * keeps a constant feature from dominating.
 */
public final class GaussianNaiveBayes {
    private final int dimension;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> labels = new ArrayList<>();
    private final List<double[]> means = new ArrayList<>();
    private final List<double[]> squares = new ArrayList<>();
    private final List<long[]> counts = new ArrayList<>();
    private long seen;

    /** @param dimension the number of features of every example, at least 1 */
    public GaussianNaiveBayes(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("naive Bayes needs at least one numeric feature, got " + dimension);
        }
        this.dimension = dimension;
    }

    public int dimension() {
        return dimension;
    }

    /** Examples learned so far. */
    public long seen() {
        return seen;
    }

    /** The most probable label, or {@code null} before the first example. */
    public String predict(double[] x) {
        check(x);
        if (labels.isEmpty()) {
            return null;
        }
        double floor = 0;
        for (int c = 0; c < labels.size(); c++) {
            long n = counts.get(c)[0];
            for (int j = 0; j < dimension; j++) {
                floor = Math.max(floor, n > 1 ? squares.get(c)[j] / (n - 1) : 0);
            }
        }
        floor = Math.max(floor * 1e-9, 1e-12);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < labels.size(); c++) {
            long n = counts.get(c)[0];
            double score = Math.log((double) n / seen);
            double[] mean = means.get(c);
            double[] sq = squares.get(c);
            for (int j = 0; j < dimension; j++) {
                // With one example of a class there is no spread yet: borrow unit variance.
                double var = (n > 1 ? sq[j] / (n - 1) : 1.0) + floor;
                double d = x[j] - mean[j];
                score += -0.5 * Math.log(2 * Math.PI * var) - d * d / (2 * var);
            }
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return labels.get(best);
    }

    /** Learns one example. */
    public void learn(double[] x, String label) {
        check(x);
        if (label == null) {
            throw new IllegalArgumentException("naive Bayes cannot learn a missing label");
        }
        Integer c = index.get(label);
        if (c == null) {
            c = labels.size();
            index.put(label, c);
            labels.add(label);
            means.add(new double[dimension]);
            squares.add(new double[dimension]);
            counts.add(new long[1]);
        }
        long n = ++counts.get(c)[0];
        double[] mean = means.get(c);
        double[] sq = squares.get(c);
        for (int j = 0; j < dimension; j++) {
            double d = x[j] - mean[j];
            mean[j] += d / n;
            sq[j] += d * (x[j] - mean[j]);
        }
        seen++;
    }

    private void check(double[] x) {
        if (x.length != dimension) {
            throw new IllegalArgumentException("naive Bayes expects " + dimension + " features, got " + x.length);
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("naive Bayes got a non-finite feature " + v);
            }
        }
    }
}
