package dev.loopline.tests;

import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the metrics topic (read committed) in the background, as the dashboard does. */
final class MetricsWatch implements AutoCloseable {
    private final List<MetricEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, Double> latest = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    MetricsWatch(String bootstrap, String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        thread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                var codec = Codecs.metric();
                while (running.get()) {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                        // Every record on the metrics topic is the job's own: one that does not decode is a defect.
                        MetricEvent m = codec.decode(r.value());
                        events.add(m);
                        if (m.getName().endsWith(".total")) {
                            latest.merge(m.getName(), m.getValue(), Math::max);
                        }
                    }
                }
            } catch (RecordRejectedException e) {
                throw new IllegalStateException("a metric record the contract codec refuses", e);
            }
        }, "metrics-watch");
        thread.setDaemon(true);
        thread.start();
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        events.forEach(m -> names.add(m.getName()));
        return names;
    }

    List<MetricEvent> all() {
        return List.copyOf(events);
    }

    long timedOutTotal() {
        return Math.round(latest.getOrDefault("feedback.timedOut.total", 0.0));
    }

    long resolvedTotal() {
        return Math.round(latest.getOrDefault("feedback.joined.total", 0.0)) + timedOutTotal();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }

    /** The wall-clock time the metric totals first added up to {@code decisions}, or 0 if not by {@code deadline}. */
    long awaitResolved(long decisions, long deadline) throws InterruptedException {
        while (System.currentTimeMillis() < deadline) {
            if (resolvedTotal() >= decisions) {
                return System.currentTimeMillis();
            }
            Thread.sleep(100);
        }
        return resolvedTotal() >= decisions ? System.currentTimeMillis() : 0;
    }
}
