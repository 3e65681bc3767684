package dev.loopline.envs.data;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file as text cells: a header row of column names, then rows of the same width. Follows RFC
 * 4180 (comma separated, fields optionally in double quotes, {@code ""} for a quote inside, line breaks
 * allowed inside quotes, CRLF or LF); unquoted fields are trimmed; blank lines are skipped. A row of a
 * different width is an error naming its line. Immutable.
 */
public final class CsvTable {
    private final String source;
    private final List<String> header;
    private final List<String[]> rows;

    public CsvTable(String source, List<String> header, List<String[]> rows) {
        this.source = source;
        this.header = List.copyOf(header);
        List<String[]> copy = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            if (row.length != this.header.size()) {
                throw new IllegalArgumentException(source + ": a row has " + row.length + " fields; the header has "
                        + this.header.size());
            }
            copy.add(row.clone());
        }
        this.rows = List.copyOf(copy);
    }

    /** Where the table came from (a path, or {@code text}), for messages. */
    public String source() {
        return source;
    }

    /** The column names. */
    public List<String> header() {
        return header;
    }

    /** Number of data rows (the header not counted). */
    public int rowCount() {
        return rows.size();
    }

    /** Number of columns. */
    public int columnCount() {
        return header.size();
    }

    /** The cell at data row {@code row}, column {@code column}. */
    public String get(int row, int column) {
        return rows.get(row)[column];
    }

    /** The index of the first column with this name, or -1 when there is none. */
    public int columnIndex(String name) {
        return header.indexOf(name);
    }

    /** The index of a column by name, or an error naming the file and the columns there are. */
    public int requireColumn(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(source + " has no column '" + name + "'; the columns are " + header);
        }
        return i;
    }

    /** Whether every non-blank cell of the column parses as a finite number (a blank column counts). */
    public boolean isNumeric(int column) {
        for (String[] row : rows) {
            String cell = row[column];
            if (!cell.isBlank() && number(cell) == null) {
                return false;
            }
        }
        return true;
    }

    /** The column as numbers, {@code NaN} for a blank or non-numeric cell. */
    public double[] numbers(int column) {
        double[] v = new double[rows.size()];
        for (int r = 0; r < v.length; r++) {
            Double d = number(rows.get(r)[column]);
            v[r] = d == null ? Double.NaN : d;
        }
        return v;
    }

    /** The distinct values of the column, in order of first appearance. */
    public Set<String> distinct(int column) {
        Set<String> values = new LinkedHashSet<>();
        for (String[] row : rows) {
            values.add(row[column]);
        }
        return values;
    }

    /** A finite number, or null when the text is not one. */
    public static Double number(String cell) {
        String s = cell.trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads a UTF-8 CSV file; a file that cannot be read is an {@link IllegalArgumentException} saying why. */
    public static CsvTable read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
    }

    public static CsvTable parse(String text) {
        try {
            return parse(new StringReader(text), "text");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CsvTable parse(Reader reader, String source) throws IOException {
        List<String[]> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        boolean anyContent = false;
        int closedAt = 0;
        int line = 1;
        int recordLine = 1;
        int c = reader.read();
        if (c == 0xFEFF) {
            c = reader.read(); // byte-order mark
        }
        while (c != -1) {
            char ch = (char) c;
            if (quoted) {
                if (ch == '"') {
                    int next = reader.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        closedAt = field.length();
                        c = next;
                        continue;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
            } else if (ch == '"' && field.toString().isBlank()) {
                quoted = true;
                wasQuoted = true;
                anyContent = true;
                field.setLength(0);
            } else if (ch == ',') {
                fields.add(finish(field, wasQuoted, closedAt));
                wasQuoted = false;
                anyContent = true;
            } else if (ch == '\n' || ch == '\r') {
                int next = ch == '\r' ? reader.read() : '\n';
                endRecord(records, lines, fields, field, wasQuoted, closedAt, anyContent, recordLine);
                wasQuoted = false;
                anyContent = false;
                line++;
                recordLine = line;
                if (ch == '\r' && next != '\n') {
                    c = next;
                    continue;
                }
            } else {
                field.append(ch);
                if (!Character.isWhitespace(ch)) {
                    anyContent = true;
                }
            }
            c = reader.read();
        }
        if (quoted) {
            throw new IllegalArgumentException(source + ": a quoted field opened on line " + recordLine + " never closes");
        }
        endRecord(records, lines, fields, field, wasQuoted, closedAt, anyContent, recordLine);
        if (records.isEmpty()) {
            throw new IllegalArgumentException(source + " is empty: a CSV needs a header row");
        }
        List<String> header = List.of(records.get(0));
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).length != header.size()) {
                throw new IllegalArgumentException(source + " line " + lines.get(i) + " has " + records.get(i).length
                        + " fields; the header has " + header.size());
            }
        }
        return new CsvTable(source, header, records.subList(1, records.size()));
    }

    private static void endRecord(List<String[]> records, List<Integer> lines, List<String> fields, StringBuilder field,
            boolean wasQuoted, int closedAt, boolean anyContent, int line) {
        if (!anyContent && fields.isEmpty()) {
            field.setLength(0);
            return; // blank line
        }
        fields.add(finish(field, wasQuoted, closedAt));
        records.add(fields.toArray(String[]::new));
        lines.add(line);
        fields.clear();
    }

    /** A quoted field keeps its text as quoted; blanks around the quotes are dropped, like around any field. */
    private static String finish(StringBuilder field, boolean wasQuoted, int closedAt) {
        String s = wasQuoted ? field.substring(0, closedAt) + field.substring(closedAt).trim() : field.toString().trim();
        field.setLength(0);
        return s;
    }
}
