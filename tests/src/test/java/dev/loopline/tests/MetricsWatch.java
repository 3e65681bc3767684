package dev.loopline.tests;

import dev.loopline.jobs.Topics;
import dev.loopline.jobs.dashboard.OutputFollower;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.tests.cluster.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The metrics topic as the dashboard reads it (the product's {@link OutputFollower}), for assertions. */
final class MetricsWatch implements AutoCloseable, OutputFollower.Listener {
    private final List<MetricEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, Double> latest = new ConcurrentHashMap<>();
    private final List<RecordRejectedException> unreadable = new CopyOnWriteArrayList<>();
    private final OutputFollower follower;

    MetricsWatch(String bootstrap, Topics topics) {
        follower = new OutputFollower(bootstrap, Map.of(), topics.metrics(), topics.deadLetter(), topics.models(), this);
    }

    @Override
    public void onMetric(MetricEvent m, long appendedAt) {
        events.add(m);
        if (m.getName().endsWith(".total")) {
            latest.merge(m.getName(), m.getValue(), Math::max);
        }
    }

    @Override
    public void onUnreadable(String topic, RecordRejectedException e) {
        unreadable.add(e);
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        all().forEach(m -> names.add(m.getName()));
        return names;
    }

    /** Every metric read so far; a record on the job's own topics that does not decode is a defect. */
    List<MetricEvent> all() {
        if (!unreadable.isEmpty()) {
            throw new IllegalStateException("a record the contract codec refuses", unreadable.get(0));
        }
        return List.copyOf(events);
    }

    long timedOutTotal() {
        return Math.round(latest.getOrDefault("feedback.timedOut.total", 0.0));
    }

    long resolvedTotal() {
        return Math.round(latest.getOrDefault("feedback.joined.total", 0.0)) + timedOutTotal();
    }

    /** The wall-clock time the metric totals first added up to {@code decisions}, or 0 if not within {@code within}. */
    long awaitResolved(long decisions, Duration within) throws InterruptedException {
        try {
            return Await.until(decisions + " decisions joined or timed out", within, Duration.ofMillis(100),
                    () -> resolvedTotal() >= decisions ? System.currentTimeMillis() : null);
        } catch (IllegalStateException timedOut) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        follower.close();
    }
}
