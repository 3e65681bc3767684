package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.Interval;
import dev.loopline.core.stats.RobustAggregates;
import dev.loopline.core.stats.SequentialPermutationTest;
import dev.loopline.envs.data.CsvTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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

    /** One run's score. */
    record Result(String policy, String task, String seed, double score) {}

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out;
        try {
            List<Result> all = new ArrayList<>();
            for (Path p : results) {
                all.addAll(read(p));
            }
            Bootstrap.Config bootstrap = new Bootstrap.Config(resamples, level, seed);
            out = run(all, bootstrap, batch, alpha, permutations, profilePoints, normalize);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        print(out, System.out);
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        return 0;
    }

    static List<Result> read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8).strip();
        List<Result> out = new ArrayList<>();
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
                out.add(new Result(r.get("policy").asText(), r.hasNonNull("task") ? r.get("task").asText() : "all",
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
            out.add(new Result(t.get(i, p).strip(), k < 0 ? "all" : t.get(i, k).strip(), t.get(i, s).strip(), scores[i]));
        }
        return out;
    }

    /** Everything the command prints, as a JSON-ready map. */
    static Map<String, Object> run(List<Result> results, Bootstrap.Config bootstrap, int batch, double alpha,
            int permutations, int profilePoints, String normalize) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no results to compare");
        }
        List<String> policies = results.stream().map(Result::policy).distinct().toList();
        List<String> tasks = results.stream().map(Result::task).distinct().toList();
        if (policies.size() < 2) {
            throw new IllegalArgumentException("need at least two policies to compare, got " + policies);
        }
        boolean numericSeeds = results.stream().allMatch(r -> r.seed().matches("-?\\d+(\\.\\d+)?"));
        Comparator<Result> bySeed = numericSeeds ? Comparator.comparingDouble(r -> Double.parseDouble(r.seed()))
                : Comparator.comparing(Result::seed);
        // scores[task][policy][run], runs in seed order.
        double[][][] scores = new double[tasks.size()][policies.size()][];
        for (int t = 0; t < tasks.size(); t++) {
            for (int p = 0; p < policies.size(); p++) {
                String task = tasks.get(t);
                String policy = policies.get(p);
                List<Result> runs = results.stream().filter(r -> r.task().equals(task) && r.policy().equals(policy))
                        .sorted(bySeed).toList();
                if (runs.isEmpty()) {
                    throw new IllegalArgumentException("policy " + policy + " has no run on task " + task
                            + "; every policy needs runs on every task");
                }
                scores[t][p] = runs.stream().mapToDouble(Result::score).toArray();
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

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("policies", policies);
        out.put("tasks", tasks);
        out.put("normalize", normalize);
        out.put("level", bootstrap.level());
        out.put("resamples", bootstrap.resamples());
        out.put("seed", bootstrap.seed());
        List<Map<String, Object>> aggregates = new ArrayList<>();
        for (int p = 0; p < policies.size(); p++) {
            Interval ci = RobustAggregates.iqmInterval(byPolicy[p], bootstrap);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy", policies.get(p));
            m.put("runs", java.util.Arrays.stream(byPolicy[p]).mapToInt(r -> r.length).sum());
            m.put("mean", RobustAggregates.mean(byPolicy[p]));
            m.put("iqm", RobustAggregates.iqm(byPolicy[p]));
            m.put("iqmLow", ci.low());
            m.put("iqmHigh", ci.high());
            aggregates.add(m);
        }
        out.put("aggregates", aggregates);

        List<Map<String, Object>> improvements = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            for (int j = 0; j < policies.size(); j++) {
                if (i == j) {
                    continue;
                }
                Interval ci = RobustAggregates.probabilityOfImprovementInterval(byPolicy[i], byPolicy[j], bootstrap);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("x", policies.get(i));
                m.put("y", policies.get(j));
                m.put("probability", RobustAggregates.probabilityOfImprovement(byPolicy[i], byPolicy[j]));
                m.put("low", ci.low());
                m.put("high", ci.high());
                improvements.add(m);
            }
        }
        out.put("probabilityOfImprovement", improvements);

        double[] taus = RobustAggregates.thresholds(profilePoints, byPolicy);
        Map<String, Object> profiles = new LinkedHashMap<>();
        for (int p = 0; p < policies.size(); p++) {
            double[] f = RobustAggregates.performanceProfile(byPolicy[p], taus);
            Interval[] ci = RobustAggregates.performanceProfileIntervals(byPolicy[p], taus, bootstrap);
            List<Map<String, Object>> points = new ArrayList<>();
            for (int k = 0; k < taus.length; k++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("tau", taus[k]);
                m.put("fraction", f[k]);
                m.put("low", ci[k].low());
                m.put("high", ci[k].high());
                points.add(m);
            }
            profiles.put(policies.get(p), points);
        }
        out.put("performanceProfiles", profiles);

        int minRuns = Integer.MAX_VALUE;
        for (double[][] task : scores) {
            for (double[] runs : task) {
                minRuns = Math.min(minRuns, runs.length);
            }
        }
        Map<String, Object> test = new LinkedHashMap<>();
        int interims = minRuns / batch;
        test.put("alpha", alpha);
        test.put("batch", batch);
        test.put("permutations", permutations);
        if (interims < 1) {
            test.put("skipped", "every policy needs at least --batch " + batch + " runs per task; the fewest is " + minRuns);
        } else {
            SequentialPermutationTest.Config config = new SequentialPermutationTest.Config(alpha, batch, interims,
                    permutations, bootstrap.seed());
            // The test compares raw scores task by task; normalisation does not change its verdicts.
            SequentialPermutationTest seq = SequentialPermutationTest.replay(scores, tasks, policies, config);
            test.put("interims", interims);
            test.put("interimsUsed", seq.interim());
            test.put("runsAvailable", interims * batch);
            test.put("levelSpent", seq.levelSpent());
            List<Map<String, Object>> decisions = new ArrayList<>();
            for (SequentialPermutationTest.Decision d : seq.decisions()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("task", d.task());
                m.put("first", d.first());
                m.put("second", d.second());
                m.put("verdict", d.verdict().name().toLowerCase(Locale.ROOT));
                m.put("interim", d.interim());
                m.put("runs", d.runs());
                m.put("meanDifference", d.meanDifference());
                decisions.add(m);
            }
            test.put("decisions", decisions);
        }
        out.put("sequentialTest", test);
        return out;
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

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> out, PrintStream ps) {
        ps.printf(Locale.ROOT, "%d policies on %d task(s); %.0f%% stratified bootstrap intervals (%d resamples, seed %d)%s%n",
                ((List<?>) out.get("policies")).size(), ((List<?>) out.get("tasks")).size(), 100 * (Double) out.get("level"),
                out.get("resamples"), out.get("seed"), "none".equals(out.get("normalize")) ? "" : ", scores " + out.get("normalize"));
        ps.printf(Locale.ROOT, "%-20s %6s %12s %12s %12s %12s%n", "policy", "runs", "mean", "IQM", "IQM low", "IQM high");
        for (Map<String, Object> m : (List<Map<String, Object>>) out.get("aggregates")) {
            ps.printf(Locale.ROOT, "%-20s %6d %12.5g %12.5g %12.5g %12.5g%n", m.get("policy"), m.get("runs"), m.get("mean"),
                    m.get("iqm"), m.get("iqmLow"), m.get("iqmHigh"));
        }
        ps.println();
        ps.printf(Locale.ROOT, "%-20s %-20s %8s %8s %8s%n", "P(X > Y): X", "Y", "P", "low", "high");
        for (Map<String, Object> m : (List<Map<String, Object>>) out.get("probabilityOfImprovement")) {
            ps.printf(Locale.ROOT, "%-20s %-20s %8.3f %8.3f %8.3f%n", m.get("x"), m.get("y"), m.get("probability"),
                    m.get("low"), m.get("high"));
        }
        ps.println();
        Map<String, Object> profiles = (Map<String, Object>) out.get("performanceProfiles");
        ps.println("performance profiles (fraction of runs scoring above tau):");
        boolean header = false;
        for (Map.Entry<String, Object> e : profiles.entrySet()) {
            List<Map<String, Object>> points = (List<Map<String, Object>>) e.getValue();
            if (!header) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s", "tau"));
                for (Map<String, Object> p : points) {
                    sb.append(String.format(Locale.ROOT, " %8.3g", (Double) p.get("tau")));
                }
                ps.println(sb);
                header = true;
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s", e.getKey()));
            for (Map<String, Object> p : points) {
                sb.append(String.format(Locale.ROOT, " %8.3f", (Double) p.get("fraction")));
            }
            ps.println(sb);
        }
        ps.println();
        Map<String, Object> test = (Map<String, Object>) out.get("sequentialTest");
        if (test.containsKey("skipped")) {
            ps.println("sequential test skipped: " + test.get("skipped"));
            return;
        }
        ps.printf(Locale.ROOT, "sequential permutation test: alpha %.3g, batches of %d runs, %d interims planned, %d used, level spent %.4f%n",
                test.get("alpha"), test.get("batch"), test.get("interims"), test.get("interimsUsed"), test.get("levelSpent"));
        for (Map<String, Object> d : (List<Map<String, Object>>) test.get("decisions")) {
            ps.printf(Locale.ROOT, "  %-12s %-20s vs %-20s %-8s after interim %d (%d runs each), mean difference %.5g%n",
                    d.get("task"), d.get("first"), d.get("second"), d.get("verdict"), d.get("interim"), d.get("runs"),
                    d.get("meanDifference"));
        }
    }
}
