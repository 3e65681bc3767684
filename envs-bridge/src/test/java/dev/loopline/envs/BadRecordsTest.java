package dev.loopline.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadRecordsTest {

    @Test
    void cyclesThroughEveryKindOnTheRightTopic() throws RecordRejectedException {
        List<BadRecord> records = new BadRecords(9, "payments").next(24, 1_000L);
        BadRecord.Kind[] kinds = BadRecord.Kind.values();
        for (int i = 0; i < records.size(); i++) {
            BadRecord r = records.get(i);
            assertEquals(kinds[i % kinds.length], r.kind());
            boolean feedback = r.kind() == BadRecord.Kind.ORPHAN_FEEDBACK || r.kind() == BadRecord.Kind.INFINITE_REWARD;
            assertEquals(feedback ? BadRecord.Topic.FEEDBACK : BadRecord.Topic.CONTEXT,
                    r.topic());
            assertTrue(new String(r.key(), StandardCharsets.UTF_8).startsWith("merchant-"));
        }
        var context = Codecs.context();
        RecordRejectedException malformed = assertThrows(RecordRejectedException.class,
                () -> context.decode(records.get(0).value()));
        assertTrue(malformed.getMessage().contains("header"), malformed.getMessage());
        byte[] unknown = records.get(1).value();
        assertEquals((byte) 0xC3, unknown[0]);
        assertEquals((byte) 0x01, unknown[1]);
        RecordRejectedException fingerprint = assertThrows(RecordRejectedException.class, () -> context.decode(unknown));
        assertTrue(fingerprint.getMessage().contains("unknown schema fingerprint"), fingerprint.getMessage());
        ContextEvent nan = context.decode(records.get(2).value());
        assertTrue(nan.getFeatures().values().stream().anyMatch(v -> v.isNaN()));
        ContextEvent empty = context.decode(records.get(3).value());
        assertTrue(empty.getActions().isEmpty());
        ContextEvent future = context.decode(records.get(5).value());
        assertEquals(BadRecord.Kind.FUTURE_TIMESTAMP, records.get(5).kind());
        assertTrue(future.getTimestamp() > 1_000L + 99L * 365 * 24 * 3600 * 1000, "a century ahead: " + future.getTimestamp());
        Feedback orphan = Codecs.feedback().decode(records.get(4).value());
        assertTrue(orphan.getDecisionId().startsWith("bad-"));
        assertEquals(12, kinds.length, "the corpus has twelve kinds");
        assertEquals(12, java.util.Arrays.stream(kinds).map(BadRecord.Kind::deadLetterKind).distinct().count(),
                "each names its own dead-letter kind");
        assertTrue(records.get(10).value().length > 512 * 1024 && records.get(10).value().length < 1024 * 1024,
                "the oversize record is over the default limit and under Kafka's default message size");
    }

    @Test
    void deterministicForTheSeed() {
        List<BadRecord> a = new BadRecords(3, "payments").next(5, 1L);
        List<BadRecord> b = new BadRecords(3, "payments").next(5, 1L);
        for (int i = 0; i < 5; i++) {
            assertEquals(new String(a.get(i).key(), StandardCharsets.UTF_8), new String(b.get(i).key(), StandardCharsets.UTF_8));
            assertTrue(java.util.Arrays.equals(a.get(i).value(), b.get(i).value()));
        }
    }
}
