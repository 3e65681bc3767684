package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.PolicyComparison;
import dev.loopline.envs.data.CsvTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares policies over runs and tasks: IQM, probability of improvement, profiles, sequential test.",
                "",
                "The interquartile mean comes with stratified bootstrap intervals; the probability of improvement and the "
                        + "performance profiles too. The group-sequential permutation test (in the spirit of AdaStop) "
                        + "replays the runs in seed order, batch by batch, and says after which batch each pair of "
                        + "policies is declared better or worse, or (after the last batch) equal, with a family-wise "
                        + "error of at most --alpha. Higher scores are better.",
                "",
                "Input: CSV files with columns policy, task (optional), seed, score; or JSON files holding an array of "
                        + "such objects (or {\"results\": [...]})."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--results", required = true, arity = "1..*", paramLabel = "CSV|JSON", description = "Result files.")
    List<Path> results;

    @Option(names = "--batch", defaultValue = "5", description = "Runs per policy and task in each batch of the sequential test (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--alpha", defaultValue = "0.05", description = "Family-wise error bound of the sequential test (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--permutations", defaultValue = "10000", description = "Permutation paths of the sequential test (default: ${DEFAULT-VALUE}).")
    int permutations;

    @Option(names = "--resamples", defaultValue = "2000", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--level", defaultValue = "0.95", description = "Interval coverage (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the bootstrap and of the permutations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--profile-points", defaultValue = "11", description = "Thresholds of the performance profiles (default: ${DEFAULT-VALUE}).")
    int profilePoints;

    @Option(names = "--normalize", defaultValue = "none",
            description = "none, or min-max: rescale each task's scores to [0, 1] over all policies before pooling tasks (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write everything as JSON to FILE.")
    Path json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PolicyComparison.Result out;
        try {
            List<PolicyComparison.Run> all = new ArrayList<>();
            for (Path p : results) {
                all.addAll(read(p));
            }
            Bootstrap.Config bootstrap = new Bootstrap.Config(resamples, level, seed);
            out = PolicyComparison.compare(all, bootstrap, batch, alpha, permutations, profilePoints, normalize);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        print(out, System.out);
        if (json != null) {
            Json.write(json, out);
        }
        return 0;
    }

    static List<PolicyComparison.Run> read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8).strip();
        List<PolicyComparison.Run> out = new ArrayList<>();
        if (text.startsWith("[") || text.startsWith("{")) {
            JsonNode root = new ObjectMapper().readTree(text);
            JsonNode rows = root.isArray() ? root : root.path("results");
            if (!rows.isArray()) {
                throw new IllegalArgumentException(path + ": expected an array of results or {\"results\": [...]}");
            }
            int i = 0;
            for (JsonNode r : rows) {
                if (!r.hasNonNull("policy") || !r.hasNonNull("seed") || !r.hasNonNull("score") || !r.get("score").isNumber()) {
                    throw new IllegalArgumentException(path + " result " + i + " needs policy, seed and a numeric score: " + r);
                }
                out.add(new PolicyComparison.Run(r.get("policy").asText(), r.hasNonNull("task") ? r.get("task").asText() : "all",
                        r.get("seed").asText(), r.get("score").asDouble()));
                i++;
            }
            return out;
        }
        CsvTable t = CsvTable.read(path);
        int p = t.requireColumn("policy");
        int s = t.requireColumn("seed");
        int c = t.requireColumn("score");
        int k = t.columnIndex("task");
        if (!t.isNumeric(c)) {
            throw new IllegalArgumentException(path + ": the score column is not numeric");
        }
        double[] scores = t.numbers(c);
        for (int i = 0; i < t.rowCount(); i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException(path + " row " + i + " has no score");
            }
            out.add(new PolicyComparison.Run(t.get(i, p).strip(), k < 0 ? "all" : t.get(i, k).strip(), t.get(i, s).strip(), scores[i]));
        }
        return out;
    }

    static void print(PolicyComparison.Result out, PrintStream ps) {
        ps.printf(Locale.ROOT, "%d policies on %d task(s); %.0f%% stratified bootstrap intervals (%d resamples, seed %d)%s%n",
                out.policies().size(), out.tasks().size(), 100 * out.level(), out.resamples(), out.seed(),
                "none".equals(out.normalize()) ? "" : ", scores " + out.normalize());
        ps.printf(Locale.ROOT, "%-20s %6s %12s %12s %12s %12s%n", "policy", "runs", "mean", "IQM", "IQM low", "IQM high");
        for (PolicyComparison.Aggregate m : out.aggregates()) {
            ps.printf(Locale.ROOT, "%-20s %6d %12.5g %12.5g %12.5g %12.5g%n", m.policy(), m.runs(), m.mean(), m.iqm(),
                    m.iqmLow(), m.iqmHigh());
        }
        ps.println();
        ps.printf(Locale.ROOT, "%-20s %-20s %8s %8s %8s%n", "P(X > Y): X", "Y", "P", "low", "high");
        for (PolicyComparison.Improvement m : out.probabilityOfImprovement()) {
            ps.printf(Locale.ROOT, "%-20s %-20s %8.3f %8.3f %8.3f%n", m.x(), m.y(), m.probability(), m.low(), m.high());
        }
        ps.println();
        ps.println("performance profiles (fraction of runs scoring above tau):");
        boolean header = false;
        for (Map.Entry<String, List<PolicyComparison.ProfilePoint>> e : out.performanceProfiles().entrySet()) {
            if (!header) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s", "tau"));
                for (PolicyComparison.ProfilePoint p : e.getValue()) {
                    sb.append(String.format(Locale.ROOT, " %8.3g", p.tau()));
                }
                ps.println(sb);
                header = true;
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s", e.getKey()));
            for (PolicyComparison.ProfilePoint p : e.getValue()) {
                sb.append(String.format(Locale.ROOT, " %8.3f", p.fraction()));
            }
            ps.println(sb);
        }
        ps.println();
        PolicyComparison.SequentialTest test = out.sequentialTest();
        if (test.skipped() != null) {
            ps.println("sequential test skipped: " + test.skipped());
            return;
        }
        ps.printf(Locale.ROOT, "sequential permutation test: alpha %.3g, batches of %d runs, %d interims planned, %d used, level spent %.4f%n",
                test.alpha(), test.batch(), test.interims(), test.interimsUsed(), test.levelSpent());
        for (PolicyComparison.TestDecision d : test.decisions()) {
            ps.printf(Locale.ROOT, "  %-12s %-20s vs %-20s %-8s after interim %d (%d runs each), mean difference %.5g%n",
                    d.task(), d.first(), d.second(), d.verdict(), d.interim(), d.runs(), d.meanDifference());
        }
    }
}
