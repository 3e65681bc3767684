package dev.loopline.jobs.cli;

import dev.loopline.core.drift.Adwin;
import dev.loopline.core.drift.Ddm;
import dev.loopline.core.drift.DriftDetectorConfig;
import dev.loopline.core.drift.DriftScan;
import dev.loopline.core.drift.PageHinkley;
import dev.loopline.envs.data.CsvTable;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
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
        DriftScan.Result result;
        try {
            result = run(CsvTable.read(dataset), config(), column, label, trueDrifts, direction(direction));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        print(result, System.out);
        if (json != null) {
            Json.write(json, Map.of("dataset", dataset.toString()), result);
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

    private static void rejectOthers(String detector, Object... unused) {
        for (Object o : unused) {
            if (o != null) {
                throw new IllegalArgumentException("option value " + o + " does not apply to " + detector
                        + "; see `loopline drift --help` for which options each detector takes");
            }
        }
    }

    /** Runs the detector over the table: a numeric column, else the prequential errors of a classifier of the label. */
    static DriftScan.Result run(CsvTable table, DriftDetectorConfig config, String column, String label,
            List<Long> trueDrifts, PageHinkley.Direction direction) {
        if (column != null) {
            int c = table.requireColumn(column);
            if (!table.isNumeric(c)) {
                throw new IllegalArgumentException("column '" + column + "' of " + table.source()
                        + " is not numeric; pick a numeric column or leave --column out to watch a classifier's errors");
            }
            return DriftScan.column(config, column, table.numbers(c), direction, trueDrifts);
        }
        int y = label != null ? table.requireColumn(label) : table.columnCount() - 1;
        List<String> names = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        for (int j = 0; j < table.columnCount(); j++) {
            String name = table.header().get(j);
            if (j != y && !name.isBlank() && table.isNumeric(j)) {
                names.add(name);
                columns.add(table.numbers(j));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(table.source() + " has no named numeric column besides the label '"
                    + table.header().get(y) + "'; the classifier needs at least one");
        }
        String[] labels = new String[table.rowCount()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = table.get(i, y);
        }
        return DriftScan.classifierErrors(config, table.header().get(y), labels, names, columns.toArray(new double[0][]),
                direction, trueDrifts);
    }

    static void print(DriftScan.Result r, PrintStream ps) {
        String what = "column".equals(r.stream()) ? "column '" + r.column() + "'"
                : String.format(Locale.ROOT, "errors of naive Bayes predicting '%s' (error rate %.4f)", r.label(), r.errorRate());
        ps.printf(Locale.ROOT, "%s over %s: %d rows, %d detections%n", r.detector(), what, r.rows(), r.detections().size());
        ps.println("parameters: " + r.parameters());
        ps.println("detections at rows: " + r.detections());
        if (r.truth() != null) {
            DriftScan.Truth t = r.truth();
            ps.println("true drifts " + t.drifts() + ": delays " + t.delays() + ", false alarms " + t.falseAlarms()
                    + ", missed " + t.missed());
        }
    }
}
