package dev.loopline.envs.control;

import dev.loopline.schemas.ContextEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an expert's demonstrations as CSV: runs a control environment for N events and writes, per
 * event, the state features (in {@link ControlEnvironment#contextFeatureNames()} order) followed by
 * {@code expert_action_index} (0-based, into {@link ControlEnvironment#actionIds()}) and
 * {@code expert_action_value} (the physical level, in {@link ControlEnvironment#actionUnit()}).
 * Numbers are written with {@link Double#toString(double)} (full precision, locale-free); the states come
 * from the environment's operating distribution, so they cover what the expert's behaviour controller
 * and the disturbances visit (see {@link ControlSimulator}).
 */
public final class DemonstrationWriter {
    public static final String EXPERT_ACTION_INDEX = "expert_action_index";
    public static final String EXPERT_ACTION_VALUE = "expert_action_value";

    private DemonstrationWriter() {}

    /** The CSV header for {@code env}. */
    public static List<String> header(ControlEnvironment env) {
        List<String> columns = new java.util.ArrayList<>(env.contextFeatureNames());
        columns.add(EXPERT_ACTION_INDEX);
        columns.add(EXPERT_ACTION_VALUE);
        return columns;
    }

    /**
     * Writes a header and {@code rows} demonstrations, taking events at {@code startMillis},
     * {@code startMillis + stepMillis}, ... (the event time only matters for the drift).
     *
     * @return the number of rows written
     */
    public static long write(ControlEnvironment env, long rows, long startMillis, long stepMillis, Writer out)
            throws IOException {
        if (rows < 0) {
            throw new IllegalArgumentException("rows " + rows + " is negative; give 0 or more");
        }
        List<String> features = env.contextFeatureNames();
        out.write(String.join(",", header(env)));
        out.write('\n');
        StringBuilder line = new StringBuilder(256);
        for (long i = 0; i < rows; i++) {
            ContextEvent e = env.next(startMillis + i * stepMillis);
            line.setLength(0);
            for (String f : features) {
                line.append(e.getFeatures().get(f)).append(',');
            }
            int expert = env.expertActionIndex(e);
            line.append(expert).append(',').append(env.actionValue(expert)).append('\n');
            out.write(line.toString());
        }
        out.flush();
        return rows;
    }

    /** Writes {@code rows} demonstrations to {@code file} (UTF-8), events 10 ms apart from time 0. */
    public static long write(ControlEnvironment env, long rows, Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            return write(env, rows, 0L, 10L, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write demonstrations to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code DemonstrationWriter NAME ROWS FILE [SEED]}: writes the demonstrations of the control task
     * NAME (robot, vehicle or motor) with the default configuration.
     */
    public static void main(String[] args) {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: DemonstrationWriter robot|vehicle|motor ROWS FILE [SEED]");
            System.exit(2);
        }
        long seed = args.length == 4 ? Long.parseLong(args[3]) : 1L;
        ControlEnvironment env = dev.loopline.envs.Environments.createControl(args[0], seed);
        long n = write(env, Long.parseLong(args[1]), Path.of(args[2]));
        System.out.println("wrote " + n + " " + args[0] + " demonstrations to " + args[2]);
    }
}
