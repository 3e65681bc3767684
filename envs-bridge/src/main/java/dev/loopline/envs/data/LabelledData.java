package dev.loopline.envs.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A labelled table as feature maps and class labels, the shape supervised-to-bandit evaluation needs.
 * A column whose present cells all parse as finite numbers is a numeric feature under its own name; any
 * other column becomes indicator features {@code column=value} (1 for the row's value). Missing cells
 * ({@code "", NA, N/A, ?, null, NaN}) leave the feature out of that row's map. Rows without a label are
 * dropped and counted. Features are used as they come: no scaling here.
 *
 * @param featureNames   every feature name, in column order
 * @param rows           per row, its features (immutable)
 * @param labels         per row, its class
 * @param classes        the distinct classes, numerically sorted when all are numbers, else by text
 * @param droppedNoLabel rows dropped for a missing label
 */
public record LabelledData(List<String> featureNames, List<Map<String, Double>> rows, List<String> labels,
        List<String> classes, int droppedNoLabel) {
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "?", "null", "nan");

    public LabelledData {
        featureNames = List.copyOf(featureNames);
        rows = List.copyOf(rows);
        labels = List.copyOf(labels);
        classes = List.copyOf(classes);
    }

    public int size() {
        return rows.size();
    }

    /**
     * @param table the CSV
     * @param label the label column, or null for the last column
     * @param skip  columns to leave out (names; an unknown name is an error)
     */
    public static LabelledData of(CsvTable table, String label, Collection<String> skip) {
        int labelColumn = label == null ? table.columnCount() - 1 : table.requireColumn(label);
        List<String> columns = table.header();
        Set<Integer> skipped = new LinkedHashSet<>();
        for (String name : skip) {
            skipped.add(table.requireColumn(name));
        }
        if (skipped.contains(labelColumn)) {
            throw new IllegalArgumentException("the label column '" + columns.get(labelColumn)
                    + "' cannot also be skipped");
        }
        List<Integer> featureColumns = new ArrayList<>();
        for (int i = 0; i < table.columnCount(); i++) {
            if (i != labelColumn && !skipped.contains(i)) {
                featureColumns.add(i);
            }
        }
        if (featureColumns.isEmpty()) {
            throw new IllegalArgumentException("no feature columns left besides the label; check --skip");
        }
        Map<Integer, Boolean> numeric = new HashMap<>();
        for (int col : featureColumns) {
            boolean allNumbers = true;
            for (int r = 0; r < table.rowCount() && allNumbers; r++) {
                String cell = table.get(r, col);
                allNumbers = isMissing(cell) || CsvTable.number(cell) != null;
            }
            numeric.put(col, allNumbers);
        }
        Set<String> names = new LinkedHashSet<>();
        List<Map<String, Double>> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int dropped = 0;
        for (int r = 0; r < table.rowCount(); r++) {
            String y = table.get(r, labelColumn);
            if (isMissing(y)) {
                dropped++;
                continue;
            }
            Map<String, Double> features = new LinkedHashMap<>();
            for (int col : featureColumns) {
                String cell = table.get(r, col);
                if (isMissing(cell)) {
                    continue;
                }
                String column = columns.get(col);
                if (numeric.get(col)) {
                    features.put(column, CsvTable.number(cell));
                    names.add(column);
                } else {
                    String indicator = column + "=" + cell;
                    features.put(indicator, 1.0);
                    names.add(indicator);
                }
            }
            rows.add(java.util.Collections.unmodifiableMap(features));
            labels.add(y);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no labelled rows: every row's label is missing");
        }
        List<String> classes = new ArrayList<>(new LinkedHashSet<>(labels));
        boolean numericLabels = classes.stream().allMatch(c -> CsvTable.number(c) != null);
        classes.sort(numericLabels ? Comparator.comparingDouble(c -> CsvTable.number(c)) : Comparator.naturalOrder());
        return new LabelledData(new ArrayList<>(names), rows, labels, classes, dropped);
    }

    private static boolean isMissing(String cell) {
        return MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }
}
