package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.core.bandit.PolicyConfig;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.envs.data.LabelledData;
import dev.loopline.envs.record.Recordings;
import dev.loopline.jobs.eval.RecordedStreamEval;
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
                "(the same linear learner with every action's reward), computed the same way.",
                "Given a recording of a run (loopline demo|env --record FILE) instead of a CSV, it replays those",
                "events in their order, each decided then learned at once, with policy state per --scope; with",
                "--stream-summary (the demo's --summary of the same run) it prints the price of streaming: the",
                "stream's regret against the offline replay's on the same events."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, paramLabel = "CSV|RECORDING",
            description = "CSV file with a header row, or a recording of a run (loopline demo|env --record).")
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

    @Option(names = "--scope", defaultValue = "entity", paramLabel = "entity|global",
            description = "Recordings: where a learning policy's state lives, as state.scope in the loop (default: ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--stream-summary", paramLabel = "FILE",
            description = "Recordings: the demo's --summary JSON of the recorded run; adds its policy to --policies and prints"
                    + " the stream's regret per event against the replay's.")
    Path streamSummary;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures and configs as JSON to FILE.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Recordings.isRecording(dataset)) {
            return replayRecording();
        }
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

    private int replayRecording() throws Exception {
        Recordings.Recording recording;
        RecordedStreamEval eval;
        StreamSummary stream = null;
        List<PolicyConfig> configs;
        try {
            recording = Recordings.read(dataset);
            eval = new RecordedStreamEval(recording.events(), RecordedStreamEval.Scope.parse(scope), seed);
            configs = new ArrayList<>(SupervisedBanditEval.configs(policies, seed));
            if (streamSummary != null) {
                stream = StreamSummary.read(streamSummary);
                String streamed = stream.policy();
                if (configs.stream().noneMatch(c -> c.name().equals(streamed))) {
                    configs.add(PolicyFactory.defaults(streamed, seed));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%s: recording of %s, %d events, replayed in order, policy state per %s, seed %d%n", dataset,
                recording.environment(), eval.size(), scope, seed);
        out.printf(Locale.ROOT, "%-16s %11s %12s %12s %12s%n", "policy", "meanReward", "lastQuarter", "regret/event", "events/s");
        List<RecordedStreamEval.Result> results = new ArrayList<>();
        results.add(print(out, eval.uniform()));
        for (PolicyConfig config : configs) {
            results.add(print(out, eval.run(config)));
        }
        PriceOfStreaming price = null;
        if (stream != null) {
            String streamed = stream.policy();
            RecordedStreamEval.Result offline = results.stream().filter(r -> r.policy().equals(streamed)).findFirst()
                    .orElseThrow();
            // Once learned: the regret of the last quarter of the events alone.
            Double lastQuarterRatio = stream.regretLastQuarter() != null && offline.lastQuarterMeanRegret() > 0
                    ? stream.regretLastQuarter() / offline.lastQuarterMeanRegret() : null;
            price = new PriceOfStreaming(stream, offline.meanRegret(),
                    offline.meanRegret() > 0 ? stream.meanRegret() / offline.meanRegret() : null, lastQuarterRatio);
            out.printf(Locale.ROOT, "stream (%s): %s, %d decisions, mean reward %.4f%s, regret/event %.4f%n",
                    streamSummary, stream.policy(), stream.decisions(), stream.meanReward(),
                    stream.meanRewardLastQuarter() == null ? ""
                            : String.format(Locale.ROOT, " (last quarter %.4f)", stream.meanRewardLastQuarter()),
                    stream.meanRegret());
            out.printf(Locale.ROOT, "price of streaming (%s): stream regret / offline regret = %s%n", stream.policy(),
                    price.regretRatio() == null ? "undefined (no offline regret)"
                            : String.format(Locale.ROOT, "%.2f", price.regretRatio()));
            if (price.lastQuarterRegretRatio() != null) {
                out.printf(Locale.ROOT, "  over the last quarter of the events (once learned): %.2f%n", price.lastQuarterRegretRatio());
            }
            if (stream.decisions() != eval.size()) {
                out.printf(Locale.ROOT, "note: the stream decided %d events, the recording holds %d%n", stream.decisions(),
                        eval.size());
            }
        }
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("recording", dataset.toString());
            doc.put("environment", recording.environment());
            doc.put("events", eval.size());
            doc.put("scope", scope);
            doc.put("seed", seed);
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            List<Map<String, Object>> list = new ArrayList<>();
            for (RecordedStreamEval.Result r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("policy", r.policy());
                m.put("meanReward", r.meanReward());
                m.put("lastQuarterMeanReward", r.lastQuarterMeanReward());
                m.put("meanExpectedReward", r.meanExpectedReward());
                m.put("oracleMeanReward", r.oracleMeanReward());
                m.put("lastQuarterMeanRegret", r.lastQuarterMeanRegret());
                m.put("meanRegret", r.meanRegret());
                m.put("eventsPerSecond", r.eventsPerSecond());
                m.put("config", configOf(mapper, r.config()));
                list.add(m);
            }
            doc.put("policies", list);
            doc.put("priceOfStreaming", price);
            mapper.writeValue(json.toFile(), doc);
            out.println("wrote " + json);
        }
        return 0;
    }

    /** What the demo's summary says of the stream, per event. */
    record StreamSummary(String policy, long decisions, double meanReward, Double meanRewardLastQuarter, double meanRegret,
            Double regretLastQuarter) {
        static StreamSummary read(Path file) {
            JsonNode s;
            try {
                s = new ObjectMapper().readTree(file.toFile());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read the stream summary " + file + ": " + e.getMessage(), e);
            }
            for (String field : List.of("policy", "uniqueDecisionIds", "meanReward", "cumulativeRegret")) {
                if (!s.hasNonNull(field)) {
                    throw new IllegalArgumentException(file + " has no " + field + "; give the JSON of loopline demo --summary");
                }
            }
            long n = Math.max(1, s.get("uniqueDecisionIds").asLong());
            return new StreamSummary(s.get("policy").asText(), n, s.get("meanReward").asDouble(),
                    s.hasNonNull("meanRewardLastQuarter") ? s.get("meanRewardLastQuarter").asDouble() : null,
                    s.get("cumulativeRegret").asDouble() / n,
                    s.hasNonNull("regretPerDecisionLastQuarter") ? s.get("regretPerDecisionLastQuarter").asDouble() : null);
        }
    }

    /** The stream's regret per event against the offline replay's on the same events. */
    record PriceOfStreaming(StreamSummary stream, double offlineMeanRegret, Double regretRatio,
            Double lastQuarterRegretRatio) {}

    private static RecordedStreamEval.Result print(PrintStream out, RecordedStreamEval.Result r) {
        out.printf(Locale.ROOT, "%-16s %11.4f %12.4f %12.4f %12.0f%n", r.policy(), r.meanReward(), r.lastQuarterMeanReward(),
                r.meanRegret(), r.eventsPerSecond());
        out.flush();
        return r;
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
