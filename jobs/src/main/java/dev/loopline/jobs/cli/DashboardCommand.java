package dev.loopline.jobs.cli;

import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.LoopYaml;
import dev.loopline.jobs.Topics;
import dev.loopline.jobs.dashboard.Dashboard;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serves the live dashboard of a running loop (embedded or external): reward against oracle and "
                + "uniform, regret, drift alerts, model versions, latency, off-policy estimates, exploration; metric "
                + "history as CSV and JSON. Reads the loop's metrics, model and dead-letter topics; runs ADWIN on the "
                + "reward and writes each alert to the metrics topic (drift.alert). Runs until stopped (Ctrl-C).")
final class DashboardCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "loop.yaml",
            description = "The loop's configuration file: Kafka bootstrap, client properties and topic prefix come from it.")
    Path config;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers of the loop (instead of --config).")
    String bootstrap;

    @Option(names = "--topic-prefix", paramLabel = "P", description = "Topic prefix of the loop (default: loopline, or the config's).")
    String prefix;

    @Option(names = "--default-reward", paramLabel = "R",
            description = "The loop's feedback.defaultReward, with --bootstrap (default: 0; --config reads it).")
    Double defaultReward;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port of the page; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dashboard-bind", defaultValue = Dashboard.Settings.LOCAL, paramLabel = "ADDRESS",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 serves every interface).")
    String bind;

    @Override
    public Integer call() throws Exception {
        if ((config == null) == (bootstrap == null)) {
            throw new IllegalArgumentException("give either --config loop.yaml or --bootstrap HOST:PORT (one of them)");
        }
        String servers;
        Map<String, String> clientProperties;
        Topics topics;
        double timedOutReward = defaultReward == null ? 0 : defaultReward;
        if (config != null) {
            JobConfig c = LoopYaml.load(config);
            servers = c.bootstrapServers();
            clientProperties = c.kafkaProperties();
            topics = prefix == null ? c.topics() : new Topics(prefix);
            if (defaultReward == null && c.loop().defaultReward() != null) {
                timedOutReward = c.loop().defaultReward();
            }
        } else {
            servers = bootstrap;
            clientProperties = Map.of();
            topics = prefix == null ? Topics.defaults() : new Topics(prefix);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (Dashboard dashboard = Dashboard.start(new Dashboard.Settings(bind, port), servers, clientProperties, topics,
                timedOutReward, "Loopline — " + topics.prefix() + " at " + servers)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "loopline-dashboard-stop"));
            System.out.printf("Dashboard of %s.* at %s: %s  (Ctrl-C stops it)%n", topics.prefix(), servers, dashboard.url());
            stopped.await();
        }
        return 0;
    }
}
