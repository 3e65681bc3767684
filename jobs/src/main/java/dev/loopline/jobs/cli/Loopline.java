package dev.loopline.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code loopline} command line: every capability is a subcommand with its own --help. */
@Command(name = "loopline", mixinStandardHelpOptions = true, version = "loopline 0.1.0",
        description = "Closed-loop learning on streams: Kafka in, decisions out, learning from delayed feedback.",
        subcommands = {DemoCommand.class, RunCommand.class, SubmitCommand.class, TopicsCommand.class, EnvCommand.class,
                ConfigCommand.class, ModelCommand.class, DriftCommand.class, OpeCommand.class, CompareCommand.class,
                EvalCommand.class, EvalMemoryCommand.class, DashboardCommand.class, TrainPolicyCommand.class, DemonstrationsCommand.class,
                DeviceCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Loopline implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Loopline())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    // A bad value or setting is the user's to fix: say what and why in one line, no stack trace.
                    if (e instanceof IllegalArgumentException) {
                        command.getErr().println("loopline " + command.getCommandName() + ": " + e.getMessage());
                        return command.getCommandSpec().exitCodeOnInvalidInput();
                    }
                    throw e;
                })
                .execute(args);
        // Kafka's and Flink's non-daemon threads must not keep a finished command alive.
        System.exit(code);
    }
}
