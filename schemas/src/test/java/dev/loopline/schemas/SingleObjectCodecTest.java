package dev.loopline.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {
    private final SingleObjectCodec<Feedback> codec = Codecs.feedback();

    private static Feedback feedback() {
        return Feedback.newBuilder().setDecisionId("e-1").setEntityId("m-3").setTimestamp(1_700_000_000_000L)
                .setReward(1.0).setSignals(Map.of("latencyMs", 120.0)).build();
    }

    @Test
    void roundTripAndHeaderFollowTheSpecification() throws Exception {
        byte[] bytes = codec.encode(feedback());
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaNormalization.parsingFingerprint64(Feedback.getClassSchema()), fingerprint);
        assertEquals(feedback(), codec.decode(bytes));
    }

    @Test
    void unreleasedWriterSchemaIsRefusedNotCrashed() throws Exception {
        // A writer that predates `signals`: the reader fills the default, as Avro resolution allows.
        Schema older = SchemaBuilder.record("Feedback").namespace("dev.loopline.schemas").fields()
                .requiredString("decisionId").requiredString("entityId").requiredLong("timestamp")
                .requiredDouble("reward").endRecord();
        GenericRecord rec = new GenericData.Record(older);
        rec.put("decisionId", "e-9");
        rec.put("entityId", "m-1");
        rec.put("timestamp", 5L);
        rec.put("reward", 0.5);
        byte[] bytes = singleObject(older, rec);
        SingleObjectCodec<Feedback> reader = Codecs.feedback();
        // Unknown until the schema is released: refused, not crashed.
        RecordRejectedException unknown = assertThrows(RecordRejectedException.class, () -> reader.decode(bytes));
        assertTrue(unknown.getMessage().contains("unknown schema fingerprint"), unknown.getMessage());
    }

    @Test
    void garbageIsRejectedWithAReason() {
        RecordRejectedException bad = assertThrows(RecordRejectedException.class,
                () -> codec.decode("not avro at all".getBytes()));
        assertTrue(bad.getMessage().contains("bad header"), bad.getMessage());
        byte[] truncated = codec.encode(feedback());
        byte[] cut = java.util.Arrays.copyOf(truncated, 14);
        RecordRejectedException malformed = assertThrows(RecordRejectedException.class, () -> codec.decode(cut));
        assertTrue(malformed.getMessage().contains("malformed"), malformed.getMessage());
        assertThrows(RecordRejectedException.class, () -> codec.decode(new byte[0]));
    }

    @Test
    void everyContractRecordRoundTrips() throws Exception {
        ContextEvent event = ContextEvent.newBuilder().setEventId("e").setEntityId("k").setTimestamp(1)
                .setDomain("payments").setFeatures(Map.of("amount", 2.0))
                .setActions(List.of(new Action("a", Map.of("fee", 0.1)))).setOracleRewards(Map.of("a", 0.9)).build();
        assertEquals(event, Codecs.context().decode(Codecs.context().encode(event)));
        ModelVersion model = ModelVersion.newBuilder().setModelId("m").setVersion(2).setParentVersion(1)
                .setAlgorithm("reward-mlp").setCreatedAt(3).setFormat("f").setParameters(ByteBuffer.wrap(new byte[] {1, 2}))
                .setSha256("00").setInputSchema(new InputSchema(List.of("x"), 1)).setMetrics(Map.of()).build();
        ModelVersion back = Codecs.model().decode(Codecs.model().encode(model));
        assertArrayEquals(new byte[] {1, 2}, back.getParameters().array());
    }

    private static byte[] singleObject(Schema schema, GenericRecord rec) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(SchemaNormalization.parsingFingerprint64(schema)).array());
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(rec, enc);
        enc.flush();
        return out.toByteArray();
    }
}
