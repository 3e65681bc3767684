package dev.loopline.jobs.eval;

import dev.loopline.core.memory.MemoryEvaluation;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.envs.data.LabelledData;
import java.util.List;
import java.util.Map;

/** Reads a CSV into the stream {@link MemoryEvaluation} runs over. */
public final class MemoryStreams {
    private MemoryStreams() {}

    /**
     * The labelled rows of a CSV in file order: a label of two classes is 0/1 (the second class in
     * sorted order is 1), a numeric label of more values is a regression target.
     */
public static MemoryEvaluation.Stream of(CsvTable table, String label) {
        LabelledData data = LabelledData.of(table, label, List.of());
        List<String> names = data.featureNames();
        double[][] x = new double[data.size()][names.size()];
        for (int r = 0; r < x.length; r++) {
            Map<String, Double> row = data.rows().get(r);
            for (int j = 0; j < names.size(); j++) {
                Double v = row.get(names.get(j));
                x[r][j] = v == null ? (names.get(j).contains("=") ? 0 : Double.NaN) : v;
            }
        }
        double[] y = new double[data.size()];
        if (data.classes().size() == 2) {
            String positive = data.classes().get(1);
            for (int r = 0; r < y.length; r++) {
                y[r] = data.labels().get(r).equals(positive) ? 1 : 0;
            }
            return new MemoryEvaluation.Stream(names, x, y, true, positive);
        }
        for (int r = 0; r < y.length; r++) {
            Double v = CsvTable.number(data.labels().get(r));
            if (v == null) {
                throw new IllegalArgumentException("the label '" + data.labels().get(r) + "' of data row " + r
                        + " is not a number, and the label has " + data.classes().size()
                        + " classes; eval-memory takes a 0/1 label or a numeric target");
            }
            y[r] = v;
        }
        return new MemoryEvaluation.Stream(names, x, y, false, null);
    }
}
