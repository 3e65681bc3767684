package dev.loopline.jobs.demo;

import dev.loopline.envs.Environment;
import dev.loopline.envs.payments.PaymentsSimulator;
import dev.loopline.envs.stats.WindowPoint;
import dev.loopline.jobs.dashboard.MetricPublisher;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import java.util.List;

/**
 * Publishes what only the simulator knows to the loop's metrics topic, so that the dashboard (and any
 * consumer of the topic) can show it beside the loop's own metrics: per one-second window the oracle's
 * and a uniform random policy's expected reward ({@code reward.oracle}, {@code reward.uniform}) and the
 * decision latency ({@code latency.p50}, {@code latency.p99}, context append to decision append, ms);
 * and, once, the moment the payments simulator's route degradation starts ({@code drift.injected},
 * value = the success multiplier, unit names the route).
 */
final class SimulatorMetrics implements AutoCloseable {
    static final long WINDOW_MILLIS = 1000;

    private final MetricPublisher publisher;
    private final Environment env;
    private long publishedUpTo = Long.MIN_VALUE;
    private boolean driftPublished;

    SimulatorMetrics(MetricPublisher publisher, Environment env) {
        this.publisher = publisher;
        this.env = env;
    }

    /**
     * Publishes the windows not published yet; the newest window is still filling, so it waits unless
     * {@code all}.
     */
    void publish(List<WindowPoint> windows, boolean all) {
        int end = all ? windows.size() : windows.size() - 1;
        for (int i = 0; i < end; i++) {
            WindowPoint w = windows.get(i);
            if (w.windowStartMillis() <= publishedUpTo) {
                continue;
            }
            publishedUpTo = w.windowStartMillis();
            long windowEnd = w.windowStartMillis() + WINDOW_MILLIS;
            metric("reward.oracle", windowEnd, w.meanOracle(), "reward");
            metric("reward.uniform", windowEnd, w.meanUniform(), "reward");
            if (w.latencyP50() >= 0) {
                metric("latency.p50", windowEnd, w.latencyP50(), "ms");
                metric("latency.p99", windowEnd, w.latencyP99(), "ms");
            }
        }
        if (!driftPublished && env instanceof PaymentsSimulator payments) {
            long now = System.currentTimeMillis();
            if (payments.degraded(now)) {
                driftPublished = true;
                publisher.publish(MetricEvent.newBuilder().setName("drift.injected").setScope(MetricScope.GLOBAL)
                        .setKey("").setWindowEnd(degradationStart(payments, now))
                        .setValue(payments.config().degradedSuccess())
                        .setUnit("success multiplier of " + payments.config().degradeRoute()).build());
            }
        }
    }

    /** The first millisecond at which the simulator degrades, given that it does at {@code now}. */
    static long degradationStart(PaymentsSimulator payments, long now) {
        long lo = now - payments.config().degradeAfterMillis() - 86_400_000L; // not degraded: before the first event
        long hi = now;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (payments.degraded(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private void metric(String name, long windowEnd, double value, String unit) {
        if (Double.isFinite(value)) {
            publisher.publish(MetricEvent.newBuilder().setName(name).setScope(MetricScope.GLOBAL).setKey("")
                    .setWindowEnd(windowEnd).setValue(value).setUnit(unit).build());
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
