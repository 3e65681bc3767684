package dev.loopline.jobs.cli;

import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.LoopYaml;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config loop.yaml} option shared by the commands that talk to a deployed loop. */
final class ConfigOption {
    @Option(names = "--config", required = true, paramLabel = "loop.yaml",
            description = "The loop's configuration file (`loopline config --describe` lists every key).")
    Path file;

    JobConfig load() throws Exception {
        return LoopYaml.load(file);
    }
}
