package dev.loopline.flink;

import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Explanation;
import dev.loopline.schemas.Feedback;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The loop's records (context events, decisions, feedback) in a direct binary form, for the records that stay
 * inside the job: between its operators and in its state. Every field is written in schema order; names (feature
 * names, action ids, the policy) are read back as the same {@code String} instances while they recur, so their
 * hashes are computed once. Avro's generic reader and writer were a third of the decision operator's time.
 * One codec per thread: it holds the name cache. {@code DirectSerializersTest} fails when a schema gains a field
 * this form does not write.
 */
final class RecordCodec {
    private static final int NAMES = 1024;

    private final byte[][] nameBytes = new byte[NAMES][];
    private final String[] names = new String[NAMES];
    private byte[] buffer = new byte[256];

    void writeContext(ContextEvent context, DataOutputView out) throws IOException {
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

    ContextEvent readContext(DataInputView in) throws IOException {
        ContextEvent.Builder c = ContextEvent.newBuilder().setEventId(readText(in)).setEntityId(readText(in))
                .setTimestamp(in.readLong()).setDomain(readName(in)).setFeatures(readValues(in));
        int actions = in.readInt();
        List<Action> list = new ArrayList<>(actions);
        for (int i = 0; i < actions; i++) {
            list.add(Action.newBuilder().setActionId(readName(in)).setFeatures(readValues(in)).build());
        }
        return c.setActions(list).setOracleRewards(readNullableValues(in)).build();
    }

    void writeDecision(Decision d, DataOutputView out) throws IOException {
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

    Decision readDecision(DataInputView in) throws IOException {
        Decision.Builder d = Decision.newBuilder().setDecisionId(readText(in)).setEntityId(readText(in))
                .setTimestamp(in.readLong()).setActionId(readName(in)).setPropensity(in.readDouble())
                .setProbabilities(readValues(in)).setPolicy(readName(in)).setModelVersion(in.readLong())
                .setExplored(in.readBoolean()).setLatencyMicros(in.readLong());
        return d.setExplanation(in.readBoolean() ? Explanation.newBuilder().setScores(readValues(in))
                .setBonus(readValues(in)).setTopFeatures(readValues(in)).build() : null).build();
    }

    void writeFeedback(Feedback f, DataOutputView out) throws IOException {
        writeText(f.getDecisionId(), out);
        writeText(f.getEntityId(), out);
        out.writeLong(f.getTimestamp());
        out.writeDouble(f.getReward());
        writeNullableValues(f.getSignals(), out);
    }

    Feedback readFeedback(DataInputView in) throws IOException {
        return Feedback.newBuilder().setDecisionId(readText(in)).setEntityId(readText(in)).setTimestamp(in.readLong())
                .setReward(in.readDouble()).setSignals(readNullableValues(in)).build();
    }

    /** Writes one record of a kind ({@link #writeContext}, {@link #writeDecision}, {@link #writeFeedback}). */
    @FunctionalInterface
    interface Writer<T> {
        void write(T value, DataOutputView out) throws IOException;
    }

    /** Reads what the matching {@link Writer} wrote. */
    @FunctionalInterface
    interface Reader<T> {
        T read(DataInputView in) throws IOException;
    }

    /** A record or none (a forgotten context, a loop input without feedback): a presence flag, then the record. */
    static <T> void writeOptional(T value, DataOutputView out, Writer<T> writer) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writer.write(value, out);
        }
    }

    static <T> T readOptional(DataInputView in, Reader<T> reader) throws IOException {
        return in.readBoolean() ? reader.read(in) : null;
    }

    static void writeText(String s, DataOutputView out) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static void writeNullable(Double value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    static Double readNullable(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
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

    /** Text that differs from record to record (ids): decoded each time. */
    String readText(DataInputView in) throws IOException {
        int length = readInto(in);
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /** A name that recurs (a feature, an action, the policy): the cached instance when it was seen lately. */
    String readName(DataInputView in) throws IOException {
        int length = readInto(in);
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
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, 2 * buffer.length)];
        }
        in.readFully(buffer, 0, length);
        return length;
    }
}
