package dev.loopline.core.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An expert's demonstrations of a control task: states and the expert's discrete action in each.
 *
 * <p>The CSV layout is the one the environment bridge's {@code DemonstrationWriter} writes: a header,
 * then one row per state with the state features, {@value #EXPERT_ACTION_INDEX} (0-based) and
 * {@value #EXPERT_ACTION_VALUE} (the physical level). Every column other than those two is a feature, in
 * header order.
 *
 * @param featureNames the state features, in column order
 * @param states       one row per demonstration, {@code featureNames.size()} values each
 * @param actions      the expert's action index per row, in {@code [0, actionValues.length)}
 * @param actionValues the physical value of each action index, {@code NaN} for an index no row shows;
 *                     its length is the number of actions
 */
public record Demonstrations(List<String> featureNames, double[][] states, int[] actions, double[] actionValues) {
    public static final String EXPERT_ACTION_INDEX = "expert_action_index";
    public static final String EXPERT_ACTION_VALUE = "expert_action_value";

    public Demonstrations {
        featureNames = List.copyOf(featureNames);
        if (featureNames.isEmpty()) {
            throw new IllegalArgumentException("demonstrations need at least one state feature");
        }
        if (states.length != actions.length) {
            throw new IllegalArgumentException(states.length + " states but " + actions.length + " actions");
        }
        if (actionValues.length < 2) {
            throw new IllegalArgumentException("a policy needs at least 2 actions, not " + actionValues.length);
        }
        for (int r = 0; r < states.length; r++) {
            if (states[r].length != featureNames.size()) {
                throw new IllegalArgumentException("row " + r + " has " + states[r].length + " features, not " + featureNames.size());
            }
            if (actions[r] < 0 || actions[r] >= actionValues.length) {
                throw new IllegalArgumentException("row " + r + " has action " + actions[r] + " outside [0, " + actionValues.length + ")");
            }
        }
    }

    public int rows() {
        return states.length;
    }

    public int actionCount() {
        return actionValues.length;
    }

    /** The same rows with {@code count} actions (at least as many as the rows use): for levels no row shows. */
    public Demonstrations withActionCount(int count) {
        if (count < actionValues.length) {
            throw new IllegalArgumentException("action count " + count + " is below the " + actionValues.length
                    + " the demonstrations use");
        }
        double[] values = Arrays.copyOf(actionValues, count);
        Arrays.fill(values, actionValues.length, count, Double.NaN);
        return new Demonstrations(featureNames, states, actions, values);
    }

    /** Rows {@code [from, to)}. */
    public Demonstrations slice(int from, int to) {
        if (from < 0 || to > rows() || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside [0, " + rows() + "]");
        }
        return new Demonstrations(featureNames, Arrays.copyOfRange(states, from, to), Arrays.copyOfRange(actions, from, to),
                actionValues);
    }

    /** A training head and a held-out tail. */
    public record Split(Demonstrations train, Demonstrations heldOut) {}

    /**
     * Holds out the last {@code heldOutFraction} of the rows. The rows are consecutive steps of
     * trajectories, so a random split would put near-copies of held-out states into training; the tail is
     * the honest test.
     */
    public Split split(double heldOutFraction) {
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("held-out fraction " + heldOutFraction + " must be in (0, 1); try 0.2");
        }
        int cut = (int) Math.round(rows() * (1 - heldOutFraction));
        if (cut < 1 || cut >= rows()) {
            throw new IllegalArgumentException(rows() + " rows are too few to hold out " + heldOutFraction + " of them");
        }
        return new Split(slice(0, cut), slice(cut, rows()));
    }

    /** Reads a demonstrations CSV (UTF-8). */
    public static Demonstrations read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demonstrations " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the CSV layout described above; {@code source} names it in error messages. The number of
     * actions is the largest index seen plus one (see {@link #withActionCount}).
     *
     * @throws IllegalArgumentException for a missing column, a short row or a cell that is not a number
     */
    public static Demonstrations parse(Reader in, String source) throws IOException {
        BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in);
        String headerLine = reader.readLine();
        if (headerLine == null) {
            throw new IllegalArgumentException(source + " is empty; expected a header with state features, "
                    + EXPERT_ACTION_INDEX + " and " + EXPERT_ACTION_VALUE);
        }
        List<String> header = Arrays.stream(headerLine.split(",", -1)).map(String::trim).toList();
        int indexColumn = header.indexOf(EXPERT_ACTION_INDEX);
        int valueColumn = header.indexOf(EXPERT_ACTION_VALUE);
        if (indexColumn < 0 || valueColumn < 0) {
            throw new IllegalArgumentException(source + " has no " + (indexColumn < 0 ? EXPERT_ACTION_INDEX : EXPERT_ACTION_VALUE)
                    + " column; write demonstrations with `loopline demos`");
        }
        List<String> features = new ArrayList<>();
        int[] featureColumns = new int[header.size() - 2];
        for (int c = 0, f = 0; c < header.size(); c++) {
            if (c != indexColumn && c != valueColumn) {
                features.add(header.get(c));
                featureColumns[f++] = c;
            }
        }
        List<double[]> states = new ArrayList<>();
        List<Integer> actions = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        String line;
        int lineNumber = 1;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) {
                throw new IllegalArgumentException(source + " line " + lineNumber + " has " + cells.length + " cells, the header "
                        + header.size());
            }
            double[] state = new double[featureColumns.length];
            for (int f = 0; f < state.length; f++) {
                state[f] = number(cells[featureColumns[f]], source, lineNumber, header.get(featureColumns[f]));
            }
            double index = number(cells[indexColumn], source, lineNumber, EXPERT_ACTION_INDEX);
            if (index != Math.rint(index) || index < 0 || index > 1_000_000) {
                throw new IllegalArgumentException(source + " line " + lineNumber + ": " + EXPERT_ACTION_INDEX + " " + cells[indexColumn]
                        + " is not an action index (0, 1, 2, ...)");
            }
            int a = (int) index;
            double value = number(cells[valueColumn], source, lineNumber, EXPERT_ACTION_VALUE);
            while (values.size() <= a) {
                values.add(Double.NaN);
            }
            if (Double.isNaN(values.get(a))) {
                values.set(a, value);
            } else if (values.get(a) != value) {
                throw new IllegalArgumentException(source + " line " + lineNumber + ": action " + a + " has value " + value
                        + " but " + values.get(a) + " earlier");
            }
            states.add(state);
            actions.add(a);
        }
        if (states.isEmpty()) {
            throw new IllegalArgumentException(source + " has a header but no demonstrations");
        }
        while (values.size() < 2) {
            values.add(Double.NaN);
        }
        return new Demonstrations(features, states.toArray(double[][]::new),
                actions.stream().mapToInt(Integer::intValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double number(String cell, String source, int line, String column) {
        try {
            double v = Double.parseDouble(cell.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + " line " + line + " column " + column + ": \"" + cell + "\" is not a finite number");
    }
}
