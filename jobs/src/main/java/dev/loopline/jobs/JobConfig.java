package dev.loopline.jobs;

import dev.loopline.flink.LoopSettings;
import dev.loopline.flink.TrainerSettings;
import java.io.Serializable;
import java.util.Map;

/**
 * Everything one loop job needs, validated when built so a bad value stops the job before it starts.
 *
 * @param bootstrapServers    Kafka bootstrap servers
 * @param kafkaProperties     extra Kafka client properties (security settings and the like), passed through
 * @param topics              topic names
 * @param delivery            {@code exactly-once} (transactional decisions) or {@code low-latency}
 * @param parallelism         parallelism of the keyed operators
 * @param checkpointMillis    checkpoint interval; exactly-once output becomes visible at each checkpoint
 * @param checkpointDir       URI of the checkpoint directory
 * @param stateBackend        {@code rocksdb} or {@code hashmap}
 * @param metricsWindowMillis event-time window of the metrics topic
 * @param runId               distinguishes transactional ids of concurrent runs against one cluster
 * @param topicPartitions     partitions of the context, decisions and feedback topics when Loopline creates them
 * @param topicReplication    replication factor of every topic Loopline creates
 * @param stateScope          where policy state lives: {@code entity}, {@code segment} or {@code global}
 * @param segmentFeatures     context features whose values name the segment (scope {@code segment})
 * @param prometheusPort      port of Flink's Prometheus reporter; 0 = no reporter
 * @param monitor             drift alerts, continual evaluation and online off-policy estimates of the loop
 * @param training            whether the job trains reward models; without, serving versions come from the model
 *                            topic only (an external trainer, {@code loopline model promote})
 * @param analysts            whether the job runs the analysts' operators (drift, stability, off-policy estimates);
 *                            the monitor's window metrics are published either way
 * @param bufferTimeoutMillis longest a record waits in a network buffer between operators before it is sent;
 *                            0 sends every record at once (lowest latency, most overhead)
 * @param maxClockSkewMillis  how far a context or feedback record may be stamped after its broker append time;
 *                            later ones are dead letters (0: unchecked)
 */
public record JobConfig(String bootstrapServers, Map<String, String> kafkaProperties, Topics topics, String delivery,
        int parallelism, long checkpointMillis, String checkpointDir, String stateBackend, long metricsWindowMillis,
        String runId, LoopSettings loop, TrainerSettings trainer, int topicPartitions, short topicReplication,
        String stateScope, java.util.List<String> segmentFeatures, int prometheusPort,
        dev.loopline.flink.MonitorSettings monitor, boolean training, boolean analysts, long bufferTimeoutMillis,
        dev.loopline.core.validate.Limits limits, RestartPolicy restart)
        implements Serializable {
    public static final java.util.List<String> SCOPES = java.util.List.of("entity", "segment", "global");
    public static final String EXACTLY_ONCE = "exactly-once";
    public static final String LOW_LATENCY = "low-latency";

    public JobConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap is required: the Kafka bootstrap servers, host:port[,host:port]");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (!delivery.equals(EXACTLY_ONCE) && !delivery.equals(LOW_LATENCY)) {
            throw new IllegalArgumentException("delivery '" + delivery + "' is unknown; use " + EXACTLY_ONCE
                    + " or " + LOW_LATENCY);
        }
        if (parallelism < 1 || parallelism > 4096) {
            throw new IllegalArgumentException("parallelism " + parallelism + " must be in [1, 4096]");
        }
        if (checkpointMillis < 100) {
            throw new IllegalArgumentException("checkpoint interval " + checkpointMillis + " ms must be at least 100 ms");
        }
        if (!stateBackend.equals("rocksdb") && !stateBackend.equals("hashmap")) {
            throw new IllegalArgumentException("state backend '" + stateBackend + "' is unknown; use rocksdb or hashmap");
        }
        if (topicPartitions < 1 || topicReplication < 1) {
            throw new IllegalArgumentException("topics need at least 1 partition and replication 1, got "
                    + topicPartitions + " and " + topicReplication);
        }
        if (!SCOPES.contains(stateScope)) {
            throw new IllegalArgumentException("state scope '" + stateScope + "' is unknown; use one of " + SCOPES);
        }
        segmentFeatures = java.util.List.copyOf(segmentFeatures);
        if (stateScope.equals("segment") && segmentFeatures.isEmpty()) {
            throw new IllegalArgumentException("state scope 'segment' needs state.segmentFeatures: the context features whose values name a segment");
        }
        if (prometheusPort < 0 || prometheusPort > 65535) {
            throw new IllegalArgumentException("metrics prometheus port " + prometheusPort + " must be 0 (off) or a port in [1, 65535]");
        }
        if (bufferTimeoutMillis < 0 || bufferTimeoutMillis > 1000) {
            throw new IllegalArgumentException("job.bufferTimeoutMillis " + bufferTimeoutMillis + " must be in [0, 1000]");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are missing; use Limits.DEFAULTS");
        }
        if (runId == null || !runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run id '" + runId + "' must use only letters, digits, '.', '_' and '-'");
        }
    }
}
