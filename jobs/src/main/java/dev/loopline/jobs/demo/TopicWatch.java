package dev.loopline.jobs.demo;

import dev.loopline.jobs.dashboard.OutputFollower;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.RecordRejectedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the loop's output topics the way an analyst's tool would (read committed, from the start):
 * the latest value of every metric, the dead letters with their reasons, the published model versions.
 */
final class TopicWatch implements AutoCloseable, OutputFollower.Listener {
    private final OutputFollower follower;
    private final Map<String, Double> latestMetric = new ConcurrentHashMap<>();
    private final Map<String, List<double[]>> metricHistory = new ConcurrentHashMap<>();
    private final Map<String, Long> deadLetterReasons = new ConcurrentHashMap<>();
    private final Map<String, Long> deadLettersByKind = new ConcurrentHashMap<>();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Map<Long, Long> modelVersions = new TreeMap<>();
    private final Map<Long, ModelVersion> modelRecords = new ConcurrentHashMap<>();

    TopicWatch(String bootstrap, String metricsTopic, String deadLetterTopic, String modelsTopic) {
        follower = new OutputFollower(bootstrap, Map.of(), metricsTopic, deadLetterTopic, modelsTopic, this);
    }

    @Override
    public void onMetric(MetricEvent m, long appendedAt) {
        latestMetric.put(m.getName(), m.getValue());
        metricHistory.computeIfAbsent(m.getName(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(new double[] {m.getWindowEnd(), m.getValue()});
    }

    @Override
    public void onDeadLetter(DeadLetter d, long appendedAt) {
        deadLetters.incrementAndGet();
        deadLetterReasons.merge(groupOf(d.getReason()), 1L, Long::sum);
        deadLettersByKind.merge(RecordRejectedException.kindOf(d.getReason()), 1L, Long::sum);
    }

    @Override
    public void onModel(ModelVersion v, long appendedAt) {
        synchronized (modelVersions) {
            modelVersions.putIfAbsent(v.getVersion(), appendedAt);
        }
        modelRecords.putIfAbsent(v.getVersion(), v);
    }

    @Override
    public void onUnreadable(String topic, RecordRejectedException e) {
        deadLetterReasons.merge("unreadable output record", 1L, Long::sum);
    }

    /** The first words of a reason, without ids, so the summary groups alike refusals. */
    static String groupOf(String reason) {
        String r = reason.replaceAll("\\S*\\d\\S*", "#");
        return r.length() > 70 ? r.substring(0, 70) + "..." : r;
    }

    double metric(String name) {
        return latestMetric.getOrDefault(name, 0.0);
    }

    List<double[]> history(String name) {
        List<double[]> h = metricHistory.get(name);
        return h == null ? List.of() : new ArrayList<>(h);
    }

    long deadLetters() {
        return deadLetters.get();
    }

    Map<String, Long> deadLetterReasons() {
        return new TreeMap<>(deadLetterReasons);
    }

    /** Dead letters counted by the kind their reason names ({@code kind: details}). */
    Map<String, Long> deadLettersByKind() {
        return new TreeMap<>(deadLettersByKind);
    }

    Map<Long, Long> modelVersions() {
        synchronized (modelVersions) {
            return new TreeMap<>(modelVersions);
        }
    }

    /** Every model record seen, by version (the first record of each number). */
    Map<Long, ModelVersion> modelRecords() {
        return new TreeMap<>(modelRecords);
    }

    @Override
    public void close() throws InterruptedException {
        follower.close();
    }
}
