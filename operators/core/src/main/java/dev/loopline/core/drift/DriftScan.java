package dev.loopline.core.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A drift detector run over a recorded stream, offline: a numeric column watched directly, or the
 * prequential errors of a classifier (Gaussian naive Bayes: each row predicted, scored, then learned),
 * scored against known drift rows when they are given. What {@code loopline drift} reports.
 */
public final class DriftScan {
    private DriftScan() {}

    /** Detection delays against known drifts (null: that drift was missed), false alarms and misses. */
    public record Truth(List<Long> drifts, List<Long> delays, long falseAlarms, int missed) {}

    /**
     * One run's findings; the fields of the other kind of stream are null.
     *
     * @param direction   which changes counted: rise, fall or both
     * @param stream      {@code column} or {@code prequential-error}
     * @param warnings    DDM's warning rows on a column, else null
     * @param truth       the score against known drifts, or null without them
     */
    public record Result(String detector, Map<String, Object> parameters, int rows, String direction, String stream,
            String column, String classifier, String label, List<String> features, Double errorRate, long skippedRows,
            List<Long> detections, List<Long> warnings, Truth truth) {}

    /**
     * Watches a column; a NaN is skipped. {@code direction} null: rise on a 0/1 error stream (a falling
     * error rate needs no action), both otherwise.
     */
    public static Result column(DriftDetectorConfig config, String name, double[] values, PageHinkley.Direction direction,
            List<Long> trueDrifts) {
        boolean errorStream = java.util.Arrays.stream(values).allMatch(v -> Double.isNaN(v) || v == 0 || v == 1);
        PageHinkley.Direction watched = direction != null ? direction
                : errorStream ? PageHinkley.Direction.INCREASE : PageHinkley.Direction.BOTH;
        DirectedDetector detector = new DirectedDetector(config, watched);
        List<Long> detections = new ArrayList<>();
        List<Long> warnings = new ArrayList<>();
        long skipped = 0;
        DriftState.Signal previous = DriftState.Signal.STABLE;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                skipped++;
                continue;
            }
            if (config instanceof Ddm.Config && !(values[i] >= 0 && values[i] <= 1)) {
                throw new IllegalArgumentException("ddm watches values in [0, 1] (an error stream); row " + i
                        + " of column '" + name + "' is " + values[i] + ". Use adwin or page-hinkley for other values");
            }
            if (detector.update(values[i])) {
                detections.add((long) i);
            }
            DriftState.Signal signal = detector.state().signal();
            if (signal == DriftState.Signal.WARNING && previous != DriftState.Signal.WARNING) {
                warnings.add((long) i);
            }
            previous = signal;
        }
        return new Result(config.name(), config.parameters(), values.length, name(watched), "column", name, null, null,
                null, null, skipped, detections, config instanceof Ddm.Config ? warnings : null, truth(detections, trueDrifts));
    }

    /**
     * Watches the prequential errors of naive Bayes predicting {@code labels} from {@code columns} (one
     * array per feature); a row with a blank label or a NaN feature is skipped. {@code direction} null: rise.
     */
    public static Result classifierErrors(DriftDetectorConfig config, String label, String[] labels,
            List<String> featureNames, double[][] columns, PageHinkley.Direction direction, List<Long> trueDrifts) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("the classifier needs at least one numeric feature besides the label '"
                    + label + "'");
        }
        PageHinkley.Direction watched = direction != null ? direction : PageHinkley.Direction.INCREASE;
        PrequentialMonitor monitor = new PrequentialMonitor(config, columns.length, watched);
        List<Long> detections = new ArrayList<>();
        long skipped = 0;
        double[] x = new double[columns.length];
        rows:
        for (int i = 0; i < labels.length; i++) {
            String value = labels[i] == null ? "" : labels[i].strip();
            if (value.isEmpty()) {
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
            if (monitor.observe(x, value).drift()) {
                detections.add((long) i);
            }
        }
        return new Result(config.name(), config.parameters(), labels.length, name(watched), "prequential-error", null,
                "gaussian-naive-bayes", label, List.copyOf(featureNames), monitor.errorRate(), skipped, detections, null,
                truth(detections, trueDrifts));
    }

    private static Truth truth(List<Long> detections, List<Long> trueDrifts) {
        if (trueDrifts.isEmpty()) {
            return null;
        }
        DriftScore score = DriftScore.of(detections.stream().mapToLong(Long::longValue).toArray(),
                trueDrifts.stream().mapToLong(Long::longValue).toArray());
        return new Truth(List.copyOf(trueDrifts), score.delays().stream().map(d -> d.isPresent() ? d.getAsLong() : null).toList(),
                score.falseAlarms(), score.missed());
    }

    /** {@code rise}, {@code fall} or {@code both}. */
    public static String name(PageHinkley.Direction direction) {
        return switch (direction) {
            case INCREASE -> "rise";
            case DECREASE -> "fall";
            case BOTH -> "both";
        };
    }
}
