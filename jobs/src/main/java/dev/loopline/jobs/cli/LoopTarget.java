package dev.loopline.jobs.cli;

import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.LoopYaml;
import dev.loopline.jobs.Topics;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a running loop is, the same options for every command that talks to one: its {@code loop.yaml}
 * (bootstrap servers, client properties and topic prefix come from it), or its bootstrap servers and
 * topic prefix.
 */
final class LoopTarget {
    @Option(names = "--config", paramLabel = "loop.yaml",
            description = "The loop's configuration file: Kafka bootstrap, client properties and topic prefix come from it.")
    Path config;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers of the loop (instead of --config).")
    String bootstrap;

    @Option(names = "--topic-prefix", paramLabel = "P", description = "Topic prefix of the loop (default: the config's, else loopline).")
    String prefix;

    /** The loop found: its servers, client properties, topics, and its whole configuration when given one (else null). */
    record Loop(String servers, Map<String, String> clientProperties, Topics topics, JobConfig config) {}

    Loop resolve() throws Exception {
        if ((config == null) == (bootstrap == null)) {
            throw new IllegalArgumentException("give either --config loop.yaml or --bootstrap HOST:PORT (one of them)");
        }
        if (config != null) {
            JobConfig c = LoopYaml.load(config);
            return new Loop(c.bootstrapServers(), c.kafkaProperties(), prefix == null ? c.topics() : new Topics(prefix), c);
        }
        return new Loop(bootstrap, Map.of(), prefix == null ? Topics.defaults() : new Topics(prefix), null);
    }
}
