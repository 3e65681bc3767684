package dev.loopline.jobs.cli;

import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.TopicAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manages the loop's Kafka topics.",
        subcommands = TopicsCommand.Create.class)
final class TopicsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates the six topics (existing ones are left alone): context, decisions and models with",
                    "broker append time (latencies on the broker's clock), the model topic compacted and keyed per version."})
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            JobConfig c = config.load();
            TopicAdmin.createTopics(c.bootstrapServers(), c.kafkaProperties(), c.topics(), c.topicPartitions(),
                    c.topicReplication());
            System.out.println("Topics ready on " + c.bootstrapServers() + ": " + c.topics().all());
            return 0;
        }
    }
}
