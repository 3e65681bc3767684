package dev.loopline.jobs.dashboard;

import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.state.ModelRegistry;
import dev.loopline.state.ModelVersions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard knows about a loop: every metric record read (in arrival order, each with a
 * sequence number so a page can ask for what is new), the drift alerts, the model versions and the
 * dead letters. Thread-safe: one follower thread writes, the HTTP threads read.
 *
 * <p>Memory is bounded: beyond {@link #MAX_POINTS} metric records the oldest tenth is forgotten (about
 * 8 hours of a loop that publishes ten metrics a second).
 */
public final class MetricStore {
    static final int MAX_POINTS = 300_000;
    static final int MAX_ALERTS = 1_000;

    /** One metric record; {@code low} and {@code high} are NaN when the record has none. */
    public record Point(long seq, String name, String scope, String key, long windowEnd, double value, double low,
            double high, String unit) {
        /** The series this point belongs to: the name, with the key in brackets when there is one. */
        public String series() {
            return key.isEmpty() ? name : name + "[" + key + "]";
        }
    }

    /** A model version as the dashboard shows it. */
    public record Model(String modelId, long version, long parent, String status, long appendedAt, long createdAt,
            Map<String, Double> metrics) {}

    /** An alert read from the metrics topic (the only place alerts come from; {@code onTopic} is always true). */
    public record Alert(DriftAlert alert, boolean onTopic) {}

    private final long epoch = System.currentTimeMillis();
    private final List<Point> points = new ArrayList<>();
    private long firstSeq;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, ModelRegistry> registries = new TreeMap<>();
    private final Map<String, Long> modelAppendedAt = new LinkedHashMap<>();
    private final Map<String, Long> deadLetterReasons = new TreeMap<>();
    private long deadLetters;
    private long unreadable;
    private long lastRecordAt;
    private boolean caughtUp;

    /** Identifies this store; a page that sees it change starts over. */
    public long epoch() {
        return epoch;
    }

    public synchronized void addMetric(MetricEvent m) {
        points.add(new Point(firstSeq + points.size(), m.getName(), m.getScope().name(), m.getKey(), m.getWindowEnd(),
                m.getValue(), m.getLow() == null ? Double.NaN : m.getLow(), m.getHigh() == null ? Double.NaN : m.getHigh(),
                m.getUnit()));
        if (points.size() > MAX_POINTS) {
            int drop = MAX_POINTS / 10;
            points.subList(0, drop).clear();
            firstSeq += drop;
        }
        lastRecordAt = System.currentTimeMillis();
        DriftAlert.fromMetric(m).ifPresent(a -> mergeAlert(a, true));
    }

    private void mergeAlert(DriftAlert a, boolean fromTopic) {
        // A record read twice (a replayed topic) is one alert.
        alerts.put(a.id(), new Alert(a, fromTopic));
        if (alerts.size() > MAX_ALERTS) {
            alerts.remove(alerts.keySet().iterator().next());
        }
    }

    public synchronized void addModel(ModelVersion v, long appendedAt) {
        registries.computeIfAbsent(v.getModelId(), ModelRegistry::new).add(v);
        modelAppendedAt.putIfAbsent(v.getModelId() + "@" + v.getVersion(), appendedAt);
        lastRecordAt = System.currentTimeMillis();
    }

    public synchronized void addDeadLetter(DeadLetter d) {
        deadLetters++;
        String reason = d.getReason().replaceAll("\\S*\\d\\S*", "#");
        deadLetterReasons.merge(reason.length() > 80 ? reason.substring(0, 80) + "..." : reason, 1L, Long::sum);
        lastRecordAt = System.currentTimeMillis();
    }

    public synchronized void addUnreadable() {
        unreadable++;
    }

    public synchronized void markCaughtUp() {
        caughtUp = true;
    }

    public synchronized boolean caughtUp() {
        return caughtUp;
    }

    /** The sequence number the next metric record will get. */
    public synchronized long cursor() {
        return firstSeq + points.size();
    }

    /** Metric records from sequence number {@code after} on (all kept ones when it is older). */
    public synchronized List<Point> pointsAfter(long after) {
        int from = (int) Math.max(0, Math.min(points.size(), after - firstSeq));
        return new ArrayList<>(points.subList(from, points.size()));
    }

    /** Metric records whose window ends after {@code sinceMillis}, in arrival order. */
    public synchronized List<Point> pointsSince(long sinceMillis) {
        return points.stream().filter(p -> p.windowEnd() > sinceMillis).toList();
    }

    /** The latest alerts first. */
    public synchronized List<Alert> alerts() {
        List<Alert> list = new ArrayList<>(alerts.values());
        list.sort(Comparator.comparingLong((Alert a) -> a.alert().firedAt()).reversed());
        return list;
    }

    /** Every model version, by model and version, with its status: serving, promoted, refused or unusable. */
    public synchronized List<Model> models() {
        List<Model> out = new ArrayList<>();
        registries.forEach((id, registry) -> {
            long serving = registry.serving().map(ModelVersion::getVersion).orElse(-1L);
            for (ModelVersion v : registry.all()) {
                String status = v.getVersion() == serving ? "serving" : ModelVersions.isCandidate(v) ? "refused" : "promoted";
                out.add(new Model(id, v.getVersion(), v.getParentVersion(), status,
                        modelAppendedAt.getOrDefault(id + "@" + v.getVersion(), 0L), v.getCreatedAt(),
                        new TreeMap<>(v.getMetrics())));
            }
            registry.unusable().forEach((version, reason) -> out.add(new Model(id, version, 0, "unusable: " + reason,
                    modelAppendedAt.getOrDefault(id + "@" + version, 0L), 0, Map.of())));
        });
        out.sort(Comparator.comparing(Model::modelId).thenComparingLong(Model::version));
        return out;
    }

    public synchronized long deadLetters() {
        return deadLetters;
    }

    public synchronized Map<String, Long> deadLetterReasons() {
        return new TreeMap<>(deadLetterReasons);
    }

    public synchronized long unreadable() {
        return unreadable;
    }

    /** Wall-clock time of the latest record read, or 0. */
    public synchronized long lastRecordAt() {
        return lastRecordAt;
    }
}
