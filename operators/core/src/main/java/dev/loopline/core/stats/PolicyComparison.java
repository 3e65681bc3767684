package dev.loopline.core.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares policies from the scores of their runs (several seeds, one or more tasks) the way Agarwal et
 * al. (2021) recommend: interquartile means with stratified bootstrap intervals, the probability that one
 * policy beats another, performance profiles, and a sequential permutation test that stops as soon as
 * the runs so far decide each pair. What {@code loopline compare} reports.
 */
public final class PolicyComparison {
    private PolicyComparison() {}

    /** One run's score. */
    public record Run(String policy, String task, String seed, double score) {}

    public record Aggregate(String policy, int runs, double mean, double iqm, double iqmLow, double iqmHigh) {}

    /** P(a run of x scores above a run of y), with its interval. */
    public record Improvement(String x, String y, double probability, double low, double high) {}

    /** The fraction of runs scoring above {@code tau}. */
    public record ProfilePoint(double tau, double fraction, double low, double high) {}

    public record TestDecision(String task, String first, String second, String verdict, int interim, int runs,
            double meanDifference) {}

    /** The sequential test; {@code skipped} says why when too few runs allowed it (the other figures are then null). */
    public record SequentialTest(double alpha, int batch, int permutations, String skipped, Integer interims,
            Integer interimsUsed, Integer runsAvailable, Double levelSpent, List<TestDecision> decisions) {}

    public record Result(List<String> policies, List<String> tasks, String normalize, double level, int resamples,
            long seed, List<Aggregate> aggregates, List<Improvement> probabilityOfImprovement,
            Map<String, List<ProfilePoint>> performanceProfiles, SequentialTest sequentialTest) {}

