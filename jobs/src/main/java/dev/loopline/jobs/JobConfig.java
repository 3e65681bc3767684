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
 */
public record JobConfig(String bootstrapServers, Map<String, String> kafkaProperties, Topics topics, String delivery,
        int parallelism, long checkpointMillis, String checkpointDir, String stateBackend, long metricsWindowMillis,
        String runId, LoopSettings loop, TrainerSettings trainer) implements Serializable {
    public static final String EXACTLY_ONCE = "exactly-once";
    public static final String LOW_LATENCY = "low-latency";

    public JobConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap servers are missing; give host:port[,host:port]");
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
        if (runId == null || !runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run id '" + runId + "' must use only letters, digits, '.', '_' and '-'");
        }
    }
}
