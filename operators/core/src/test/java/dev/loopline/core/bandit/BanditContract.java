package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared assertions of the bandit tests. */
final class BanditContract {
    private BanditContract() {}

    static void assertSameDecision(BanditDecision a, BanditDecision b, String where) {
        assertEquals(a.index(), b.index(), where);
        assertArrayEquals(a.probabilities(), b.probabilities(), 0.0, where);
        assertArrayEquals(a.scores(), b.scores(), 0.0, where);
        assertEquals(a.deterministic(), b.deterministic(), where);
        assertEquals(a.modelVersion(), b.modelVersion(), where);
    }
}
