package dev.loopline.jobs.cli;

import dev.loopline.jobs.JobConfigs;
import dev.loopline.jobs.LoopYaml;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Describes every loop.yaml key with its default, or checks a file without starting anything.")
final class ConfigCommand implements Callable<Integer> {
    @Option(names = "--describe", description = "Print every key, its default and its meaning (Markdown table).")
    boolean describe;

    @Option(names = "--check", paramLabel = "loop.yaml", description = "Validate this file and print the problems, if any.")
    Path check;

    @Override
    public Integer call() throws Exception {
        if (check != null) {
            try {
                LoopYaml.load(check);
                System.out.println(check + ": OK");
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
        System.out.println("| key | default | meaning |");
        System.out.println("| --- | --- | --- |");
        JobConfigs.KEYS.forEach(k -> System.out.printf("| `%s` | `%s` | %s |%n", k.path(),
                k.defaultValue().isEmpty() ? "(required)" : k.defaultValue(), k.doc()));
        System.out.println("| `kafka.properties.*` | | passed to every Kafka client unchanged (e.g. `security.protocol`, `sasl.jaas.config`) |");
        return 0;
    }
}