    /**
     * Compares the policies of {@code runs}: every policy needs runs on every task; {@code normalize} is
     * {@code none} or {@code min-max} (each task's scores rescaled to [0, 1] over all policies before pooling).
     */
    public static Result compare(List<Run> runs, Bootstrap.Config bootstrap, int batch, double alpha, int permutations,
            int profilePoints, String normalize) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no results to compare");
        }
        List<String> policies = runs.stream().map(Run::policy).distinct().toList();
        List<String> tasks = runs.stream().map(Run::task).distinct().toList();
        if (policies.size() < 2) {
            throw new IllegalArgumentException("need at least two policies to compare, got " + policies);
        }
        boolean numericSeeds = runs.stream().allMatch(r -> r.seed().matches("-?\\d+(\\.\\d+)?"));
        Comparator<Run> bySeed = numericSeeds ? Comparator.comparingDouble(r -> Double.parseDouble(r.seed()))
                : Comparator.comparing(Run::seed);
        // scores[task][policy][run], runs in seed order.
        double[][][] scores = new double[tasks.size()][policies.size()][];
        for (int t = 0; t < tasks.size(); t++) {
            for (int p = 0; p < policies.size(); p++) {
                String task = tasks.get(t);
                String policy = policies.get(p);
                List<Run> taskRuns = runs.stream().filter(r -> r.task().equals(task) && r.policy().equals(policy))
                        .sorted(bySeed).toList();
                if (taskRuns.isEmpty()) {
                    throw new IllegalArgumentException("policy " + policy + " has no run on task " + task
                            + "; every policy needs runs on every task");
                }
                scores[t][p] = taskRuns.stream().mapToDouble(Run::score).toArray();
            }
        }
        double[][][] pooled = switch (normalize.toLowerCase(Locale.ROOT)) {
            case "none" -> scores;
            case "min-max" -> minMax(scores);
            default -> throw new IllegalArgumentException("--normalize " + normalize + " is unknown; use none or min-max");
        };
        // byPolicy[policy][task][run]
        double[][][] byPolicy = new double[policies.size()][tasks.size()][];
        for (int t = 0; t < tasks.size(); t++) {
            for (int p = 0; p < policies.size(); p++) {
                byPolicy[p][t] = pooled[t][p];
            }
        }

        List<Aggregate> aggregates = new ArrayList<>();
        for (int p = 0; p < policies.size(); p++) {
            Interval ci = RobustAggregates.iqmInterval(byPolicy[p], bootstrap);
            aggregates.add(new Aggregate(policies.get(p), java.util.Arrays.stream(byPolicy[p]).mapToInt(r -> r.length).sum(),
                    RobustAggregates.mean(byPolicy[p]), RobustAggregates.iqm(byPolicy[p]), ci.low(), ci.high()));
        }
        List<Improvement> improvements = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            for (int j = 0; j < policies.size(); j++) {
                if (i != j) {
                    Interval ci = RobustAggregates.probabilityOfImprovementInterval(byPolicy[i], byPolicy[j], bootstrap);
                    improvements.add(new Improvement(policies.get(i), policies.get(j),
                            RobustAggregates.probabilityOfImprovement(byPolicy[i], byPolicy[j]), ci.low(), ci.high()));
                }
            }
        }
        double[] taus = RobustAggregates.thresholds(profilePoints, byPolicy);
        Map<String, List<ProfilePoint>> profiles = new LinkedHashMap<>();
        for (int p = 0; p < policies.size(); p++) {
            double[] f = RobustAggregates.performanceProfile(byPolicy[p], taus);
            Interval[] ci = RobustAggregates.performanceProfileIntervals(byPolicy[p], taus, bootstrap);
            List<ProfilePoint> points = new ArrayList<>();
            for (int k = 0; k < taus.length; k++) {
                points.add(new ProfilePoint(taus[k], f[k], ci[k].low(), ci[k].high()));
            }
            profiles.put(policies.get(p), points);
        }
        return new Result(policies, tasks, normalize, bootstrap.level(), bootstrap.resamples(), bootstrap.seed(), aggregates,
                improvements, profiles, sequentialTest(scores, tasks, policies, bootstrap, batch, alpha, permutations));
    }

    private static SequentialTest sequentialTest(double[][][] scores, List<String> tasks, List<String> policies,
            Bootstrap.Config bootstrap, int batch, double alpha, int permutations) {
        int minRuns = Integer.MAX_VALUE;
        for (double[][] task : scores) {
            for (double[] runs : task) {
                minRuns = Math.min(minRuns, runs.length);
            }
        }
        int interims = minRuns / batch;
        if (interims < 1) {
            return new SequentialTest(alpha, batch, permutations, "every policy needs at least --batch " + batch
                    + " runs per task; the fewest is " + minRuns, null, null, null, null, null);
        }
        SequentialPermutationTest.Config config = new SequentialPermutationTest.Config(alpha, batch, interims,
                permutations, bootstrap.seed());
        // The test compares raw scores task by task; normalisation does not change its verdicts.
        SequentialPermutationTest seq = SequentialPermutationTest.replay(scores, tasks, policies, config);
        List<TestDecision> decisions = new ArrayList<>();
        for (SequentialPermutationTest.Decision d : seq.decisions()) {
            decisions.add(new TestDecision(d.task(), d.first(), d.second(), d.verdict().name().toLowerCase(Locale.ROOT),
                    d.interim(), d.runs(), d.meanDifference()));
        }
        return new SequentialTest(alpha, batch, permutations, null, interims, seq.interim(), interims * batch,
                seq.levelSpent(), decisions);
    }

    private static double[][][] minMax(double[][][] scores) {
        double[][][] out = new double[scores.length][][];
        for (int t = 0; t < scores.length; t++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] runs : scores[t]) {
                for (double v : runs) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            out[t] = new double[scores[t].length][];
            for (int p = 0; p < scores[t].length; p++) {
                out[t][p] = new double[scores[t][p].length];
                for (int i = 0; i < scores[t][p].length; i++) {
                    out[t][p][i] = hi > lo ? (scores[t][p][i] - lo) / (hi - lo) : 0;
                }
            }
        }
        return out;
    }
}
