package dev.loopline.jobs.eval;

import dev.loopline.core.ope.BanditLog;
import dev.loopline.core.ope.OffPolicyEvaluation;
import dev.loopline.core.ope.StratifiedPolicy;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.Interval;
import dev.loopline.envs.data.CsvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Off-policy evaluation of logged bandit decisions read from CSV (the Open Bandit Dataset layout by
 * default): the logs become a {@link BanditLog}, the target a {@link StratifiedPolicy} (a uniform policy,
 * one action, a probability table, or the action frequencies of another log, whose own mean reward is
 * then the figure to compare with), and {@link OffPolicyEvaluation} estimates its value.
 */
public final class LoggedPolicyEvaluation {
    private LoggedPolicyEvaluation() {}

    /** Which columns hold what. {@code stratum} may be "none". */
    public record Columns(String action, String stratum, String reward, String propensity) {}

    /** The target policy: how it was given, and for a target log its rows and own mean reward with its interval. */
    public record Target(String spec, String kind, Integer rows, Double ownReward, Double ownRewardLow,
            Double ownRewardHigh) {}

    /** One estimator's estimate; against a target log, whether its interval holds the log's own reward. */
    public record EstimateFigures(String estimator, double value, double low, double high, Boolean containsOwnReward,
            Double relativeError) {}

    public record RewardModel(String kind, double priorStrength, int folds) {}

    public record Weights(double mean, double max, double effectiveSampleSize, double zeroWeightShare) {}

    /** Everything {@code loopline ope} reports; {@code switchTau} null is infinite (no switch). */
    public record Result(int rows, int actions, List<String> strata, double loggingReward, Target target, double level,
            int resamples, long seed, RewardModel rewardModel, Double switchTau, List<EstimateFigures> estimates,
            Weights weights) {}

    /** Interns string keys as dense indices, in order of first appearance. */
    private static final class Keys {
        final Map<String, Integer> index = new LinkedHashMap<>();

        int of(String key) {
            return index.computeIfAbsent(key, k -> index.size());
        }

        int size() {
            return Math.max(1, index.size());
        }

        List<String> names() {
            return new ArrayList<>(index.keySet());
        }
    }

