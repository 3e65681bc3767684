package dev.loopline.flink;

import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Explanation;
import dev.loopline.schemas.internal.PendingDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;

/**
 * The pending decisions' state format: every field of {@link PendingDecision} (its context event and decision
 * included) written directly, names (feature names, action ids, the policy) read back as the same {@code String}
 * instances, so a decision resolved is not a map of freshly decoded strings to hash again. Avro's generic
 * reader and writer were a third of the decision operator's time. State written by the previous release (Avro) is
 * migrated on restore ({@link Snapshot#resolveSchemaCompatibility}). Every schema field is covered: {@code
 * PendingDecisionSerializerTest} fails when a schema gains one this format does not write.
 */
final class PendingDecisionSerializer extends TypeSerializer<PendingDecision> {
    private static final long serialVersionUID = 1L;
    private static final int FORMAT = 1;
    private static final int NAMES = 1024;

    /** Names seen lately, by hash of their UTF-8 bytes: decoded once, then the same instance (hash cached). */
    private transient byte[][] nameBytes;
    private transient String[] names;
    private transient byte[] buffer;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<PendingDecision> duplicate() {
        return new PendingDecisionSerializer(); // the name cache and buffer are per thread
    }

    @Override
    public PendingDecision createInstance() {
        return new PendingDecision();
    }

    @Override
    public PendingDecision copy(PendingDecision from) {
        return PendingDecision.newBuilder(from).build();
    }

