package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DriftScoreTest {
    @Test
    void firstDetectionAfterEachDriftIsItsDelayTheRestAreFalseAlarms() {
        DriftScore s = DriftScore.of(new long[] {50, 120, 130, 340}, new long[] {100, 200, 300});
        assertEquals(List.of(OptionalLong.of(20), OptionalLong.empty(), OptionalLong.of(40)), s.delays());
        assertEquals(2, s.falseAlarms()); // 50 (before any drift) and 130 (second after the first)
        assertEquals(1, s.missed());
    }

    @Test
    void noDetections() {
        DriftScore s = DriftScore.of(new long[0], new long[] {10});
        assertEquals(List.of(OptionalLong.empty()), s.delays());
        assertEquals(0, s.falseAlarms());
        assertEquals(1, s.missed());
    }
}