    /** The target's value estimated from the logs, with every figure the estimate rests on. */
    public static Result run(CsvTable logTable, String targetSpec, Columns cols, OffPolicyEvaluation.Config config)
            throws IOException {
        Keys actions = new Keys();
        Keys strata = new Keys();
        int a = logTable.requireColumn(cols.action());
        int r = logTable.requireColumn(cols.reward());
        int p = logTable.requireColumn(cols.propensity());
        int s = stratumOf(logTable, cols);
        requireNumeric(logTable, r, "reward");
        requireNumeric(logTable, p, "propensity");
        int n = logTable.rowCount();
        int[] action = new int[n];
        int[] stratum = new int[n];
        double[] reward = logTable.numbers(r);
        double[] propensity = logTable.numbers(p);
        for (int i = 0; i < n; i++) {
            action[i] = actions.of(logTable.get(i, a).strip());
            stratum[i] = s < 0 ? strata.of("") : strata.of(logTable.get(i, s).strip());
            if (Double.isNaN(reward[i]) || Double.isNaN(propensity[i])) {
                throw new IllegalArgumentException(logTable.source() + " row " + i + " has no reward or no propensity");
            }
        }

        String kind = targetSpec.startsWith("action:") ? "always one action" : "uniform";
        Integer targetRows = null;
        Interval ownReward = null;
        Double ownMean = null;
        StratifiedPolicy policy;
        CsvTable targetTable = null;
        if (targetSpec.equalsIgnoreCase("uniform")) {
            policy = StratifiedPolicy.uniform(strata.size(), actions.size());
        } else if (targetSpec.startsWith("action:")) {
            String id = targetSpec.substring("action:".length());
            if (!actions.index.containsKey(id)) {
                throw new IllegalArgumentException("--target " + targetSpec + ": action '" + id + "' never occurs in the logs; "
                        + "its value cannot be estimated from them");
            }
            policy = StratifiedPolicy.always(strata.size(), actions.size(), actions.index.get(id));
        } else {
            Path path = Path.of(targetSpec);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("--target " + targetSpec
                        + " is neither a CSV file nor 'uniform' nor 'action:ID'");
            }
            targetTable = CsvTable.read(path);
            int ta = targetTable.requireColumn(cols.action());
            int ts = s < 0 ? -1 : stratumOf(targetTable, cols);
            if (s >= 0 && ts < 0) {
                throw new IllegalArgumentException("the target " + path + " has no stratum column '" + cols.stratum()
                        + "' but the logs do; add it or pass --stratum-column none");
            }
            int tp = targetTable.columnIndex("probability");
            int m = targetTable.rowCount();
            int[] tAction = new int[m];
            int[] tStratum = new int[m];
            for (int i = 0; i < m; i++) {
                tAction[i] = actions.of(targetTable.get(i, ta).strip());
                tStratum[i] = ts < 0 ? strata.of("") : strata.of(targetTable.get(i, ts).strip());
            }
            boolean[] covered = new boolean[strata.size()];
            for (int i = 0; i < m; i++) {
                covered[tStratum[i]] = true;
            }
            for (int i = 0; i < n; i++) {
                if (!covered[stratum[i]]) {
                    throw new IllegalArgumentException("the target " + path + " has no row for " + cols.stratum() + " '"
                            + strata.names().get(stratum[i]) + "', which the logs have; its distribution there is unknown");
                }
            }
            if (tp >= 0) {
                double[] prob = targetTable.numbers(tp);
                double[][] table = new double[strata.size()][actions.size()];
                for (int i = 0; i < m; i++) {
                    table[tStratum[i]][tAction[i]] += prob[i];
                }
                policy = new StratifiedPolicy(table);
                kind = "probability table";
            } else {
                policy = StratifiedPolicy.empirical(strata.size(), actions.size(), tStratum, tAction);
                kind = "empirical frequencies of its log";
                targetRows = m;
                int tr = targetTable.columnIndex(cols.reward());
                if (tr >= 0 && targetTable.isNumeric(tr)) {
                    double[] own = targetTable.numbers(tr);
                    double mean = 0;
                    for (double v : own) {
                        mean += v;
                    }
                    mean /= m;
                    ownMean = mean;
                    ownReward = Bootstrap.meanInterval(own, config.bootstrap());
                }
            }
        }
        // Built after the target was read: actions or strata seen only in the target count too.
        BanditLog log = new BanditLog(strata.size(), actions.size(), stratum, action, reward, propensity);
        OffPolicyEvaluation.Report report = OffPolicyEvaluation.evaluate(log, policy, config);

        List<EstimateFigures> estimates = new ArrayList<>();
        for (OffPolicyEvaluation.Estimate e : report.estimates()) {
            Double relative = ownMean == null || ownMean == 0 ? null : (e.value() - ownMean) / ownMean;
            estimates.add(new EstimateFigures(e.estimator(), e.value(), e.interval().low(), e.interval().high(),
                    ownMean == null ? null : e.interval().contains(ownMean), relative));
        }
        OffPolicyEvaluation.WeightDiagnostics w = report.weights();
        return new Result(n, actions.index.size(), s < 0 ? List.of() : strata.names().stream().sorted().toList(),
                log.meanReward(), new Target(targetSpec, kind, targetRows, ownMean,
                        ownReward == null ? null : ownReward.low(), ownReward == null ? null : ownReward.high()),
                config.bootstrap().level(), config.bootstrap().resamples(), config.bootstrap().seed(),
                new RewardModel("tabular (stratum, action) means, shrunk to the stratum mean", config.priorStrength(),
                        config.folds()),
                Double.isFinite(report.switchTau()) ? report.switchTau() : null, estimates,
                new Weights(w.meanWeight(), w.maxWeight(), w.effectiveSampleSize(), w.zeroWeightShare()));
    }

    private static int stratumOf(CsvTable table, Columns cols) {
        if (cols.stratum() == null || cols.stratum().equalsIgnoreCase("none")) {
            return -1;
        }
        return table.columnIndex(cols.stratum());
    }

    private static void requireNumeric(CsvTable table, int column, String role) {
        if (!table.isNumeric(column)) {
            throw new IllegalArgumentException("the " + role + " column '" + table.header().get(column) + "' of "
                    + table.source() + " is not numeric");
        }
    }
}
