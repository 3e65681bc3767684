package dev.loopline.jobs.cli;

import dev.loopline.core.ope.OffPolicyEvaluation;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.jobs.eval.LoggedPolicyEvaluation;
import java.io.PrintStream;
import java.nio.file.Path;
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
        LoggedPolicyEvaluation.Result result;
        try {
            Bootstrap.Config bootstrap = new Bootstrap.Config(resamples, level, seed);
            Double tau;
            try {
                tau = "auto".equalsIgnoreCase(switchTau) ? null : Double.valueOf(switchTau);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--switch-tau " + switchTau + " is not a number, Infinity or auto");
            }
            LoggedPolicyEvaluation.Columns cols = new LoggedPolicyEvaluation.Columns(actionColumn, stratumColumn,
                    rewardColumn, propensityColumn);
            result = LoggedPolicyEvaluation.run(CsvTable.read(logs), target, cols,
                    new OffPolicyEvaluation.Config(bootstrap, tau, priorStrength, folds));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        print(logs, result, System.out);
        if (json != null) {
            Json.write(json, Map.of("logs", logs.toString()), result);
        }
        return 0;
    }

    static void print(Path logs, LoggedPolicyEvaluation.Result r, PrintStream ps) {
        LoggedPolicyEvaluation.Target t = r.target();
        ps.printf(Locale.ROOT, "Off-policy estimates of %s from %s: %d logged decisions, %d actions, strata %s%n", t.spec(),
                logs, r.rows(), r.actions(), r.strata());
        ps.printf(Locale.ROOT, "%.0f%% percentile bootstrap intervals, %d resamples, seed %d; logging policy's own reward %.6f%n",
                100 * r.level(), r.resamples(), r.seed(), r.loggingReward());
        boolean own = t.ownReward() != null;
        ps.printf(Locale.ROOT, "%-10s %10s %10s %10s%s%n", "estimator", "estimate", "low", "high", own ? "   vs target log" : "");
        for (LoggedPolicyEvaluation.EstimateFigures e : r.estimates()) {
            String vs = "";
            if (own) {
                vs = String.format(Locale.ROOT, "   %+6.1f%%%s", e.relativeError() == null ? Double.NaN : 100 * e.relativeError(),
                        Boolean.TRUE.equals(e.containsOwnReward()) ? ", inside" : ", OUTSIDE");
            }
            ps.printf(Locale.ROOT, "%-10s %10.6f %10.6f %10.6f%s%n", e.estimator(), e.value(), e.low(), e.high(), vs);
        }
        if (own) {
            ps.printf(Locale.ROOT, "%-10s %10.6f %10.6f %10.6f   (the target log's own reward, %d rows)%n", "target log",
                    t.ownReward(), t.ownRewardLow(), t.ownRewardHigh(), t.rows());
        }
        LoggedPolicyEvaluation.Weights w = r.weights();
        ps.printf(Locale.ROOT, "weights: mean %.3f, max %.2f, effective sample size %.0f, zero-weight share %.3f; switch-DR tau %s%n",
                w.mean(), w.max(), w.effectiveSampleSize(), w.zeroWeightShare(),
                r.switchTau() == null ? "Infinity" : String.format(Locale.ROOT, "%.3f", r.switchTau()));
    }
}
