package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.core.memory.ErrorMemoryStats;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.jobs.eval.BanditMemoryEvaluation;
import dev.loopline.jobs.eval.MemoryStreams;
import dev.loopline.core.memory.MemoryEvaluation;
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

@Command(name = "eval-memory", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates error-memory adaptation on a drifting stream: a prequential pass over the rows in file",
                "order with a slow base model alone (logistic regression for a 0/1 label, linear regression for a",
                "numeric one, on standardised features, refitted in batches and frozen in between, or online SGD),",
                "and one with the same base model corrected by an error memory of its recent residuals on similar",
                "inputs. Loss: squared error (on the probability for 0/1 labels). Reports the loss over the whole",
                "stream, the excess loss after each shift (above the base model's pre-shift level, summed over",
                "--window rows; the memory's excess above its own level beside it) and the loss over the",
                "stationary stretches.",
                "With --env payments instead of --dataset: a bandit loop on the payments simulator with two issuer",
                "outages (20-45 s of 60k events), a policy of the suite learning online, alone and with the error",
                "memory correcting its predicted rewards; the loss is the exact regret."})
final class EvalMemoryCommand implements Callable<Integer> {
    @Option(names = "--dataset", paramLabel = "CSV", description = "CSV file with a header row.")
    Path dataset;

    @Option(names = "--env", paramLabel = "payments", description = "Evaluate on the payments simulator with issuer outages instead of a CSV.")
    String env;

    @Option(names = "--policy", defaultValue = "squarecb-linear", description = "With --env: the learning policy (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--label", paramLabel = "NAME", description = "Label column (default: the last column).")
    String label;

    @Option(names = "--shifts", split = ",", paramLabel = "ROW,ROW", description = "Known shift rows (0-based data rows);"
            + " without them, shifts are detected by ADWIN on the base model's loss.")
    List<Integer> shifts = new ArrayList<>();

    @Option(names = "--window", defaultValue = "2000", paramLabel = "N",
            description = "Rows after a shift whose excess loss is summed; rows before it set the level (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the memory's hyperplanes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures and the configs as JSON to FILE.")
    Path json;

    @Option(names = "--refit-every", defaultValue = "2000", paramLabel = "N",
            description = "The base model is refitted every N rows on the last N and frozen in between; 0 for online"
                    + " SGD instead (default: ${DEFAULT-VALUE}).")
    int refitEvery;

    @Option(names = "--learning-rate", defaultValue = "0.003", paramLabel = "RATE",
            description = "SGD step of the base model with --refit-every 0 (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--capacity", paramLabel = "N", description = "Entries the memory keeps (default: the config default).")
    Integer capacity;

    @Option(names = "--k", paramLabel = "N", description = "Neighbours averaged per look-up.")
    Integer k;

    @Option(names = "--tables", paramLabel = "N", description = "LSH tables.")
    Integer tables;

    @Option(names = "--bits", paramLabel = "N", description = "Hyperplanes per table.")
    Integer bits;

    @Option(names = "--bucket-capacity", paramLabel = "N", description = "Most recent entries kept per bucket.")
    Integer bucketCapacity;

    @Option(names = "--weight", paramLabel = "W", description = "Compensation weight, in [0, 1].")
    Double weight;

    @Option(names = "--temperature", paramLabel = "T", description = "Softmax temperature over similarities.")
    Double temperature;

    @Option(names = "--min-similarity", paramLabel = "S", description = "Neighbours less similar are ignored.")
    Double minSimilarity;

    @Option(names = "--shrinkage", paramLabel = "N", description = "Prior weight of no correction.")
    Double shrinkage;

    @Option(names = "--similarity", paramLabel = "KIND", description = "euclidean or cosine.")
    String similarity;

    @Option(names = "--bandwidth", paramLabel = "H", description = "Euclidean kernel length scale (standardised units).")
    Double bandwidth;

