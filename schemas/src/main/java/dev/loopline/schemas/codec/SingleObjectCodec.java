package dev.loopline.schemas.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro single-object encoding ({@code C3 01}, 8-byte little-endian CRC-64-AVRO fingerprint of the
 * writer schema, binary body) for one contract record type. The decoder knows the current schema and
 * every released one, and resolves any of them to the current version; any other fingerprint is
 * refused with a {@link RecordRejectedException}, never a crash. Thread-safe.
 */
public final class SingleObjectCodec<T extends SpecificRecordBase> {
    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private SingleObjectCodec(Class<T> type, Schema schema) {
        this.type = type;
        this.schema = schema;
        SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        for (Schema released : ReleasedSchemas.of(schema.getName())) {
            decoder.addSchema(released);
        }
    }

    public static <T extends SpecificRecordBase> SingleObjectCodec<T> of(Class<T> type, Supplier<T> prototype) {
        return new SingleObjectCodec<>(type, prototype.get().getSchema());
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode " + type.getSimpleName(), e);
        }
    }

    public T decode(byte[] bytes) throws RecordRejectedException {
        if (bytes == null || bytes.length == 0) {
            throw new RecordRejectedException("empty-record", "empty value: expected an Avro single-object encoded " + schema.getName());
        }
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new RecordRejectedException("unknown-schema", "unknown schema fingerprint for " + schema.getName()
                    + ": the writer schema is neither the current nor a released version", e);
        } catch (BadHeaderException e) {
            throw new RecordRejectedException("malformed-bytes", "not Avro single-object encoding (bad header): " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                | ClassCastException e) {
            throw new RecordRejectedException("truncated-record", "malformed " + schema.getName() + " body: " + e, e);
        }
    }
}
