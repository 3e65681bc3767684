package dev.loopline.core.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A group-sequential permutation test for comparing policies run after run, in the spirit of AdaStop
 * (Mathieu et al., "AdaStop: adaptive statistical testing for sound comparisons of deep RL agents",
 * 2023). Runs arrive in batches of {@code batchSize} per policy and task; after each batch (an
 * interim) every undecided comparison is declared BETTER, WORSE, or left to CONTINUE; comparisons
 * still undecided after the last interim are declared EQUAL. The family-wise error over all
 * comparisons and interims is at most {@code alpha}.
 *
 * <p>How: the statistic of a comparison (task, A, B) at interim k is the sum over batches of
 * (mean of A's runs − mean of B's runs) in the batch. Its null distribution comes from {@code
 * permutations} random permutation paths; a path shuffles, in every batch and task independently,
 * the pooled runs of all policies among them (the first path is the identity, the observed data).
 * The level is spent linearly, {@code alpha·k/K} by interim k. At each interim the boundary is the
 * smallest value such that the share of paths still alive whose maximum |statistic| over the
 * undecided comparisons exceeds it, plus the level spent before, stays within {@code alpha·k/K};
 * the comparison with the largest |statistic| is rejected if it exceeds the boundary, and the test
 * steps down over the rest (max-T step-down). Paths that would have crossed the boundary stop
 * counting at later interims, so the level is spent only once.
 *
 * <p>Unlike AdaStop there is no early acceptance (its beta is 0): EQUAL is only declared at the end.
 * Higher scores are better.
 */
public final class SequentialPermutationTest {

    /**
     * @param alpha        family-wise error bound, in (0, 0.5]
     * @param batchSize    runs per policy and task added at each interim, at least 1
     * @param interims     the planned number of interims K, at least 1
     * @param permutations random permutation paths (the identity included), in [100, 1,000,000]
     * @param seed         root of the permutation draws
     */
    public record Config(double alpha, int batchSize, int interims, int permutations, long seed)
            implements java.io.Serializable {
        public Config {
            if (!(alpha > 0 && alpha <= 0.5)) {
                throw new IllegalArgumentException("alpha=" + alpha + " is outside (0, 0.5]; 0.05 is usual");
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("batchSize=" + batchSize
                        + " is outside [1, 100000]; with 5 runs per batch a clear difference can be declared at the first interim");
            }
            if (interims < 1 || interims > 10_000) {
                throw new IllegalArgumentException("interims=" + interims + " is outside [1, 10000]");
            }
            if (permutations < 100 || permutations > 1_000_000) {
                throw new IllegalArgumentException("permutations=" + permutations
                        + " is outside [100, 1000000]; 10000 gives a boundary precise to about 1e-4");
            }
        }
    }

    /** The outcome of one comparison, from the first policy's point of view. */
    public enum Verdict { BETTER, WORSE, EQUAL, CONTINUE }

    /**
     * @param task           the task compared on
     * @param first          the first policy
     * @param second         the second policy
     * @param verdict        the decision so far
     * @param interim        the interim (1-based) at which the verdict was reached, or the latest one
     * @param runs           runs per policy the verdict rests on
     * @param meanDifference mean score of first minus mean score of second over those runs
     * @param statistic      the test statistic (sum over batches of batch mean differences)
     * @param boundary       the rejection boundary on |statistic| at that interim (+∞ when no level
     *                       was available yet)
     */
    public record Decision(String task, String first, String second, Verdict verdict, int interim, int runs,
            double meanDifference, double statistic, double boundary) {}

    private final Config config;
    private final List<String> tasks;
    private final List<String> policies;
    /** comparisons[c] = {task, first policy, second policy}. */
    private final int[][] comparisons;
    private final double[] observed;
    private final double[][] paths;
    private final boolean[] alive;
    private final Decision[] decisions;
    private final SplittableRandom random;
    private double levelSpent;
    private int interim;