    @Override
    public PendingDecision copy(PendingDecision from, PendingDecision reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(PendingDecision p, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        ContextEvent context = p.getContext();
        out.writeBoolean(context != null);
        if (context != null) {
            writeText(context.getEventId(), out);
            writeText(context.getEntityId(), out);
            out.writeLong(context.getTimestamp());
            writeText(context.getDomain(), out);
            writeValues(context.getFeatures(), out);
            out.writeInt(context.getActions().size());
            for (Action a : context.getActions()) {
                writeText(a.getActionId(), out);
                writeValues(a.getFeatures(), out);
            }
            writeNullableValues(context.getOracleRewards(), out);
        }
        Decision d = p.getDecision();
        out.writeBoolean(d != null);
        if (d != null) {
            writeText(d.getDecisionId(), out);
            writeText(d.getEntityId(), out);
            out.writeLong(d.getTimestamp());
            writeText(d.getActionId(), out);
            out.writeDouble(d.getPropensity());
            writeValues(d.getProbabilities(), out);
            writeText(d.getPolicy(), out);
            out.writeLong(d.getModelVersion());
            out.writeBoolean(d.getExplored());
            out.writeLong(d.getLatencyMicros());
            Explanation e = d.getExplanation();
            out.writeBoolean(e != null);
            if (e != null) {
                writeValues(e.getScores(), out);
                writeValues(e.getBonus(), out);
                writeValues(e.getTopFeatures(), out);
            }
        }
        out.writeLong(p.getDeadline());
        out.writeBoolean(p.getResolved());
        out.writeDouble(p.getRewardSum());
        out.writeInt(p.getFeedbackTimes().size());
        for (long t : p.getFeedbackTimes()) {
            out.writeLong(t);
        }
        writeNullable(p.getBasePrediction(), out);
        writeNullable(p.getServedPrediction(), out);
        out.writeInt(p.getMemoryNeighbours());
        writeNullable(p.getMemoryOccupancy(), out);
    }

    @Override
    public PendingDecision deserialize(DataInputView in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("pending decision in format " + format + ", this release reads " + FORMAT);
        }
        PendingDecision.Builder p = PendingDecision.newBuilder();
        if (in.readBoolean()) {
            ContextEvent.Builder c = ContextEvent.newBuilder().setEventId(readText(in)).setEntityId(readText(in))
                    .setTimestamp(in.readLong()).setDomain(readName(in)).setFeatures(readValues(in));
            int actions = in.readInt();
            List<Action> list = new ArrayList<>(actions);
            for (int i = 0; i < actions; i++) {
                list.add(Action.newBuilder().setActionId(readName(in)).setFeatures(readValues(in)).build());
            }
            p.setContext(c.setActions(list).setOracleRewards(readNullableValues(in)).build());
        } else {
            p.setContext(null);
        }
        if (in.readBoolean()) {
            Decision.Builder d = Decision.newBuilder().setDecisionId(readText(in)).setEntityId(readText(in))
                    .setTimestamp(in.readLong()).setActionId(readName(in)).setPropensity(in.readDouble())
                    .setProbabilities(readValues(in)).setPolicy(readName(in)).setModelVersion(in.readLong())
                    .setExplored(in.readBoolean()).setLatencyMicros(in.readLong());
            d.setExplanation(in.readBoolean() ? Explanation.newBuilder().setScores(readValues(in))
                    .setBonus(readValues(in)).setTopFeatures(readValues(in)).build() : null);
            p.setDecision(d.build());
        } else {
            p.setDecision(null);
        }
        p.setDeadline(in.readLong()).setResolved(in.readBoolean()).setRewardSum(in.readDouble());
        int times = in.readInt();
        List<Long> feedbackTimes = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            feedbackTimes.add(in.readLong());
        }
        return p.setFeedbackTimes(feedbackTimes).setBasePrediction(readNullable(in))
                .setServedPrediction(readNullable(in)).setMemoryNeighbours(in.readInt())
                .setMemoryOccupancy(readNullable(in)).build();
    }

    @Override
    public PendingDecision deserialize(PendingDecision reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof PendingDecisionSerializer;
    }

    @Override
    public int hashCode() {
        return PendingDecisionSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<PendingDecision> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeText(String s, DataOutputView out) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void writeValues(Map<String, Double> values, DataOutputView out) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, Double> e : values.entrySet()) {
            writeText(e.getKey(), out);
            out.writeDouble(e.getValue());
        }
    }

    private static void writeNullableValues(Map<String, Double> values, DataOutputView out) throws IOException {
        out.writeBoolean(values != null);
        if (values != null) {
            writeValues(values, out);
        }
    }

    private static void writeNullable(Double value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private Map<String, Double> readValues(DataInputView in) throws IOException {
        int n = in.readInt();
        Map<String, Double> values = new LinkedHashMap<>(n * 4 / 3 + 1);
        for (int i = 0; i < n; i++) {
            values.put(readName(in), in.readDouble());
        }
        return values;
    }

    private Map<String, Double> readNullableValues(DataInputView in) throws IOException {
        return in.readBoolean() ? readValues(in) : null;
    }

    private static Double readNullable(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    /** Text that differs from record to record (ids): decoded each time. */
    private String readText(DataInputView in) throws IOException {
        int length = readInto(in);
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /** A name that recurs (a feature, an action, the policy): the cached instance when it was seen lately. */
    private String readName(DataInputView in) throws IOException {
        int length = readInto(in);
        if (names == null) {
            names = new String[NAMES];
            nameBytes = new byte[NAMES][];
        }
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + buffer[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (NAMES - 1);
        byte[] seen = nameBytes[slot];
        if (seen != null && Arrays.equals(seen, 0, seen.length, buffer, 0, length)) {
            return names[slot];
        }
        String name = new String(buffer, 0, length, StandardCharsets.UTF_8);
        nameBytes[slot] = Arrays.copyOf(buffer, length);
        names[slot] = name;
        return name;
    }

    private int readInto(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("text of negative length " + length);
        }
        if (buffer == null || buffer.length < length) {
            buffer = new byte[Math.max(length, 256)];
        }
        in.readFully(buffer, 0, length);
        return length;
    }

    /** Restores this format as is, and migrates pending decisions the previous release wrote with Avro. */
    public static final class Snapshot implements TypeSerializerSnapshot<PendingDecision> {
        @Override
        public int getCurrentVersion() {
            return FORMAT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) {}

        @Override
        public TypeSerializer<PendingDecision> restoreSerializer() {
            return new PendingDecisionSerializer();
        }

        @Override
        public TypeSerializerSchemaCompatibility<PendingDecision> resolveSchemaCompatibility(
                TypeSerializerSnapshot<PendingDecision> previous) {
            if (previous instanceof Snapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            if (previous instanceof AvroSerializerSnapshot<?>) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
