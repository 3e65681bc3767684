package dev.loopline.jobs.cli;

import dev.loopline.envs.Environment;
import dev.loopline.envs.Environments;
import dev.loopline.envs.kafka.KafkaEnvironmentRunner;
import dev.loopline.envs.kafka.KafkaRunnerConfig;
import dev.loopline.envs.record.RecordingEnvironment;
import dev.loopline.envs.stats.RunSnapshot;
import dev.loopline.jobs.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "env", mixinStandardHelpOptions = true,
        description = {"Plays an environment against a running loop, through its Kafka topics only: sends context events,",
                "reads decisions (read committed), sends feedback after the environment's delays."})
final class EnvCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "The environment: ${COMPLETION-CANDIDATES}.",
            completionCandidates = EnvironmentNames.class)
    String name;

    @picocli.CommandLine.Mixin
    LoopTarget target;

    @Option(names = "--env-option", paramLabel = "NAME=VALUE",
            description = "Change one setting of the environment (repeatable): any number of its config by name, e.g. driftAfterMillis=10000 (robot); payments also takes outage=ROUTE:REGION:FROM_MS:TO_MS:MULTIPLIER and feeChange=ROUTE:AT_MS:FEE.")
    Map<String, String> envOptions = new java.util.LinkedHashMap<>();

    @Option(names = "--max-in-flight", defaultValue = "4000", paramLabel = "N",
            description = "Most events sent without a decision yet; beyond it the environment waits (default: ${DEFAULT-VALUE},"
                    + " about two checkpoints of a loop's throughput: with exactly-once decisions visible at each checkpoint,"
                    + " more only queues events in Kafka, and an unpaced run could send everything before its first outcome).")
    int maxInFlight;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the environment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "0", description = "Context events per second; 0 = as fast as the loop takes them.")
    double rate;

    @Option(names = "--events", defaultValue = "0", description = "Stop after this many events (0 = no limit).")
    long events;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (0 = no limit).")
    long seconds;

    @Option(names = "--flush-feedback-millis", paramLabel = "MS",
            description = {"At the end, still send the feedback due within this delay and wait for it; later feedback is dropped.",
                    "Default: the loop's feedback.waitMillis with --config (later feedback would only count as late), else 60000."})
    Long flushFeedbackMillis;

    @Option(names = "--record", paramLabel = "FILE", description = "Record every event sent, with what each offered action"
            + " would have earned, to FILE (Avro); loopline eval --dataset FILE replays them offline.")
    Path record;

    @Override
    public Integer call() throws Exception {
        LoopTarget.Loop loop = target.resolve();
        String servers = loop.servers();
        Topics topics = loop.topics();
        long flushMillis = loop.config() != null ? loop.config().loop().rewardWaitMillis() : 60_000;
        Environment environment = Environments.create(name, seed, envOptions);
        KafkaRunnerConfig runnerConfig = KafkaRunnerConfig.defaults(servers)
                .withTopics(topics.context(), topics.decisions(), topics.feedback()).withSeed(seed).withRate(rate)
                .withMaxEvents(events).withDurationMillis(seconds * 1000).withMaxInFlight(maxInFlight);
        RecordingEnvironment recorder = record == null ? null : new RecordingEnvironment(environment, record);
        try (AutoCloseable recording = recorder == null ? () -> { } : recorder;
                KafkaEnvironmentRunner runner = new KafkaEnvironmentRunner(runnerConfig,
                        recorder == null ? environment : recorder, loop.clientProperties())) {
            runner.start();
            while (!runner.awaitProductionDone(Duration.ofSeconds(5))) {
                print(runner.snapshot());
            }
            runner.awaitAllDecided(Duration.ofSeconds(60));
            runner.awaitFeedbackFlushed(flushFeedbackMillis != null ? flushFeedbackMillis : flushMillis, Duration.ofSeconds(90));
            RunSnapshot s = runner.snapshot();
            print(s);
            if (recorder != null) {
                System.out.println("Recorded " + recorder.recorded() + " events in " + record);
            }
            return s.uniqueDecisionIds() == s.contextEvents() ? 0 : 2;
        }
    }

    private static void print(RunSnapshot s) {
        long n = Math.max(1, s.uniqueDecisionIds());
        System.out.printf(Locale.ROOT, "%s: sent %d, decided %d, mean reward %.3f (oracle %.3f, uniform %.3f), p50/p99 %d/%d ms%n",
                java.time.LocalTime.now().withNano(0), s.contextEvents(), s.uniqueDecisionIds(), s.realizedRewardSum() / n,
                s.oracleBestSum() / n, s.uniformMeanSum() / n, s.latencyP50Millis(), s.latencyP99Millis());
    }
}
