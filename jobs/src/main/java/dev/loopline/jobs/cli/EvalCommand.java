package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.core.bandit.PolicyConfig;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.envs.data.LabelledData;
import dev.loopline.jobs.eval.SupervisedBanditEval;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates bandit policies on labelled data (supervised-to-bandit): each class is an action, the",
                "reward is 1 when the chosen action is the row's label, else 0, and only the chosen action's reward",
                "is revealed. Progressive: each row is decided, then learned. Features are used as they come (the",
                "policies standardise them online). Also reports a uniform-random floor and a supervised upper bound",
                "(the same linear learner with every action's reward), computed the same way."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, paramLabel = "CSV", description = "CSV file with a header row.")
    Path dataset;

    @Option(names = "--label", paramLabel = "NAME", description = "Label column (default: the last column).")
    String label;

    @Option(names = "--skip", split = ",", paramLabel = "COLS", description = "Columns to leave out (comma-separated names).")
    List<String> skip = new ArrayList<>();

    @Option(names = "--policies", split = ",", defaultValue = "all", paramLabel = "LIST",
            description = "Comma-separated policy names, or all (default): greedy, epsilon-greedy, softmax, linucb,"
                    + " linucb-hybrid, lin-ts, squarecb-linear, bagging-ts, regcb-opt; and squarecb, the loop's default, whose"
                    + " reward network is retrained every 1000 outcomes as the loop's trainer does (not in all: it is slow).")
    List<String> policies;

    @Option(names = "--passes", defaultValue = "1", paramLabel = "N", description = "Shuffled passes over the data (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the shuffles and of every policy's draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures and configs as JSON to FILE.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LabelledData data;
        SupervisedBanditEval eval;
        List<PolicyConfig> configs;
        try {
            data = LabelledData.of(CsvTable.read(dataset), label, skip);
            eval = new SupervisedBanditEval(data, new SupervisedBanditEval.Options(passes, seed));
            configs = eval.configs(policies);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%s: %d rows, %d features, %d actions (classes), %d passes, seed %d%s%n", dataset,
                data.size(), data.featureNames().size(), data.classes().size(), passes, seed,
                data.droppedNoLabel() > 0 ? ", " + data.droppedNoLabel() + " rows without a label dropped" : "");
        out.printf(Locale.ROOT, "%-16s %11s %10s %8s %12s%n", "policy", "meanReward", "lastPass", "rounds", "events/s");
        List<SupervisedBanditEval.Result> results = new ArrayList<>();
        results.add(print(out, eval.uniform()));
        for (PolicyConfig config : configs) {
            results.add(print(out, eval.run(config)));
        }
        results.add(print(out, eval.supervised()));
        SupervisedBanditEval.Result best = null;
        for (SupervisedBanditEval.Result r : results.subList(1, results.size() - 1)) {
            if (best == null || r.meanReward() > best.meanReward()) {
                best = r;
            }
        }
        if (best != null) {
            out.printf(Locale.ROOT, "best bandit policy: %s (%.4f)%n", best.policy(), best.meanReward());
        }
        if (json != null) {
            writeJson(data, results, best);
            out.println("wrote " + json);
        }
        return 0;
    }

    private static SupervisedBanditEval.Result print(PrintStream out, SupervisedBanditEval.Result r) {
        out.printf(Locale.ROOT, "%-16s %11.4f %10.4f %8d %12.0f%n", r.policy(), r.meanReward(), r.lastPassMeanReward(),
                r.rounds(), r.eventsPerSecond());
        out.flush();
        return r;
    }

    private void writeJson(LabelledData data, List<SupervisedBanditEval.Result> results,
            SupervisedBanditEval.Result best) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dataset", dataset.toString());
        doc.put("rows", data.size());
        doc.put("features", data.featureNames().size());
        doc.put("actions", data.classes());
        doc.put("passes", passes);
        doc.put("seed", seed);
        List<Map<String, Object>> list = new ArrayList<>();
        for (SupervisedBanditEval.Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy", r.policy());
            m.put("meanReward", r.meanReward());
            m.put("lastPassMeanReward", r.lastPassMeanReward());
            m.put("rounds", r.rounds());
            m.put("seconds", r.seconds());
            m.put("eventsPerSecond", r.eventsPerSecond());
            m.put("config", configOf(mapper, r.config()));
            list.add(m);
        }
        doc.put("policies", list);
        doc.put("best", best == null ? null : best.policy());
        mapper.writeValue(json.toFile(), doc);
    }

    /** The config as JSON, with the scorer's kind and the strategy's name beside their parameters. */
    static Map<String, Object> configOf(ObjectMapper mapper, PolicyConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", config.name());
        m.put("seed", config.seed());
        m.put("features", mapper.convertValue(config.features(), Map.class));
        Map<String, Object> scorer = new LinkedHashMap<>();
        scorer.put("kind", config.scorer().kind());
        scorer.putAll(mapper.convertValue(config.scorer(), Map.class));
        m.put("scorer", scorer);
        Map<String, Object> exploration = new LinkedHashMap<>();
        exploration.put("strategy", config.exploration().strategy());
        exploration.putAll(mapper.convertValue(config.exploration(), Map.class));
        m.put("exploration", exploration);
        return m;
    }
}
