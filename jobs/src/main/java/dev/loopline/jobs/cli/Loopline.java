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
        int code = commandLine().execute(args);
        // Kafka's and Flink's non-daemon threads must not keep a finished command alive.
        System.exit(code);
    }

    /**
     * The command line as {@code main} runs it: a bad value or setting, or credentials Kafka refuses, is the
     * user's to fix, said in one line without a stack trace.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Loopline()).setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return command.getCommandSpec().exitCodeOnInvalidInput();
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.apache.kafka.common.errors.AuthenticationException) {
                    command.getErr().println(command.getCommandSpec().qualifiedName() + ": Kafka refused the credentials"
                            + " in kafka.properties (security.protocol, sasl.mechanism, sasl.jaas.config): " + t.getMessage());
                    return command.getCommandSpec().exitCodeOnInvalidInput();
                }
            }
            throw e;
        });
    }
}
