package dev.loopline.jobs.cli;

import dev.loopline.envs.Environments;
import dev.loopline.envs.control.ControlEnvironment;
import dev.loopline.envs.control.DemonstrationWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "demonstrations", aliases = "demos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes an expert controller's demonstrations of a control task as CSV: per state, the features, "
                + "expert_action_index and expert_action_value (the layout `loopline train-policy --demos` reads).",
                "The states come from the task's operating distribution (the expert drives, with some random actions and "
                        + "the task's disturbances); events are 10 ms apart from time 0."})
final class DemonstrationsCommand implements Callable<Integer> {
    @Option(names = "--env", required = true, paramLabel = "NAME", completionCandidates = ControlNames.class,
            description = "The control task: ${COMPLETION-CANDIDATES}.")
    String env;

    @Option(names = "--rows", defaultValue = "20000", description = "Demonstrations to write (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the environment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "CSV", description = "The file to write (replaced if present).")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (rows < 1) {
            throw new ParameterException(spec.commandLine(), "--rows " + rows + " must be at least 1");
        }
        ControlEnvironment environment;
        try {
            environment = Environments.createControl(env, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        long start = System.nanoTime();
        long written;
        try {
            written = DemonstrationWriter.write(environment, rows, out);
        } catch (UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "wrote %d %s demonstrations to %s in %.2f s (%.0f rows/s): features %s, %d actions in %s%n",
                written, env, out, seconds, written / seconds, environment.contextFeatureNames(),
                environment.actionIds().size(), environment.actionUnit());
        return 0;
    }

    /** The control tasks, for --help. */
    static final class ControlNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Environments.controlNames().iterator();
        }
    }
}