    /** All pairs of policies on every task. */
    public SequentialPermutationTest(Config config, List<String> tasks, List<String> policies) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one task");
        }
        if (policies.size() < 2) {
            throw new IllegalArgumentException("a comparison needs at least two policies, got " + policies);
        }
        this.config = config;
        this.tasks = List.copyOf(tasks);
        this.policies = List.copyOf(policies);
        List<int[]> cs = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            for (int i = 0; i < policies.size(); i++) {
                for (int j = i + 1; j < policies.size(); j++) {
                    cs.add(new int[] {t, i, j});
                }
            }
        }
        this.comparisons = cs.toArray(new int[0][]);
        this.observed = new double[comparisons.length];
        this.paths = new double[config.permutations()][comparisons.length];
        this.alive = new boolean[config.permutations()];
        Arrays.fill(alive, true);
        this.decisions = new Decision[comparisons.length];
        for (int c = 0; c < comparisons.length; c++) {
            decisions[c] = decision(c, Verdict.CONTINUE, 0, Double.POSITIVE_INFINITY);
        }
        this.random = new SplittableRandom(config.seed());
    }

    /** Whether every comparison is decided (or the last interim is done). */
    public boolean finished() {
        for (Decision d : decisions) {
            if (d.verdict() == Verdict.CONTINUE) {
                return false;
            }
        }
        return true;
    }

    /** Interims done so far. */
    public int interim() {
        return interim;
    }

    /** The level spent so far (at most alpha). */
    public double levelSpent() {
        return levelSpent;
    }

    public List<Decision> decisions() {
        return List.of(decisions);
    }

    /**
     * Adds one interim's runs and decides what can be decided.
     *
     * @param batch {@code batch[task][policy][run]}, exactly {@code batchSize} finite scores each, tasks
     *              and policies in the order given to the constructor
     * @return the decisions after this interim, one per comparison
     */
    public List<Decision> addBatch(double[][][] batch) {
        if (interim >= config.interims()) {
            throw new IllegalStateException("all " + config.interims() + " planned interims are done");
        }
        checkShape(batch);
        interim++;
        int n = config.batchSize();
        int l = policies.size();
        double[][] means = new double[tasks.size()][l];
        for (int t = 0; t < tasks.size(); t++) {
            for (int p = 0; p < l; p++) {
                means[t][p] = mean(batch[t][p], 0, n);
            }
        }
        for (int c = 0; c < comparisons.length; c++) {
            observed[c] += means[comparisons[c][0]][comparisons[c][1]] - means[comparisons[c][0]][comparisons[c][2]];
        }
        double[][] pooled = new double[tasks.size()][l * n];
        for (int t = 0; t < tasks.size(); t++) {
            for (int p = 0; p < l; p++) {
                System.arraycopy(batch[t][p], 0, pooled[t], p * n, n);
            }
        }
        double[] groupMeans = new double[l];
        for (int b = 0; b < paths.length; b++) {
            for (int t = 0; t < tasks.size(); t++) {
                double[] z = pooled[t];
                if (b > 0) {
                    // Path 0 is the identity; each later path is a fresh uniform shuffle.
                    shuffle(z);
                }
                for (int p = 0; p < l; p++) {
                    groupMeans[p] = mean(z, p * n, n);
                }
                for (int c = 0; c < comparisons.length; c++) {
                    if (comparisons[c][0] == t) {
                        paths[b][c] += groupMeans[comparisons[c][1]] - groupMeans[comparisons[c][2]];
                    }
                }
            }
        }
        decide();
        return decisions();
    }

    private void decide() {
        double budget = config.alpha() * interim / config.interims();
        int allowed = (int) Math.floor((budget - levelSpent) * paths.length + 1e-9);
        boolean[] active = new boolean[comparisons.length];
        for (int c = 0; c < comparisons.length; c++) {
            active[c] = decisions[c].verdict() == Verdict.CONTINUE;
        }
        double[] pathMax = new double[paths.length];
        double boundary = Double.POSITIVE_INFINITY;
        boolean computed = false;
        while (any(active)) {
            int count = 0;
            for (int b = 0; b < paths.length; b++) {
                if (alive[b]) {
                    double m = 0;
                    for (int c = 0; c < comparisons.length; c++) {
                        if (active[c]) {
                            m = Math.max(m, Math.abs(paths[b][c]));
                        }
                    }
                    pathMax[b] = m;
                    count++;
                }
            }
            boundary = boundary(pathMax, count, allowed);
            computed = true;
            int best = -1;
            for (int c = 0; c < comparisons.length; c++) {
                if (active[c] && (best < 0 || Math.abs(observed[c]) > Math.abs(observed[best]))) {
                    best = c;
                }
            }
            if (Math.abs(observed[best]) > boundary) {
                decisions[best] = decision(best, observed[best] > 0 ? Verdict.BETTER : Verdict.WORSE, interim, boundary);
                active[best] = false;
            } else {
                break;
            }
        }
        if (computed) {
            int crossed = 0;
            for (int b = 0; b < paths.length; b++) {
                if (alive[b] && pathMax[b] > boundary) {
                    alive[b] = false;
                    crossed++;
                }
            }
            levelSpent += (double) crossed / paths.length;
        }
        boolean last = interim == config.interims();
        for (int c = 0; c < comparisons.length; c++) {
            if (decisions[c].verdict() == Verdict.CONTINUE) {
                decisions[c] = decision(c, last ? Verdict.EQUAL : Verdict.CONTINUE, interim, computed ? boundary
                        : Double.POSITIVE_INFINITY);
            }
        }
    }

    /**
     * The smallest value among the alive path maxima such that at most {@code allowed} of them are
     * strictly above it; +∞ when no level is available, −∞ when every path may cross.
     */
    private double boundary(double[] pathMax, int count, int allowed) {
        if (allowed <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (allowed >= count) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] values = new double[count];
        int k = 0;
        for (int b = 0; b < paths.length; b++) {
            if (alive[b]) {
                values[k++] = pathMax[b];
            }
        }
        Arrays.sort(values);
        // The (allowed+1)-th largest value: at most `allowed` values lie strictly above it.
        return values[count - 1 - allowed];
    }

    private Decision decision(int c, Verdict verdict, int at, double boundary) {
        int[] cmp = comparisons[c];
        return new Decision(tasks.get(cmp[0]), policies.get(cmp[1]), policies.get(cmp[2]), verdict, at,
                at * config.batchSize(), at == 0 ? Double.NaN : observed[c] / at, observed[c], boundary);
    }

    private void checkShape(double[][][] batch) {
        if (batch.length != tasks.size()) {
            throw new IllegalArgumentException("batch has " + batch.length + " tasks, expected " + tasks.size());
        }
        for (int t = 0; t < batch.length; t++) {
            if (batch[t].length != policies.size()) {
                throw new IllegalArgumentException("batch for task " + tasks.get(t) + " has " + batch[t].length
                        + " policies, expected " + policies.size());
            }
            for (int p = 0; p < batch[t].length; p++) {
                if (batch[t][p].length != config.batchSize()) {
                    throw new IllegalArgumentException("batch for task " + tasks.get(t) + ", policy " + policies.get(p)
                            + " has " + batch[t][p].length + " runs, expected " + config.batchSize());
                }
                for (double v : batch[t][p]) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("scores must be finite; task " + tasks.get(t) + ", policy "
                                + policies.get(p) + " has " + v);
                    }
                }
            }
        }
    }

    private void shuffle(double[] z) {
        for (int i = z.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double tmp = z[i];
            z[i] = z[j];
            z[j] = tmp;
        }
    }

    private static double mean(double[] z, int from, int n) {
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += z[i];
        }
        return s / n;
    }

    private static boolean any(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the test over scores already at hand, batch after batch, stopping as soon as every
     * comparison is decided.
     *
     * @param scores {@code scores[task][policy][run]}, runs in the order they were made; at least
     *               {@code batchSize · interims} runs each (more are ignored)
     */
    public static SequentialPermutationTest replay(double[][][] scores, List<String> tasks, List<String> policies,
            Config config) {
        SequentialPermutationTest test = new SequentialPermutationTest(config, tasks, policies);
        int n = config.batchSize();
        for (int k = 0; k < config.interims() && !test.finished(); k++) {
            double[][][] batch = new double[tasks.size()][policies.size()][];
            for (int t = 0; t < tasks.size(); t++) {
                for (int p = 0; p < policies.size(); p++) {
                    if (scores[t][p].length < (k + 1) * n) {
                        throw new IllegalArgumentException("task " + tasks.get(t) + ", policy " + policies.get(p) + " has "
                                + scores[t][p].length + " runs; " + config.interims() + " interims of " + n + " need "
                                + config.interims() * n);
                    }
                    batch[t][p] = Arrays.copyOfRange(scores[t][p], k * n, (k + 1) * n);
                }
            }
            test.addBatch(batch);
        }
        return test;
    }
}
