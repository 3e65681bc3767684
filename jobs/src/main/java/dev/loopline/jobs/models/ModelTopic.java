package dev.loopline.jobs.models;

import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.state.ModelKey;
import dev.loopline.state.ModelRegistry;
import dev.loopline.state.ModelVersions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the model registry from the model topic and publishes versions to it, as any client could. */
public final class ModelTopic {
    private final ModelKey key;
    private final String bootstrap;
    private final Map<String, String> clientProps;
    private final String topic;

    /** A topic whose versions are signed with the key the environment names, if any ({@link ModelKey}). */
    public ModelTopic(String bootstrap, Map<String, String> clientProps, String topic) {
        this(bootstrap, clientProps, topic, ModelKey.fromEnvironment().orElse(null));
    }

    /** @param key the loop's model key: versions read must carry its signature, rollbacks and promotions are signed */
    public ModelTopic(String bootstrap, Map<String, String> clientProps, String topic, ModelKey key) {
        this.key = key;
        this.bootstrap = bootstrap;
        this.clientProps = Map.copyOf(clientProps);
        this.topic = topic;
    }

    /** Every committed version of {@code modelId} on the topic right now. */
    public ModelRegistry read(String modelId) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        ModelRegistry registry = new ModelRegistry(modelId, key);
        var codec = Codecs.model();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        registry.add(codec.decode(r.value()));
                    } catch (RecordRejectedException e) {
                        // Unreadable records are the serving side's dead letters; the registry skips them.
                    }
                }
            }
        }
        return registry;
    }

    /** A version published by {@link #publishNext}, with the broker's append time of its record. */
    public record Published(ModelVersion version, long appendedAt) {}

    /**
     * Publishes the version {@code make} builds from the registry as it stands, then reads the topic back:
     * when another publisher (the trainer, say) took the same number first, the first record of a number
     * is the one every reader keeps, so the version is made again with a fresh number. Up to 5 tries.
     */
    public Published publishNext(String modelId, java.util.function.Function<ModelRegistry, ModelVersion> make)
            throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            ModelVersion version = make.apply(read(modelId));
            long appendedAt = publish(version);
            boolean kept = read(modelId).all().stream().anyMatch(v -> v.getVersion() == version.getVersion()
                    && v.getSha256().equals(version.getSha256()) && v.getCreatedAt() == version.getCreatedAt());
            if (kept) {
                return new Published(version, appendedAt);
            }
        }
        throw new IllegalStateException("another publisher kept taking the next version number of " + modelId);
    }

    /** Writes a version (key {@code modelId@version}) and returns the broker's append time. */
    public long publish(ModelVersion version) throws Exception {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            RecordMetadata md = producer.send(new ProducerRecord<>(topic,
                    ModelVersions.key(version).getBytes(StandardCharsets.UTF_8), Codecs.model().encode(version)))
                    .get(30, TimeUnit.SECONDS);
            return md.timestamp();
        }
    }
}
