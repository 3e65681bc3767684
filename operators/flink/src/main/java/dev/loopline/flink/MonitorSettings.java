package dev.loopline.flink;

import dev.loopline.core.drift.DriftAlarm;
import dev.loopline.core.ope.ReplayEvaluation;
import dev.loopline.core.stats.ContinualEvaluation;
import java.io.Serializable;
import java.util.List;

/**
 * What the monitoring operators watch and how: drift alarms on the reward and residual streams per
 * scope, continual evaluation after each global reward shift, and online off-policy evaluation.
 *
 * @param windowMillis    event-time window of the metrics topic
 * @param rewardAlarm     the alarm run on each scope's joined rewards
 * @param residualAlarm   the alarm run on each scope's residuals (reward − served prediction)
 * @param scopes          where drift is watched: any of {@code entity}, {@code segment}, {@code global}
 * @param streams         which streams: any of {@code reward}, {@code residual}
 * @param segmentFeatures context features whose values name a segment; segment scope is skipped when empty
 * @param stability       the continual evaluation after each global reward shift
 * @param ope             the online off-policy evaluation
 * @param keyRetentionMillis how long an entity's or segment's detector state outlives the key's last example
 *                        (processing time; 0 keeps it forever), so keys that disappear do not pile up
 * @param opeMaxCpuShare  the most of one core the off-policy window closes may take over time; a close due sooner
 *                        is put off to the next window end, whose estimates then cover both windows
 */
public record MonitorSettings(long windowMillis, DriftAlarm.Config rewardAlarm, DriftAlarm.Config residualAlarm,
        List<String> scopes, List<String> streams, List<String> segmentFeatures, ContinualEvaluation.Config stability,
        ReplayEvaluation.Config ope, long keyRetentionMillis, double opeMaxCpuShare) implements Serializable {
    public static final String ENTITY = "entity";
    public static final String SEGMENT = "segment";
    public static final String GLOBAL = "global";
    public static final List<String> SCOPES = List.of(ENTITY, SEGMENT, GLOBAL);
    public static final String REWARD = "reward";
    public static final String RESIDUAL = "residual";
    public static final List<String> STREAMS = List.of(REWARD, RESIDUAL);

    /** A week: an entity silent for longer starts its drift detection afresh. */
    public static final long DEFAULT_KEY_RETENTION_MILLIS = 7L * 24 * 3600 * 1000;

    public MonitorSettings(long windowMillis, DriftAlarm.Config rewardAlarm, DriftAlarm.Config residualAlarm,
            List<String> scopes, List<String> streams, List<String> segmentFeatures, ContinualEvaluation.Config stability,
            ReplayEvaluation.Config ope) {
        this(windowMillis, rewardAlarm, residualAlarm, scopes, streams, segmentFeatures, stability, ope,
                DEFAULT_KEY_RETENTION_MILLIS);
    }

    /** Settings whose off-policy closes are not paced (every window closes). */
    public MonitorSettings(long windowMillis, DriftAlarm.Config rewardAlarm, DriftAlarm.Config residualAlarm,
            List<String> scopes, List<String> streams, List<String> segmentFeatures, ContinualEvaluation.Config stability,
            ReplayEvaluation.Config ope, long keyRetentionMillis) {
        this(windowMillis, rewardAlarm, residualAlarm, scopes, streams, segmentFeatures, stability, ope,
                keyRetentionMillis, 1.0);
    }

    public MonitorSettings {
        if (!(opeMaxCpuShare > 0 && opeMaxCpuShare <= 1)) {
            throw new IllegalArgumentException("monitor.ope.maxCpuShare=" + opeMaxCpuShare + " must be in (0, 1]");
        }
        if (keyRetentionMillis < 0) {
            throw new IllegalArgumentException("monitor.drift.keyRetentionMillis " + keyRetentionMillis
                    + " is negative; use 0 to keep every key's detector forever");
        }
        if (windowMillis < 1) {
            throw new IllegalArgumentException("metrics window " + windowMillis + " ms must be at least 1 ms");
        }
        scopes = List.copyOf(scopes);
        streams = List.copyOf(streams);
        segmentFeatures = List.copyOf(segmentFeatures);
        for (String s : scopes) {
            if (!SCOPES.contains(s)) {
                throw new IllegalArgumentException("monitor.drift.scopes: '" + s + "' is unknown; use any of " + SCOPES);
            }
        }
        for (String s : streams) {
            if (!STREAMS.contains(s)) {
                throw new IllegalArgumentException("monitor.drift.streams: '" + s + "' is unknown; use any of " + STREAMS);
            }
        }
        if (rewardAlarm == null || residualAlarm == null || stability == null || ope == null) {
            throw new IllegalArgumentException("monitor settings need both drift alarms, the stability and the off-policy configs");
        }
    }

    /** Whether drift is watched in this scope (segment needs segment features). */
    public boolean watches(String scope) {
        return scopes.contains(scope) && (!scope.equals(SEGMENT) || !segmentFeatures.isEmpty());
    }
}
