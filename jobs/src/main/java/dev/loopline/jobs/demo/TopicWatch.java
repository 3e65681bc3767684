package dev.loopline.jobs.demo;

import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the loop's output topics the way an analyst's tool would (read committed, from the start):
 * the latest value of every metric, the dead letters with their reasons, the published model versions.
 */
final class TopicWatch implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private final Map<String, Double> latestMetric = new ConcurrentHashMap<>();
    private final Map<String, List<double[]>> metricHistory = new ConcurrentHashMap<>();
    private final Map<String, Long> deadLetterReasons = new ConcurrentHashMap<>();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Map<Long, Long> modelVersions = new TreeMap<>();
    private final Map<Long, ModelVersion> modelRecords = new ConcurrentHashMap<>();

    TopicWatch(String bootstrap, String metricsTopic, String deadLetterTopic, String modelsTopic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(metricsTopic, deadLetterTopic, modelsTopic)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        SingleObjectCodec<MetricEvent> metrics = Codecs.metric();
        SingleObjectCodec<ModelVersion> models = Codecs.model();
        var deadLetterCodec = Codecs.deadLetter();
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            if (r.topic().equals(metricsTopic)) {
                                MetricEvent m = metrics.decode(r.value());
                                latestMetric.put(m.getName(), m.getValue());
                                metricHistory.computeIfAbsent(m.getName(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                        .add(new double[] {m.getWindowEnd(), m.getValue()});
                            } else if (r.topic().equals(deadLetterTopic)) {
                                deadLetters.incrementAndGet();
                                String reason = deadLetterCodec.decode(r.value()).getReason();
                                deadLetterReasons.merge(kindOf(reason), 1L, Long::sum);
                            } else if (r.value() != null) {
                                ModelVersion v = models.decode(r.value());
                                synchronized (modelVersions) {
                                    modelVersions.putIfAbsent(v.getVersion(), r.timestamp());
                                }
                                modelRecords.putIfAbsent(v.getVersion(), v);
                            }
                        } catch (RecordRejectedException e) {
                            deadLetterReasons.merge("unreadable output record", 1L, Long::sum);
                        }
                    }
                }
            }
        }, "loopline-topic-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The first words of a reason, without ids, so the summary groups alike refusals. */
    static String kindOf(String reason) {
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
        running = false;
        thread.join(5000);
    }
}
