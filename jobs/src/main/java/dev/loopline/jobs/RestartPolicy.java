package dev.loopline.jobs;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * How the job restarts after a failure (a lost TaskManager, a broker it cannot reach), set by the job itself
 * so it does not depend on what the cluster it is submitted to defaults to. It restarts from its last
 * checkpoint without end: the loop's decisions are exactly-once across restarts, and giving up would stop
 * deciding. {@code exponential-delay} waits {@code delayMillis} before the first restart and doubles the wait
 * up to {@code maxDelayMillis} while failures repeat (a dead TaskManager still registered, a broker down), so
 * a lasting fault does not restart the job in a tight loop; {@code fixed-delay} always waits {@code delayMillis};
 * {@code none} leaves the job failed (for tests and for a supervisor of its own).
 */
public record RestartPolicy(String strategy, long delayMillis, long maxDelayMillis) implements Serializable {
    public static final String EXPONENTIAL = "exponential-delay";
    public static final String FIXED = "fixed-delay";
    public static final String NONE = "none";
    public static final List<String> STRATEGIES = List.of(EXPONENTIAL, FIXED, NONE);
    public static final RestartPolicy DEFAULT = new RestartPolicy(EXPONENTIAL, 1_000, 30_000);

    public RestartPolicy {
        if (!STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("job.restartStrategy '" + strategy + "' is unknown; use one of " + STRATEGIES);
        }
        if (delayMillis < 0 || maxDelayMillis < delayMillis) {
            throw new IllegalArgumentException("restart delays must satisfy 0 <= job.restartDelayMillis (" + delayMillis
                    + ") <= job.maxRestartDelayMillis (" + maxDelayMillis + ")");
        }
    }

    /** Writes the restart strategy into a job's Flink configuration. */
    void applyTo(Configuration conf) {
        conf.setString("restart-strategy.type", strategy);
        switch (strategy) {
            case EXPONENTIAL -> {
                conf.setString("restart-strategy.exponential-delay.initial-backoff", delayMillis + " ms");
                conf.setString("restart-strategy.exponential-delay.max-backoff", maxDelayMillis + " ms");
                conf.setString("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
                // After ten quiet minutes a new failure starts again from the shortest wait.
                conf.setString("restart-strategy.exponential-delay.reset-backoff-threshold", "10 min");
                conf.setString("restart-strategy.exponential-delay.attempts-before-reset-backoff",
                        Integer.toString(Integer.MAX_VALUE));
            }
            case FIXED -> {
                conf.setString("restart-strategy.fixed-delay.attempts", Integer.toString(Integer.MAX_VALUE));
                conf.setString("restart-strategy.fixed-delay.delay", delayMillis + " ms");
            }
            default -> { }
        }
    }
}
