package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.core.ope.BanditLog;
import dev.loopline.core.ope.OffPolicyEvaluation;
import dev.loopline.core.ope.StratifiedPolicy;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.Interval;
import dev.loopline.envs.data.CsvTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "ope", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimates a policy's value from logged bandit decisions (IPS, SNIPS, DM, DR, switch-DR).",
                "",
                "The logs need a propensity column; the Open Bandit Dataset layout is the default (item_id, position, "
                        + "click, propensity_score). Each estimate comes with a percentile bootstrap interval. An action "
                        + "is a value of the action column; the target's distribution may depend on the stratum column "
                        + "(the slot or position). The reward model of DM and DR is the mean reward per (stratum, action), "
                        + "shrunk towards the stratum's mean and cross-fitted.",
                "",
                "--target is one of:",
                "  a CSV log of the target policy: its action frequencies per stratum are its distribution, and its "
                        + "own mean reward is printed for comparison;",
                "  a CSV with a 'probability' column: the action (and stratum) columns name the cells;",
                "  uniform: every action equally likely;  action:ID: always the action ID."})
final class OpeCommand implements Callable<Integer> {
    @Option(names = {"--dataset", "--logs"}, required = true, paramLabel = "CSV", description = "Logged decisions of the logging policy (--logs: the older name).")
    Path logs;

    @Option(names = "--target", required = true, paramLabel = "CSV|uniform|action:ID", description = "The policy to evaluate (see above).")
    String target;

    @Option(names = "--action-column", defaultValue = "item_id", description = "Action column (default: ${DEFAULT-VALUE}).")
    String actionColumn;

    @Option(names = "--stratum-column", defaultValue = "position",
            description = "Column the target's distribution depends on, or 'none' (default: ${DEFAULT-VALUE}; ignored when absent from the logs).")
    String stratumColumn;

    @Option(names = "--reward-column", defaultValue = "click", description = "Reward column (default: ${DEFAULT-VALUE}).")
    String rewardColumn;

    @Option(names = "--propensity-column", defaultValue = "propensity_score",
            description = "Logging probability of the logged action (default: ${DEFAULT-VALUE}).")
    String propensityColumn;

