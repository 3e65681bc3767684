package dev.loopline.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.model.ServingSlot.Action;
import dev.loopline.core.model.ServingSlot.Offer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The serving rule every consumer of the model topic applies: versions only move forward. */
class ServingSlotContractTest {
    static Offer version(long n, String sha) {
        return new Offer(n, sha, false, false);
    }

    static final Supplier<String> WELL_FORMED = () -> null;

    @Test
    void theFirstWellFormedVersionServesAndHigherOnesReplaceIt() {
        assertEquals(Action.SERVE, ServingSlot.rule(version(1, "aa"), null, WELL_FORMED).action());
        assertEquals(Action.SERVE, ServingSlot.rule(version(2, "bb"), version(1, "aa"), WELL_FORMED).action());
        assertEquals(Action.SERVE, ServingSlot.rule(version(9, "cc"), version(2, "bb"), WELL_FORMED).action(),
                "numbers may skip (candidates, other writers)");
    }

    @Test
    void aRefusedCandidateNeverServesAndIsNoDeadLetter() {
        AtomicInteger asked = new AtomicInteger();
        ServingSlot.Ruling r = ServingSlot.rule(new Offer(3, "cc", true, false), version(2, "bb"), () -> {
            asked.incrementAndGet();
            return null;
        });
        assertEquals(Action.CANDIDATE, r.action());
        assertEquals(0, asked.get(), "a candidate is not even parsed");
    }

    @Test
    void theServingVersionAgainIsARepeatAndChangesNothing() {
        AtomicInteger asked = new AtomicInteger();
        assertEquals(Action.REPEAT, ServingSlot.rule(version(2, "BB"), version(2, "bb"), () -> {
            asked.incrementAndGet();
            return "never asked";
        }).action(), "checksums compare without case");
        assertEquals(0, asked.get());
    }

    @Test
    void brokenConflictingAndOlderVersionsAreRefusedWithTheirReason() {
        ServingSlot.Ruling broken = ServingSlot.rule(version(3, "cc"), version(2, "bb"), () -> "checksum mismatch");
        assertEquals(Action.REFUSE, broken.action());
        assertEquals("checksum mismatch", broken.reason());

        ServingSlot.Ruling conflict = ServingSlot.rule(version(2, "dd"), version(2, "bb"), WELL_FORMED);
        assertEquals(Action.REFUSE, conflict.action());
        assertTrue(conflict.reason().contains("conflicts with the serving record of the same number"), conflict.reason());

        ServingSlot.Ruling older = ServingSlot.rule(version(1, "aa"), version(2, "bb"), WELL_FORMED);
        assertEquals(Action.REFUSE, older.action());
        assertTrue(older.reason().contains("older than the serving version 2"), older.reason());

        assertEquals(Action.REFUSE, ServingSlot.rule(version(1, "aa"), null, () -> "unknown format").action(),
                "a broken first version does not serve either");
    }

    @Test
    void aRollbackIsANewerVersionCopyingOlderParametersAndServesByTheSameRule() {
        Offer rollback = new Offer(5, "aa", false, true);
        assertTrue(ServingSlot.rule(rollback, version(4, "dd"), WELL_FORMED).serves());
        assertTrue(ServingSlot.rule(version(6, "ee"), rollback, WELL_FORMED).serves(),
                "the trainer's next promoted version replaces a rollback by the same rule");
    }
}
