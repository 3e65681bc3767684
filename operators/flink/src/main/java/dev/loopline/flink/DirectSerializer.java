package dev.loopline.flink;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;

/**
 * A serializer of one of the job's internal records in {@link RecordCodec}'s direct form, led by a format byte.
 * State the previous release wrote with Avro migrates on restore ({@link Snapshot#resolveSchemaCompatibility}).
 */
abstract class DirectSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;
    private static final int FORMAT = 1;

    private transient RecordCodec codec;

    protected abstract void write(T value, DataOutputView out, RecordCodec codec) throws IOException;

    protected abstract T read(DataInputView in, RecordCodec codec) throws IOException;

    /** A deep copy. */
    protected abstract T copyOf(T value);

    @Override
    public abstract DirectSerializer<T> duplicate();

    /** The record type, for Flink's type information: {@code new Info<>(type, serializer)}. */
    static final class Info<T> extends TypeInformation<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final DirectSerializer<T> serializer;

        Info(Class<T> type, DirectSerializer<T> serializer) {
            this.type = type;
            this.serializer = serializer;
        }

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<T> getTypeClass() {
            return type;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer.duplicate();
        }

        @Override
        public String toString() {
            return type.getSimpleName() + " (direct)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info<?> other && other.type == type && other.serializer.equals(serializer);
        }

        @Override
        public int hashCode() {
            return type.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info<?>;
        }
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from) {
        return copyOf(from);
    }

    @Override
    public T copy(T from, T reuse) {
        return copyOf(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T value, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        write(value, out, codec());
    }

    @Override
    public T deserialize(DataInputView in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException(getClass().getSimpleName() + ": record in format " + format + ", this release reads "
                    + FORMAT);
        }
        return read(in, codec());
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    private RecordCodec codec() {
        if (codec == null) {
            codec = new RecordCodec();
        }
        return codec;
    }

    @Override
    public boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(getClass().getName());
    }

    /** Names the serializer class; compatible as is with itself, after migration with the Avro form it replaced. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private String serializerClass;

        public Snapshot() {}

        Snapshot(String serializerClass) {
            this.serializerClass = serializerClass;
        }

        @Override
        public int getCurrentVersion() {
            return FORMAT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(serializerClass);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            serializerClass = in.readUTF();
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<T> restoreSerializer() {
            try {
                return (TypeSerializer<T>) Class.forName(serializerClass, true, DirectSerializer.class.getClassLoader())
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot restore serializer " + serializerClass, e);
            }
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> previous) {
            if (previous instanceof Snapshot<?> s && serializerClass.equals(s.serializerClass)) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            if (previous instanceof AvroSerializerSnapshot<?>) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
