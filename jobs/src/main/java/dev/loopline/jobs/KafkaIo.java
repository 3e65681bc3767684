package dev.loopline.jobs;

import dev.loopline.flink.RawRecord;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.util.function.SerializableSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kafka sources and sinks of the loop: raw bytes in (decoded by our operators), contract records out. */
final class KafkaIo {
    /** Comfortably below the broker's default maximum of 15 minutes; the sink's default (1 h) is refused. */
    static final String TRANSACTION_TIMEOUT_MS = "60000";

    private KafkaIo() {}

    static KafkaSource<RawRecord> rawSource(JobConfig config, String topic) {
        Properties props = new Properties();
        props.putAll(config.kafkaProperties());
        props.setProperty("isolation.level", "read_committed");
        return KafkaSource.<RawRecord>builder().setBootstrapServers(config.bootstrapServers()).setTopics(topic)
                .setGroupId("loopline-" + config.runId()).setProperties(props)
                .setStartingOffsets(OffsetsInitializer.earliest()).setDeserializer(new RawDeserializer()).build();
    }

    static <T extends SpecificRecordBase> KafkaSink<T> sink(JobConfig config, String topic, String name,
            SerializableSupplier<SingleObjectCodec<T>> codec, SerializableFunction<T, String> key,
            DeliveryGuarantee guarantee) {
        Properties props = new Properties();
        props.putAll(config.kafkaProperties());
        props.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<T>builder().setBootstrapServers(config.bootstrapServers()).setKafkaProducerConfig(props)
                .setDeliveryGuarantee(guarantee).setTransactionalIdPrefix("loopline-" + config.runId() + "-" + name)
                .setRecordSerializer(new ContractSerializer<>(topic, codec, key)).build();
    }

    static final class RawDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RawRecord> out) {
            out.collect(new RawRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }

    static final class ContractSerializer<T extends SpecificRecordBase> implements KafkaRecordSerializationSchema<T> {
        private final String topic;
        private final SerializableSupplier<SingleObjectCodec<T>> codecFactory;
        private final SerializableFunction<T, String> key;
        private transient SingleObjectCodec<T> codec;

        ContractSerializer(String topic, SerializableSupplier<SingleObjectCodec<T>> codecFactory,
                SerializableFunction<T, String> key) {
            this.topic = topic;
            this.codecFactory = codecFactory;
            this.key = key;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
            if (codec == null) {
                codec = codecFactory.get();
            }
            // Kafka refuses a negative timestamp, and one refused record would fail the job on every restore;
            // an element without a usable event time is stamped by the producer instead.
            Long stamp = timestamp == null || timestamp < 0 ? null : timestamp;
            return new ProducerRecord<>(topic, null, stamp, key.apply(element).getBytes(StandardCharsets.UTF_8),
                    codec.encode(element));
        }
    }

    static Function<String, byte[]> utf8() {
        return s -> s.getBytes(StandardCharsets.UTF_8);
    }
}
