package dev.loopline.jobs.dashboard;

import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import java.util.Optional;

/**
 * A change a drift detector in the job found: what (detector and watched stream), where (scope and
 * key), when (the event time of the example it fired on) and the detector's statistic (negative when
 * the stream fell).
 *
 * <p>On the metrics topic an alert is a {@link MetricEvent} named {@value #PREFIX}{@code <stream>}, e.g.
 * {@code drift.alert.reward} or {@code drift.alert.residual}: scope and key are where, {@code windowEnd}
 * is when it fired, {@code value} is the statistic and {@code unit} the detector, e.g. {@code adwin}.
 * Records named {@value #METRIC} with unit {@code <detector>/<metric>}, written by dashboards of earlier
 * releases, are read too.
 *
 * @param detector   the detector's name, e.g. {@code adwin}
 * @param metric     the watched metric, e.g. {@code reward.mean}
 * @param scope      scope of the watched series ({@code GLOBAL}, {@code ENTITY}, ...)
 * @param key        key of the watched series; empty for global
 * @param firedAt    end of the window at which the detector fired, epoch ms
 * @param delta      the detector's statistic, negative when the stream fell (ADWIN: newer mean minus older mean)
 * @param meanBefore mean of the part of the window the detector dropped (NaN when not known)
 * @param meanAfter  mean of the window it kept (NaN when not known)
 * @param window     values left in the detector's window after the cut (0 when not known)
 */
public record DriftAlert(String detector, String metric, String scope, String key, long firedAt, double delta,
        double meanBefore, double meanAfter, long window) {

    /** The start of the name of alert records on the metrics topic; the watched stream follows. */
    public static final String PREFIX = "drift.alert.";
    /** The name earlier releases' dashboards gave their alerts. */
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
        return MetricEvent.newBuilder().setName(PREFIX + metric).setScope(MetricScope.valueOf(scope)).setKey(key)
                .setWindowEnd(firedAt).setValue(delta).setUnit(detector).build();
    }

    /** The alert a {@code drift.alert.*} (or legacy {@value #METRIC}) record holds; empty for any other record. */
    public static Optional<DriftAlert> fromMetric(MetricEvent m) {
        String name = m.getName();
        String unit = m.getUnit();
        if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !unit.isBlank() && !unit.contains("/")) {
            return Optional.of(new DriftAlert(unit, name.substring(PREFIX.length()), m.getScope().name(), m.getKey(),
                    m.getWindowEnd(), m.getValue(), Double.NaN, Double.NaN, 0));
        }
        if (!METRIC.equals(name)) {
            return Optional.empty();
        }
        int slash = unit.indexOf('/');
        if (slash < 1 || slash == unit.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new DriftAlert(unit.substring(0, slash), unit.substring(slash + 1), m.getScope().name(),
                m.getKey(), m.getWindowEnd(), m.getValue(), Double.NaN, Double.NaN, 0));
    }
}
