package dev.loopline.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.core.drift.Adwin;
import dev.loopline.core.drift.Ddm;
import dev.loopline.core.drift.DirectedDetector;
import dev.loopline.core.drift.DriftDetectorConfig;
import dev.loopline.core.drift.DriftScore;
import dev.loopline.core.drift.DriftState;
import dev.loopline.core.drift.PageHinkley;
import dev.loopline.core.drift.PrequentialMonitor;
import dev.loopline.envs.data.CsvTable;
import java.io.PrintStream;
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

@Command(name = "drift", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a drift detector (ADWIN, Page-Hinkley or DDM) over a CSV file and lists where it fired.",
                "",
                "With --column it watches that numeric column. Without it, it watches the 0/1 errors of an online "
                        + "Gaussian naive Bayes classifier that predicts the label column (the last one) from the named "
                        + "numeric columns, test-then-train; when the detector fires, classifier and detector start "
                        + "afresh. Rows are numbered from 0 (the first data row)."})
final class DriftCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, paramLabel = "CSV", description = "CSV file with a header row.")
    Path dataset;

    @Option(names = "--detector", required = true, description = "adwin, page-hinkley or ddm.")
    String detector;

    @Option(names = "--column", paramLabel = "NAME", description = "Watch this numeric column instead of a classifier's errors.")
    String column;

    @Option(names = "--label", paramLabel = "NAME", description = "Label column of the classifier (default: the last column).")
    String label;

    @Option(names = "--json", paramLabel = "FILE", description = "Write detections, rows and parameters as JSON to FILE.")
    Path json;

    @Option(names = "--true-drifts", split = ",", paramLabel = "ROW", description = "Known drift rows (comma-separated): report delays and false alarms.")
    List<Long> trueDrifts = new ArrayList<>();

    @Option(names = "--delta", description = "ADWIN: confidence (default 0.002). Page-Hinkley: allowed change per value (default 0.005).")
    Double delta;

    @Option(names = "--lambda", description = "Page-Hinkley: detection threshold (default 50).")
    Double lambda;

    @Option(names = "--alpha", description = "Page-Hinkley: fading factor in (0, 1] (default 0.9999).")
    Double alpha;

    @Option(names = "--direction", paramLabel = "rise|fall|both",
            description = "Which changes of the mean count as drifts (every detector; increase and decrease are accepted too). "
                    + "Default: rise on an error stream (a classifier's errors, or a --column of 0/1 values: a falling error "
                    + "rate is no drift that needs action), both on other columns. DDM only detects rises.")
    String direction;

    @Option(names = "--min-instances", description = "Page-Hinkley and DDM: values before a drift may be reported (default 30).")
    Integer minInstances;

    @Option(names = "--warning-level", description = "DDM: warning level in standard deviations (default 2).")
    Double warningLevel;

    @Option(names = "--drift-level", description = "DDM: drift level in standard deviations (default 3).")
    Double driftLevel;

    @Option(names = "--clock", description = "ADWIN: test for a change every N values (default 32).")
    Integer clock;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", dataset.toString());
        try {
            out.putAll(run(CsvTable.read(dataset), config(), column, label, trueDrifts, direction(direction)));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        print(out, System.out);
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        return 0;
    }

    DriftDetectorConfig config() {
        String name = detector.toLowerCase(Locale.ROOT);
        switch (name) {
            case Adwin.NAME -> {
                rejectOthers(name, lambda, alpha, minInstances, warningLevel, driftLevel);
                Adwin.Config d = Adwin.Config.defaults();
                return new Adwin.Config(delta != null ? delta : d.delta(), clock != null ? clock : d.clock(),
                        d.maxBuckets(), d.minWindowLength(), d.gracePeriod());
            }
            case PageHinkley.NAME -> {
                rejectOthers(name, warningLevel, driftLevel, clock);
                PageHinkley.Config d = PageHinkley.Config.defaults();
                // The direction is set per stream by DirectedDetector; the config's own stays the default.
                return new PageHinkley.Config(minInstances != null ? minInstances : d.minInstances(),
                        delta != null ? delta : d.delta(), lambda != null ? lambda : d.lambda(),
                        alpha != null ? alpha : d.alpha(), d.direction());
            }
            case Ddm.NAME -> {
                rejectOthers(name, delta, lambda, alpha, clock);
                Ddm.Config d = Ddm.Config.defaults();
                return new Ddm.Config(minInstances != null ? minInstances : d.minInstances(),
                        warningLevel != null ? warningLevel : d.warningLevel(), driftLevel != null ? driftLevel : d.driftLevel());
            }
            default -> throw new IllegalArgumentException("--detector " + detector + " is unknown; choose one of "
                    + DriftDetectorConfig.NAMES);
        }
    }

    /** {@code rise|fall|both} (or Page-Hinkley's increase|decrease|both); null: the stream kind's default. */
    static PageHinkley.Direction direction(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "rise", "increase" -> PageHinkley.Direction.INCREASE;
            case "fall", "decrease" -> PageHinkley.Direction.DECREASE;
            case "both" -> PageHinkley.Direction.BOTH;
            default -> throw new IllegalArgumentException("--direction " + value + " is unknown; use rise, fall or both");
        };
    }

    private static String name(PageHinkley.Direction direction) {
        return switch (direction) {
            case INCREASE -> "rise";
            case DECREASE -> "fall";
            case BOTH -> "both";
        };
    }

    private static void rejectOthers(String detector, Object... unused) {
        for (Object o : unused) {
            if (o != null) {
                throw new IllegalArgumentException("option value " + o + " does not apply to " + detector
                        + "; see `loopline drift --help` for which options each detector takes");
            }
        }
    }

    /** Runs the detector over the table; the result is ready for JSON. */
    static Map<String, Object> run(CsvTable table, DriftDetectorConfig config, String column, String label,
            List<Long> trueDrifts, PageHinkley.Direction direction) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("detector", config.name());
        out.put("parameters", config.parameters());
        out.put("rows", table.rowCount());
        List<Long> detections = new ArrayList<>();
        List<Long> warnings = new ArrayList<>();
        long skipped = 0;
        if (column != null) {
            int c = table.requireColumn(column);
            if (!table.isNumeric(c)) {
                throw new IllegalArgumentException("column '" + column + "' of " + table.source()
                        + " is not numeric; pick a numeric column or leave --column out to watch a classifier's errors");
            }
            double[] values = table.numbers(c);
            boolean errorStream = java.util.Arrays.stream(values).allMatch(v -> Double.isNaN(v) || v == 0 || v == 1);
            PageHinkley.Direction watched = direction != null ? direction
                    : errorStream ? PageHinkley.Direction.INCREASE : PageHinkley.Direction.BOTH;
            out.put("direction", name(watched));
            DirectedDetector d = new DirectedDetector(config, watched);
            DriftState.Signal previous = DriftState.Signal.STABLE;
            for (int i = 0; i < values.length; i++) {
                if (Double.isNaN(values[i])) {
                    skipped++;
                    continue;
                }
                if (config instanceof Ddm.Config && !(values[i] >= 0 && values[i] <= 1)) {
                    throw new IllegalArgumentException("ddm watches values in [0, 1] (an error stream); row " + i
                            + " of column '" + column + "' is " + values[i] + ". Use adwin or page-hinkley for other values");
                }
                if (d.update(values[i])) {
                    detections.add((long) i);
                }
                DriftState.Signal signal = d.state().signal();
                if (signal == DriftState.Signal.WARNING && previous != DriftState.Signal.WARNING) {
                    warnings.add((long) i);
                }
                previous = signal;
            }
            out.put("stream", "column");
            out.put("column", column);
        } else {
            int y = label != null ? table.requireColumn(label) : table.columnCount() - 1;
            List<Integer> features = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int j = 0; j < table.columnCount(); j++) {
                String name = table.header().get(j);
                if (j != y && !name.isBlank() && table.isNumeric(j)) {
                    features.add(j);
                    names.add(name);
                }
            }
            if (features.isEmpty()) {
                throw new IllegalArgumentException(table.source() + " has no named numeric column besides the label '"
                        + table.header().get(y) + "'; the classifier needs at least one");
            }
            double[][] columns = new double[features.size()][];
            for (int f = 0; f < features.size(); f++) {
                columns[f] = table.numbers(features.get(f));
            }
            PageHinkley.Direction watched = direction != null ? direction : PageHinkley.Direction.INCREASE;
            out.put("direction", name(watched));
            PrequentialMonitor monitor = new PrequentialMonitor(config, features.size(), watched);
            double[] x = new double[features.size()];
            rows:
            for (int i = 0; i < table.rowCount(); i++) {
                String labelValue = table.get(i, y).strip();
                if (labelValue.isEmpty()) {
                    skipped++;
                    continue;
                }
                for (int f = 0; f < x.length; f++) {
                    x[f] = columns[f][i];
                    if (Double.isNaN(x[f])) {
                        skipped++;
                        continue rows;
                    }
                }
                if (monitor.observe(x, labelValue).drift()) {
                    detections.add((long) i);
                }
            }
            out.put("stream", "prequential-error");
            out.put("classifier", "gaussian-naive-bayes");
            out.put("label", table.header().get(y));
            out.put("features", names);
            out.put("errorRate", monitor.errorRate());
        }
        out.put("skippedRows", skipped);
        out.put("detections", detections);
        if (config instanceof Ddm.Config && column != null) {
            out.put("warnings", warnings);
        }
        if (!trueDrifts.isEmpty()) {
            long[] truth = trueDrifts.stream().mapToLong(Long::longValue).toArray();
            DriftScore score = DriftScore.of(detections.stream().mapToLong(Long::longValue).toArray(), truth);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("drifts", trueDrifts);
            t.put("delays", score.delays().stream().map(d -> d.isPresent() ? (Object) d.getAsLong() : null).toList());
            t.put("falseAlarms", score.falseAlarms());
            t.put("missed", score.missed());
            out.put("truth", t);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> out, PrintStream ps) {
        String what = "column".equals(out.get("stream")) ? "column '" + out.get("column") + "'"
                : String.format(Locale.ROOT, "errors of naive Bayes predicting '%s' (error rate %.4f)", out.get("label"),
                        (Double) out.get("errorRate"));
        List<Long> detections = (List<Long>) out.get("detections");
        ps.printf(Locale.ROOT, "%s over %s: %d rows, %d detections%n", out.get("detector"), what, out.get("rows"),
                detections.size());
        ps.println("parameters: " + out.get("parameters"));
        ps.println("detections at rows: " + detections);
        if (out.containsKey("truth")) {
            Map<String, Object> t = (Map<String, Object>) out.get("truth");
            ps.println("true drifts " + t.get("drifts") + ": delays " + t.get("delays") + ", false alarms "
                    + t.get("falseAlarms") + ", missed " + t.get("missed"));
        }
    }
}
