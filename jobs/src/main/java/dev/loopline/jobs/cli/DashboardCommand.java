package dev.loopline.jobs.cli;

import dev.loopline.jobs.Topics;
import dev.loopline.jobs.dashboard.Dashboard;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serves the live dashboard of a running loop (embedded or external): reward against oracle and "
                + "uniform, regret, drift alerts, model versions, latency, off-policy estimates, exploration; metric "
                + "history as CSV and JSON. Only reads the loop's metrics, model and dead-letter topics (the job's drift "
                + "operators publish the alerts it shows). Runs until stopped (Ctrl-C).")
final class DashboardCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    LoopTarget target;

    @Option(names = "--default-reward", paramLabel = "R",
            description = "The loop's feedback.defaultReward, with --bootstrap (default: 0; --config reads it).")
    Double defaultReward;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port of the page; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dashboard-bind", defaultValue = Dashboard.Settings.LOCAL, paramLabel = "ADDRESS",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 serves every interface)."
                    + " Any other address needs a token: LOOPLINE_DASHBOARD_TOKEN, or a random one shown in the printed address.")
    String bind;

    @Override
    public Integer call() throws Exception {
        LoopTarget.Loop loop = target.resolve();
        String servers = loop.servers();
        Map<String, String> clientProperties = loop.clientProperties();
        Topics topics = loop.topics();
        double timedOutReward = defaultReward != null ? defaultReward
                : loop.config() != null && loop.config().loop().defaultReward() != null ? loop.config().loop().defaultReward() : 0;
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