    @Option(names = "--ttl", paramLabel = "ROWS", description = "Entries older than this many rows are not used.")
    Long ttl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((dataset == null) == (env == null)) {
            throw new ParameterException(spec.commandLine(), "give either --dataset CSV or --env payments");
        }
        if (env != null) {
            return bandit();
        }
        MemoryEvaluation.Stream stream;
        MemoryEvaluation.Options options;
        try {
            stream = MemoryStreams.of(CsvTable.read(dataset), label);
            options = new MemoryEvaluation.Options(shifts, window, refitEvery, learningRate, memoryConfig());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        MemoryEvaluation.Result r;
        try {
            r = new MemoryEvaluation(stream, options).run();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%s: %d rows, %d features, %s label; shifts %s (%s), window %d, seed %d%n", dataset,
                r.rows(), stream.featureNames().size(), stream.binary() ? "0/1" : "numeric", r.shifts(),
                r.shiftsDetected() ? "detected" : "given", window, seed);
        out.printf(Locale.ROOT, "%-8s %10s %11s %11s %13s %10s %12s %10s%n", "shift", "baseLevel", "memoryLevel",
                "baseExcess", "memoryExcess", "reduction", "ownLevelExc", "reduction");
        for (MemoryEvaluation.ShiftFigures f : r.perShift()) {
            out.printf(Locale.ROOT, "%-8d %10.4f %11.4f %11.2f %13.2f %9.1f%% %12.2f %9.1f%%%n", f.row(), f.baseLevel(),
                    f.memoryLevel(), f.baseExcess(), f.memoryExcess(), 100 * f.reduction(), f.memoryExcessOwnLevel(),
                    100 * f.reductionOwnLevel());
        }
        out.printf(Locale.ROOT, "loss (whole stream):  base %.5f, memory %.5f%n", r.baseLoss(), r.memoryLoss());
        out.printf(Locale.ROOT, "excess after shifts:  base %.2f, memory %.2f (%.1f%% less; above its own level %.2f,"
                + " %.1f%% less)%n", r.baseExcessAfterShift(), r.memoryExcessAfterShift(), 100 * r.excessReduction(),
                r.memoryExcessAfterShiftOwnLevel(), 100 * (1 - r.memoryExcessAfterShiftOwnLevel() / r.baseExcessAfterShift()));
        out.printf(Locale.ROOT, "stationary (%d rows): base %.5f, memory %.5f (%+.2f%%)%n", r.stationaryRows(),
                r.stationaryBaseLoss(), r.stationaryMemoryLoss(), 100 * r.stationaryChange());
        ErrorMemoryStats m = r.memoryStats();
        out.printf(Locale.ROOT, "memory: hit rate %.3f, mean |correction| %.4f, residual mean %.4f -> %.4f, %d entries%n",
                m.hitRate(), m.meanAbsCorrection(), m.residualMeanBefore(), m.residualMeanAfter(), m.size());
        out.printf(Locale.ROOT, "events/s: base %.0f, with memory %.0f%n", r.baseEventsPerSecond(), r.eventsPerSecond());
        if (json != null) {
            writeJson(stream, options, r);
            out.println("wrote " + json);
        }
        return 0;
    }