    @Option(names = "--resamples", defaultValue = "2000", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--level", defaultValue = "0.95", description = "Interval coverage (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--seed", defaultValue = "42", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--switch-tau", defaultValue = "auto",
            description = "Switch-DR weight threshold: a number, Infinity, or auto (tuned on the logs; default).")
    String switchTau;

    @Option(names = "--prior-strength", defaultValue = "10",
            description = "Reward model: pseudo-observations shrinking each (stratum, action) mean to its stratum's (default: ${DEFAULT-VALUE}).")
    double priorStrength;

    @Option(names = "--folds", defaultValue = "2",
            description = "Reward model: cross-fitting folds; 1 fits it on all rows (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the estimates as JSON to FILE.")
    Path json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logs", logs.toString());
        try {
            Bootstrap.Config bootstrap = new Bootstrap.Config(resamples, level, seed);
            Double tau;
            try {
                tau = "auto".equalsIgnoreCase(switchTau) ? null : Double.valueOf(switchTau);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--switch-tau " + switchTau + " is not a number, Infinity or auto");
            }
            Columns cols = new Columns(actionColumn, stratumColumn, rewardColumn, propensityColumn);
            out.putAll(run(CsvTable.read(logs), target, cols, new OffPolicyEvaluation.Config(bootstrap, tau, priorStrength,
                    folds)));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        print(out, System.out);
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        return 0;
    }

    /** Which columns hold what. {@code stratum} may be "none". */
    record Columns(String action, String stratum, String reward, String propensity) {}

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

    static Map<String, Object> run(CsvTable logTable, String targetSpec, Columns cols, OffPolicyEvaluation.Config config)
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

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> targetInfo = new LinkedHashMap<>();
        targetInfo.put("spec", targetSpec);
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
                targetInfo.put("kind", "probability table");
            } else {
                policy = StratifiedPolicy.empirical(strata.size(), actions.size(), tStratum, tAction);
                targetInfo.put("kind", "empirical frequencies of its log");
                targetInfo.put("rows", m);
                int tr = targetTable.columnIndex(cols.reward());
                if (tr >= 0 && targetTable.isNumeric(tr)) {
                    double[] own = targetTable.numbers(tr);
                    double mean = 0;
                    for (double v : own) {
                        mean += v;
                    }
                    mean /= m;
                    Interval ci = Bootstrap.meanInterval(own, config.bootstrap());
                    targetInfo.put("ownReward", mean);
                    targetInfo.put("ownRewardLow", ci.low());
                    targetInfo.put("ownRewardHigh", ci.high());
                }
            }
        }
        // Built after the target was read: actions or strata seen only in the target count too.
        BanditLog log = new BanditLog(strata.size(), actions.size(), stratum, action, reward, propensity);
        OffPolicyEvaluation.Report report = OffPolicyEvaluation.evaluate(log, policy, config);

        out.put("rows", n);
        out.put("actions", actions.index.size());
        out.put("strata", s < 0 ? List.of() : strata.names().stream().sorted().toList());
        out.put("loggingReward", log.meanReward());
        out.put("target", targetInfo);
        out.put("level", config.bootstrap().level());
        out.put("resamples", config.bootstrap().resamples());
        out.put("seed", config.bootstrap().seed());
        Map<String, Object> rewardModel = new LinkedHashMap<>();
        rewardModel.put("kind", "tabular (stratum, action) means, shrunk to the stratum mean");
        rewardModel.put("priorStrength", config.priorStrength());
        rewardModel.put("folds", config.folds());
        out.put("rewardModel", rewardModel);
        out.put("switchTau", finiteOrNull(report.switchTau()));
        List<Map<String, Object>> estimates = new ArrayList<>();
        for (OffPolicyEvaluation.Estimate e : report.estimates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("estimator", e.estimator());
            m.put("value", e.value());
            m.put("low", e.interval().low());
            m.put("high", e.interval().high());
            if (targetInfo.containsKey("ownReward")) {
                double own = (Double) targetInfo.get("ownReward");
                m.put("containsOwnReward", e.interval().contains(own));
                m.put("relativeError", own == 0 ? null : (e.value() - own) / own);
            }
            estimates.add(m);
        }
        out.put("estimates", estimates);
        OffPolicyEvaluation.WeightDiagnostics w = report.weights();
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("mean", w.meanWeight());
        weights.put("max", w.maxWeight());
        weights.put("effectiveSampleSize", w.effectiveSampleSize());
        weights.put("zeroWeightShare", w.zeroWeightShare());
        out.put("weights", weights);
        return out;
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

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> out, PrintStream ps) {
        Map<String, Object> t = (Map<String, Object>) out.get("target");
        ps.printf(Locale.ROOT, "Off-policy estimates of %s from %s: %d logged decisions, %d actions, strata %s%n", t.get("spec"),
                out.get("logs"), out.get("rows"), out.get("actions"), out.get("strata"));
        ps.printf(Locale.ROOT, "%.0f%% percentile bootstrap intervals, %d resamples, seed %d; logging policy's own reward %.6f%n",
                100 * (Double) out.get("level"), out.get("resamples"), out.get("seed"), out.get("loggingReward"));
        boolean own = t.containsKey("ownReward");
        ps.printf(Locale.ROOT, "%-10s %10s %10s %10s%s%n", "estimator", "estimate", "low", "high", own ? "   vs target log" : "");
        for (Map<String, Object> e : (List<Map<String, Object>>) out.get("estimates")) {
            String vs = "";
            if (own) {
                Double rel = (Double) e.get("relativeError");
                vs = String.format(Locale.ROOT, "   %+6.1f%%%s", rel == null ? Double.NaN : 100 * rel,
                        Boolean.TRUE.equals(e.get("containsOwnReward")) ? ", inside" : ", OUTSIDE");
            }
            ps.printf(Locale.ROOT, "%-10s %10.6f %10.6f %10.6f%s%n", e.get("estimator"), e.get("value"), e.get("low"),
                    e.get("high"), vs);
        }
        if (own) {
            ps.printf(Locale.ROOT, "%-10s %10.6f %10.6f %10.6f   (the target log's own reward, %d rows)%n", "target log",
                    t.get("ownReward"), t.get("ownRewardLow"), t.get("ownRewardHigh"), t.get("rows"));
        }
        Map<String, Object> w = (Map<String, Object>) out.get("weights");
        Object tau = out.get("switchTau");
        ps.printf(Locale.ROOT, "weights: mean %.3f, max %.2f, effective sample size %.0f, zero-weight share %.3f; switch-DR tau %s%n",
                w.get("mean"), w.get("max"), w.get("effectiveSampleSize"), w.get("zeroWeightShare"),
                tau == null ? "Infinity" : String.format(Locale.ROOT, "%.3f", (Double) tau));
    }
}
