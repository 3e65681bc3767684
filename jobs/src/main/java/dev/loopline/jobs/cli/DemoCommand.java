package dev.loopline.jobs.cli;

import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.dashboard.Dashboard;
import dev.loopline.jobs.demo.DemoRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole loop on the embedded default: an in-JVM Kafka broker (KRaft), a Flink MiniCluster",
                "(parallelism 2, RocksDB, checkpoints every 2 s, exactly-once decisions) and the payments simulator.",
                "Prints a live progress line, then a summary; writes loopline-report.html."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "60", description = "How long the simulator sends events (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--events", defaultValue = "0", description = "Send exactly this many events instead of running for --seconds.")
    long events;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the simulator and of every random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "EVENTS_PER_S",
            description = "Context events per second; 0 = as fast as the loop takes them (default).")
    double rate;

    @Option(names = "--policy", defaultValue = "squarecb", description = "squarecb (over the reward model the loop trains) or a policy that learns per state key (greedy, epsilon-greedy, softmax, linucb, linucb-hybrid, lin-ts, squarecb-linear, bagging-ts, regcb-opt), or uniform. Default: ${DEFAULT-VALUE}.")
    String policy;

    @Option(names = "--env", defaultValue = "payments", description = "The environment: payments, recommender, robot, vehicle, motor, supervised:CSV[#LABEL], obd:CSV (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--env-option", paramLabel = "NAME=VALUE",
            description = "Change one setting of the environment (repeatable): any number of its config by name, e.g. driftAfterMillis=10000 (robot), users=500 (recommender); payments also takes outage=route-0:eu:20000:45000:0.1 (an issuer outage) and feeChange=route-1:40000:0.9. An unknown name lists the known ones.")
    Map<String, String> envOptions = new java.util.LinkedHashMap<>();

    @Option(names = "--error-memory", defaultValue = "off", paramLabel = "on|off",
            description = "Correct the policy's predicted rewards by its recent mistakes on similar contexts (errorMemory.* in loop.yaml). Default: ${DEFAULT-VALUE}.")
    String errorMemory;

    @Option(names = "--explain-rate", defaultValue = "0", description = "Share of decisions that carry an explanation (scores, bonus, top features), 0..1.")
    double explainRate;

    @Option(names = "--config", paramLabel = "loop.yaml", description = "Job settings from a loop.yaml (Kafka and topics stay embedded).")
    Path config;

    @Option(names = "--delivery", defaultValue = JobConfig.EXACTLY_ONCE, description = "exactly-once or low-latency decisions (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(names = "--inject-bad", defaultValue = "0", paramLabel = "N",
            description = "Inject N bad records (malformed bytes, unknown schema, NaN feature, empty action set, feedback for an unknown decision); each must become one dead letter.")
    int injectBad;

    @Option(names = "--inject-worse-candidate", description = "Make the fifth training round's candidate deliberately worse (scores inverted); the promotion gate must refuse it.")
    boolean worseCandidate;

    @Option(names = "--inject-bad-models", description = "Publish a version with a bad checksum and one with a wrong input dimension; both must be refused (dead letters) while serving continues.")
    boolean badModels;

    @Option(names = "--rollback", description = "Roll back to the previous promoted version at 60%% of the run, as `loopline model rollback` would, and report how fast decisions used it.")
    boolean rollback;

    @Option(names = "--summary", paramLabel = "FILE", description = "Write the summary as JSON to FILE.")
    Path summary;

    @Option(names = "--record", paramLabel = "FILE", description = "Record every event sent, with what each offered action"
            + " would have earned, to FILE (Avro); loopline eval --dataset FILE replays them offline.")
    Path record;

    @Option(names = "--report", defaultValue = "loopline-report.html", paramLabel = "FILE", description = "HTML report with plots (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--no-progress", description = "Do not draw the live progress line (for logs and CI).")
    boolean noProgress;

    @Option(names = "--inject-drift", arity = "0..1", fallbackValue = "-1", paramLabel = "SECONDS",
            description = "Inject a strong drift at SECONDS of event time (default: half of --seconds, or 20 s with --events): "
                    + "route-2, the best route for about a third of the payments, keeps 20%% of its success probability.")
    Double injectDrift;

    @Option(names = "--dashboard", paramLabel = "PORT",
            description = "Serve the live dashboard on PORT while the demo runs (0 picks a free port); the URL is printed.")
    Integer dashboardPort;

    @Option(names = "--dashboard-bind", defaultValue = Dashboard.Settings.LOCAL, paramLabel = "ADDRESS",
            description = "Address the dashboard binds (default: ${DEFAULT-VALUE}, this machine only). Any other address needs"
                    + " a token: LOOPLINE_DASHBOARD_TOKEN, or a random one shown in the printed address.")
    String dashboardBind;

    private long injectDriftMillis() {
        if (injectDrift == null) {
            return 0;
        }
        if (injectDrift < 0) {
            return events > 0 ? 20_000 : Math.max(1, seconds * 1000 / 2);
        }
        if (injectDrift == 0) {
            throw new IllegalArgumentException("--inject-drift 0 would degrade the route from the first event; give a time > 0 s");
        }
        return Math.round(injectDrift * 1000);
    }

    private static boolean onOff(String option, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(option + " takes on or off, not \"" + value + "\"");
        };
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> s = DemoRun.run(new DemoRun.Options(events > 0 ? 0 : seconds, events, seed, rate, injectBad,
                policy, delivery, summary, report, !noProgress, worseCandidate, badModels, rollback,
                dashboardPort == null ? null : new Dashboard.Settings(dashboardBind, dashboardPort), injectDriftMillis()),
                new DemoRun.Extras(env, explainRate, config, onOff("--error-memory", errorMemory), envOptions,
                        record), System.out);
        boolean exactlyOnce = s.get("decisions").equals(s.get("uniqueDecisionIds"))
                && s.get("uniqueDecisionIds").equals(s.get("contextEvents"));
        return exactlyOnce ? 0 : 2;
    }
}
