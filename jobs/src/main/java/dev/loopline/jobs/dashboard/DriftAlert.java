package dev.loopline.jobs.dashboard;

import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import java.util.Optional;

/**
 * A change a drift detector found in a metric series: what (detector and metric), where (the series'
 * scope and key), when (the end of the window at which it fired) and the statistic (the change of the
 * mean between the detector's older and newer sub-windows).
 *
 * <p>On the metrics topic an alert is a {@link MetricEvent} named {@value #METRIC}: scope and key are
 * those of the watched series, {@code windowEnd} is when it fired, {@code value} is the change of the
 * mean (newer minus older, negative when the metric fell) and {@code unit} is
 * {@code "<detector>/<metric>"}, e.g. {@code adwin/reward.mean}.
 *
 * @param detector   the detector's name, e.g. {@code adwin}
 * @param metric     the watched metric, e.g. {@code reward.mean}
 * @param scope      scope of the watched series ({@code GLOBAL}, {@code ENTITY}, ...)
 * @param key        key of the watched series; empty for global
 * @param firedAt    end of the window at which the detector fired, epoch ms
 * @param delta      newer mean minus older mean
 * @param meanBefore mean of the part of the window the detector dropped (NaN when not known)
 * @param meanAfter  mean of the window it kept (NaN when not known)
 * @param window     values left in the detector's window after the cut (0 when not known)
 */
public record DriftAlert(String detector, String metric, String scope, String key, long firedAt, double delta,
        double meanBefore, double meanAfter, long window) {

    /** The name of alert records on the metrics topic. */
    public static final String METRIC = "drift.alert";

    public DriftAlert {
        if (detector == null || detector.isBlank() || detector.contains("/")) {
            throw new IllegalArgumentException("detector name '" + detector + "' must be non-empty, without '/'");
        }
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("the watched metric name must be non-empty");
        }
        scope = scope == null ? MetricScope.GLOBAL.name() : scope;
        key = key == null ? "" : key;
    }

    /** {@code down} when the metric fell, {@code up} when it rose. */
    public String direction() {
        return delta < 0 ? "down" : "up";
    }

    /** Identifies the alert across its local detection and its record on the topic. */
    public String id() {
        return detector + "/" + metric + "@" + scope + ":" + key + "#" + firedAt;
    }

    public MetricEvent toMetric() {
        return MetricEvent.newBuilder().setName(METRIC).setScope(MetricScope.valueOf(scope)).setKey(key)
                .setWindowEnd(firedAt).setValue(delta).setUnit(detector + "/" + metric).build();
    }

    /** The alert a {@value #METRIC} record holds; empty for any other record or a unit without a detector. */
    public static Optional<DriftAlert> fromMetric(MetricEvent m) {
        if (!METRIC.equals(m.getName())) {
            return Optional.empty();
        }
        String unit = m.getUnit();
        int slash = unit.indexOf('/');
        if (slash < 1 || slash == unit.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new DriftAlert(unit.substring(0, slash), unit.substring(slash + 1), m.getScope().name(),
                m.getKey(), m.getWindowEnd(), m.getValue(), Double.NaN, Double.NaN, 0));
    }
}
