package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.demo.DemoRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `loopline demo --error-memory on` against `off` on the same seed and the same events: two issuer
 * outages (route-0 for eu cards, route-2 for us cards keep 5 % of their success from 12 s to 24 s of
 * a 30 s run) hit the squarecb loop on real parts. The memory lives in the job's keyed RocksDB state
 * and reports on the metrics topic.
 */
class ErrorMemoryEndToEndTest {
    static final Map<String, String> OUTAGES = Map.of("degradeAfterMillis", "0",
            "outage", "route-0:eu:12000:24000:0.05;route-2:us:12000:24000:0.05");

    @TempDir
    Path dir;

    private Map<String, Object> run(boolean memory) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Map<String, Object> summary = DemoRun.run(new DemoRun.Options(0, 21_000, 7, 700, 0, "squarecb",
                JobConfig.EXACTLY_ONCE, dir.resolve("summary-" + memory + ".json"), null, false),
                new DemoRun.Extras("payments", 0, null, memory, OUTAGES),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        System.out.println(console.toString(StandardCharsets.UTF_8));
        return summary;
    }

    private static double number(Map<String, Object> s, String key) {
        return ((Number) s.get(key)).doubleValue();
    }

    @Test
    void theMemoryLowersTheRegretOfAnIssuerOutageInTheRunningLoop() throws Exception {
        Map<String, Object> off = run(false);
        Map<String, Object> on = run(true);
        for (Map<String, Object> s : java.util.List.of(off, on)) {
            assertEquals(21_000L, ((Number) s.get("uniqueDecisionIds")).longValue());
            assertEquals(s.get("contextEvents"), s.get("decisions"), "exactly once, memory or not");
            assertEquals(12.0, number(s, "shiftAtSeconds"));
        }
        Map<?, ?> memory = (Map<?, ?>) on.get("errorMemory");
        assertTrue(((Number) memory.get("hitRate")).doubleValue() > 0.3, "hit rate on the metrics topic: " + memory);
        assertTrue(((Number) memory.get("occupancy")).doubleValue() > 0, "occupancy: " + memory);
        assertTrue(((Number) memory.get("meanAbsCorrection")).doubleValue() > 0, "corrections: " + memory);
        // Measured (28k events at 700/s, outages 15-30 s): regret after the shift 4,660 off, 3,132 on (-33 %),
        // mean reward 0.582 vs 0.623. The bar: lower regret after the shift and overall; timing of the
        // trainer's rounds varies between runs, so the margin is left to the deterministic core test
        // (ScoreCompensationPaymentsTest: -40 % or better on every seed).
        assertTrue(number(on, "regretAfterShift") < number(off, "regretAfterShift"),
                "regret after the outage: on " + on.get("regretAfterShift") + ", off " + off.get("regretAfterShift"));
        assertTrue(number(on, "meanReward") > number(off, "meanReward"),
                "mean reward: on " + on.get("meanReward") + ", off " + off.get("meanReward"));
        assertEquals(null, off.get("errorMemory"));
    }
}