    private int bandit() throws Exception {
        if (!env.equals(dev.loopline.envs.payments.PaymentsSimulator.NAME)) {
            throw new ParameterException(spec.commandLine(), "--env " + env + " is not supported; use --env payments");
        }
        BanditMemoryEvaluation.Options base;
        try {
            base = BanditMemoryEvaluation.Options.issuerOutage(policy, seed);
            base = new BanditMemoryEvaluation.Options(base.policy(), base.events(), base.payments(), base.shifts(),
                    base.window(), memoryConfig(base.memory().capacity()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        BanditMemoryEvaluation.Result r = new BanditMemoryEvaluation(base).run();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "payments, %d events, %s, seed %d; %s; shifts at %s, window %d%n", base.events(),
                policy, seed, base.payments().incidents(), base.shifts(), base.window());
        out.printf(Locale.ROOT, "%-8s %10s %12s %12s %14s %12s %10s%n", "run", "regret", "beforeShift", "afterShift",
                "excessAfter", "stationary", "events/s");
        for (var run : List.of(Map.entry("base", r.base()), Map.entry("memory", r.memory()))) {
            var f = run.getValue();
            out.printf(Locale.ROOT, "%-8s %10.1f %12.1f %12.1f %14.1f %12.4f %10.0f%n", run.getKey(), f.regret(),
                    f.regretBeforeShift(), f.regretAfterShift(), f.excessAfterShift(), f.stationaryMeanReward(),
                    f.eventsPerSecond());
        }
        out.printf(Locale.ROOT, "excess regret after the shifts %.1f%% less with the memory; stationary reward %+.2f%%%n",
                100 * r.excessReduction(), 100 * r.stationaryChange());
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("environment", "payments");
            doc.put("policy", policy);
            doc.put("seed", seed);
            doc.put("events", base.events());
            doc.put("incidents", base.payments().incidents().stream().map(Object::toString).toList());
            doc.put("shifts", base.shifts());
            doc.put("window", base.window());
            doc.put("loss", "regret against the best offered route's expected reward");
            doc.put("memory", base.memory().parameters());
            doc.put("level", r.level());
            doc.put("baseLoss", r.base().regret() / base.events());
            doc.put("memoryLoss", r.memory().regret() / base.events());
            doc.put("baseExcessAfterShift", r.base().excessAfterShift());
            doc.put("memoryExcessAfterShift", r.memory().excessAfterShift());
            doc.put("excessReduction", r.excessReduction());
            doc.put("stationaryBaseMeanReward", r.base().stationaryMeanReward());
            doc.put("stationaryMemoryMeanReward", r.memory().stationaryMeanReward());
            doc.put("stationaryChange", r.stationaryChange());
            doc.put("baseEventsPerSecond", r.base().eventsPerSecond());
            doc.put("eventsPerSecond", r.memory().eventsPerSecond());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
            out.println("wrote " + json);
        }
        return 0;
    }

    private ErrorMemoryConfig memoryConfig() {
        return memoryConfig(ErrorMemoryConfig.defaults().capacity());
    }

    private ErrorMemoryConfig memoryConfig(int defaultCapacity) {
        ErrorMemoryConfig d = ErrorMemoryConfig.defaults();
        ErrorMemoryConfig.Similarity kind = d.similarity();
        if (similarity != null) {
            try {
                kind = ErrorMemoryConfig.Similarity.valueOf(similarity.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--similarity " + similarity + " is unknown; choose euclidean or cosine");
            }
        }
        return new ErrorMemoryConfig(or(capacity, defaultCapacity), or(k, d.k()), or(tables, d.tables()),
                or(bits, d.bits()), or(bucketCapacity, d.bucketCapacity()), or(weight, d.compensationWeight()),
                or(temperature, d.temperature()), or(minSimilarity, d.minSimilarity()),
                or(shrinkage, d.shrinkage()), kind,
                or(bandwidth, d.bandwidth()), or(ttl, d.ttlMillis()), seed);
    }

    private static <T> T or(T value, T otherwise) {
        return value == null ? otherwise : value;
    }

    private void writeJson(MemoryEvaluation.Stream stream, MemoryEvaluation.Options options, MemoryEvaluation.Result r)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dataset", dataset.toString());
        doc.put("rows", r.rows());
        doc.put("features", stream.featureNames());
        doc.put("label", stream.binary() ? "0/1 (1 = " + stream.positiveClass() + ")" : "numeric");
        doc.put("loss", stream.binary() ? "squared error on the predicted probability" : "squared error");
        doc.put("seed", seed);
        doc.put("window", options.window());
        doc.put("shifts", r.shifts());
        doc.put("shiftsDetected", r.shiftsDetected());
        Map<String, Object> base = new LinkedHashMap<>();
        String kind = stream.binary() ? "logistic regression" : "linear regression";
        if (options.refitEvery() > 0) {
            base.put("model", kind + ", refitted every " + options.refitEvery() + " rows on the last "
                    + options.refitEvery() + " (Newton / least squares, ridge 1e-3), frozen in between");
            base.put("refitEvery", options.refitEvery());
        } else {
            base.put("model", "online " + kind + ", plain SGD");
            base.put("learningRate", options.learningRate());
        }
        base.put("features", "standardised online");
        doc.put("baseModel", base);
        doc.put("memory", options.memory().parameters());
        doc.put("baseLoss", r.baseLoss());
        doc.put("memoryLoss", r.memoryLoss());
        doc.put("baseExcessAfterShift", r.baseExcessAfterShift());
        doc.put("memoryExcessAfterShift", r.memoryExcessAfterShift());
        doc.put("excessLevel", "the base model's mean loss over the window before each shift, for both models");
        doc.put("excessReduction", r.excessReduction());
        doc.put("worstShiftReduction", r.worstShiftReduction());
        doc.put("memoryExcessAfterShiftOwnLevel", r.memoryExcessAfterShiftOwnLevel());
        List<Map<String, Object>> perShift = new ArrayList<>();
        for (MemoryEvaluation.ShiftFigures f : r.perShift()) {
            perShift.add(mapper.convertValue(f, Map.class));
        }
        doc.put("perShift", perShift);
        doc.put("stationaryRows", r.stationaryRows());
        doc.put("stationaryBaseLoss", r.stationaryBaseLoss());
        doc.put("stationaryMemoryLoss", r.stationaryMemoryLoss());
        doc.put("stationaryChange", r.stationaryChange());
        doc.put("baseEventsPerSecond", r.baseEventsPerSecond());
        doc.put("eventsPerSecond", r.eventsPerSecond());
        ErrorMemoryStats m = r.memoryStats();
        Map<String, Object> stats = new LinkedHashMap<>(mapper.convertValue(m, Map.class));
        stats.put("hitRate", m.hitRate());
        doc.put("memoryStats", stats);
        mapper.writeValue(json.toFile(), doc);
    }
}
