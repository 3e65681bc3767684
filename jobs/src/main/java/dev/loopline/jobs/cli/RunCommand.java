package dev.loopline.jobs.cli;

import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.LooplineJob;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the loop job in a local Flink MiniCluster against the Kafka cluster of --config, until stopped (Ctrl-C).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        JobConfig c = config.load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(c.parallelism(),
                LooplineJob.flinkConfiguration(c));
        LooplineJob.build(env, c);
        System.out.printf("Loop running against %s (topics %s.*, policy %s, %s decisions); Ctrl-C stops it.%n",
                c.bootstrapServers(), c.topics().prefix(), c.loop().policy(), c.delivery());
        env.execute("loopline-" + c.loop().policy());
        return 0;
    }
}
