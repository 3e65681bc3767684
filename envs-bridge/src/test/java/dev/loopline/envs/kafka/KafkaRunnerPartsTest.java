package dev.loopline.envs.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.payments.PaymentsConfig;
import dev.loopline.envs.payments.PaymentsSimulator;
import dev.loopline.schemas.ContextEvent;
import org.junit.jupiter.api.Test;

/** The parts of the runner that need no broker; the lead's integration tests run it against Kafka. */
class KafkaRunnerPartsTest {

    @Test
    void defaultsAndValidation() {
        KafkaRunnerConfig c = KafkaRunnerConfig.defaults("127.0.0.1:9092");
        assertEquals("loopline.context", c.contextTopic());
        assertEquals("loopline.decisions", c.decisionsTopic());
        assertEquals("loopline.feedback", c.feedbackTopic());
        assertEquals(20_000, c.maxInFlight());
        assertFalse(c.fromBeginning());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withMaxInFlight(0));
        assertTrue(e.getMessage().contains("maxInFlight 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.withRate(-1));
        assertThrows(IllegalArgumentException.class, () -> KafkaRunnerConfig.defaults(" "));
        assertThrows(IllegalArgumentException.class, () -> c.withTopics("a", "", "c"));
    }

    @Test
    void badRecordsAreSpreadEvenly() {
        KafkaRunnerConfig byCount = KafkaRunnerConfig.defaults("x:1").withMaxEvents(1_000).withBadRecords(4);
        assertEquals(0, byCount.badRecordsDue(0, 0));
        assertEquals(0, byCount.badRecordsDue(199, 0));
        assertEquals(1, byCount.badRecordsDue(200, 0));
        assertEquals(2, byCount.badRecordsDue(400, 0));
        assertEquals(4, byCount.badRecordsDue(800, 0));
        assertEquals(4, byCount.badRecordsDue(1_000, 0));
        KafkaRunnerConfig byTime = KafkaRunnerConfig.defaults("x:1").withDurationMillis(10_000).withBadRecords(9);
        assertEquals(0, byTime.badRecordsDue(50_000, 999));
        assertEquals(1, byTime.badRecordsDue(0, 1_000));
        assertEquals(9, byTime.badRecordsDue(0, 9_000));
        KafkaRunnerConfig unbounded = KafkaRunnerConfig.defaults("x:1").withBadRecords(3);
        assertEquals(2, unbounded.badRecordsDue(2_500, 0));
        assertEquals(3, unbounded.badRecordsDue(1_000_000, 0));
        assertEquals(0, KafkaRunnerConfig.defaults("x:1").badRecordsDue(1_000_000, 1_000_000));
    }

    @Test
    void trackedPairsAppendTimesInEitherOrderAndFlagsDuplicates() {
        ContextEvent e = new PaymentsSimulator(PaymentsConfig.defaults(1)).next(0);
        Tracked ackFirst = new Tracked(e);
        assertEquals(-1, ackFirst.contextAppended(1_000));
        Tracked.First first = ackFirst.decide(1_007);
        assertEquals(7, first.latencyMillis());
        assertEquals(e, first.event());
        assertNull(ackFirst.decide(1_009), "second decision is a duplicate");
        assertFalse(ackFirst.abandon());

        Tracked decisionFirst = new Tracked(e);
        assertEquals(-1, decisionFirst.decide(2_010).latencyMillis());
        assertEquals(10, decisionFirst.contextAppended(2_000));
    }
}
