package dev.loopline.jobs.dashboard;

import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a loop's output topics the way an analyst's tool would: read committed, from the start, on
 * one daemon thread, handing every decoded record to a {@link Listener}. The metrics topic must exist;
 * the dead-letter and model topics are followed when they exist.
 */
public final class OutputFollower implements AutoCloseable {

    /** What the follower hands on; every method runs on the follower's thread. */
    public interface Listener {
        default void onMetric(MetricEvent metric, long appendedAt) {}

        default void onDeadLetter(DeadLetter deadLetter, long appendedAt) {}

        default void onModel(ModelVersion version, long appendedAt) {}

        /** A record on one of the topics that does not decode with the topic's schema. */
        default void onUnreadable(String topic, RecordRejectedException e) {}

        /** Called once, when everything that was on the topics at start has been handed on. */
        default void onCaughtUp() {}
    }

    private static final Logger LOG = LoggerFactory.getLogger(OutputFollower.class);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Connects, assigns every partition of the three topics and starts following them from the start.
     *
     * @throws IllegalStateException when the metrics topic does not exist at {@code bootstrap}
     */
    public OutputFollower(String bootstrap, Map<String, String> clientProperties, String metricsTopic,
            String deadLetterTopic, String modelsTopic, Listener listener) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            for (String topic : List.of(metricsTopic, deadLetterTopic, modelsTopic)) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_WAIT);
                if ((infos == null || infos.isEmpty()) && topic.equals(metricsTopic)) {
                    throw new IllegalStateException("topic " + metricsTopic + " does not exist at " + bootstrap
                            + "; start the loop first (or give the loop's --topic-prefix)");
                }
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            consumer.close();
            throw new IllegalStateException("no Kafka broker answered at " + bootstrap + " within "
                    + METADATA_WAIT.toSeconds() + " s; give the loop's --bootstrap (or its --config)", e);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> startEnds = new HashMap<>(consumer.endOffsets(partitions));
        SingleObjectCodec<MetricEvent> metrics = Codecs.metric();
        SingleObjectCodec<ModelVersion> models = Codecs.model();
        SingleObjectCodec<DeadLetter> deadLetters = Codecs.deadLetter();
        thread = new Thread(() -> {
            boolean caughtUp = false;
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() == null) {
                            continue; // a tombstone on the compacted model topic
                        }
                        try {
                            if (r.topic().equals(metricsTopic)) {
                                listener.onMetric(metrics.decode(r.value()), r.timestamp());
                            } else if (r.topic().equals(deadLetterTopic)) {
                                listener.onDeadLetter(deadLetters.decode(r.value()), r.timestamp());
                            } else {
                                listener.onModel(models.decode(r.value()), r.timestamp());
                            }
                        } catch (RecordRejectedException e) {
                            listener.onUnreadable(r.topic(), e);
                        } catch (RuntimeException e) {
                            // A listener's bug must not stop the follower: log it and go on with the next record.
                            LOG.warn("Listener failed on {}@{}:{}", r.topic(), r.partition(), r.offset(), e);
                        }
                    }
                    if (!caughtUp) {
                        startEnds.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                        if (startEnds.isEmpty()) {
                            caughtUp = true;
                            listener.onCaughtUp();
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            }
        }, "loopline-output-follower");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
