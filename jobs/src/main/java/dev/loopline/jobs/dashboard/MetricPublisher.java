package dev.loopline.jobs.dashboard;

import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link MetricEvent}s to a loop's metrics topic the way the job does (single-object Avro, key =
 * metric name), for metrics measured outside the job: what a simulator knows (oracle and uniform rewards). Sends
 * are asynchronous; a failed send is logged and counted, never thrown at the caller.
 */
public final class MetricPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final SingleObjectCodec<MetricEvent> codec = Codecs.metric();
    private final AtomicLong failures = new AtomicLong();

    public MetricPublisher(String bootstrap, Map<String, String> clientProperties, String metricsTopic) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = metricsTopic;
    }

    public void publish(MetricEvent metric) {
        producer.send(new ProducerRecord<>(topic, null, metric.getName().getBytes(StandardCharsets.UTF_8),
                codec.encode(metric)), (md, e) -> {
                    if (e != null && failures.getAndIncrement() == 0) {
                        LOG.warn("Could not write metric {} to {}: {}", metric.getName(), topic, e.toString());
                    }
                });
    }

    /** Sends that failed so far. */
    public long failures() {
        return failures.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
