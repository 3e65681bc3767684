package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.demo.DemoRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on real parts, as `loopline demo` runs it: an in-JVM KRaft broker, a Flink
 * MiniCluster with RocksDB and exactly-once Kafka sinks, DJL training on the CPU, and the payments
 * simulator talking to the job through Kafka only. Fixed event counts and seeds; thresholds were
 * measured once and are written beside each assertion.
 */
class ClosedLoopEndToEndTest {
    private static final int BAD_RECORDS = 10;

    @TempDir
    Path dir;

    private Map<String, Object> run(String policy, long events, long seed, boolean modelTrouble) throws Exception {
        return run(policy, events, seed, modelTrouble, 0);
    }

    private Map<String, Object> run(String policy, long events, long seed, boolean modelTrouble, double rate)
            throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Map<String, Object> summary = DemoRun.run(new DemoRun.Options(0, events, seed, rate, BAD_RECORDS, policy,
                JobConfig.EXACTLY_ONCE, dir.resolve("summary.json"), dir.resolve("report.html"), false,
                modelTrouble, modelTrouble, modelTrouble),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        System.out.println(console.toString(StandardCharsets.UTF_8));
        return summary;
    }

    private static long count(Map<String, Object> s, String key) {
        return ((Number) s.get(key)).longValue();
    }

    private static double number(Map<String, Object> s, String key) {
        return ((Number) s.get(key)).doubleValue();
    }

    /**
     * One run covers the model path too: a deliberately worse candidate, a version with a bad checksum
     * and one with a wrong input size are all published into the running loop, and a rollback is
     * published by a plain Kafka producer (as `loopline model rollback` does).
     */
    @Test
    void squareCbOverTheDjlRewardModelLearnsAndEveryEventIsDecidedExactlyOnce() throws Exception {
        Map<String, Object> s = run("squarecb", 40_000, 11, true);

        assertEquals(40_000, count(s, "contextEvents"));
        assertEquals(count(s, "contextEvents"), count(s, "decisions"), "a decision per event, no duplicates");
        assertEquals(count(s, "contextEvents"), count(s, "uniqueDecisionIds"));
        Map<?, ?> reasons = (Map<?, ?>) s.get("deadLetterReasons");
        java.util.Set<String> modelKinds = java.util.Set.of("invalid-version", "bad-checksum", "unknown-format",
                "bad-input-schema", "unreadable-model", "conflicting-version", "stale-version");
        long modelRefusals = reasons.entrySet().stream()
                .filter(e -> modelKinds.contains(dev.loopline.schemas.codec.RecordRejectedException.kindOf(e.getKey().toString())))
                .mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
        assertEquals(BAD_RECORDS, count(s, "deadLetters") - modelRefusals, "each injected bad record is one dead letter: " + reasons);
        assertTrue(reasons.keySet().stream().anyMatch(k -> k.toString().contains("checksum mismatch")), "bad checksum refused: " + reasons);
        assertTrue(reasons.keySet().stream().anyMatch(k -> k.toString().contains("network takes")), "wrong input size refused: " + reasons);
        // Beyond the two injected versions, the only model refusals allowed are number conflicts: two
        // publishers (the trainer and the rollback) took one version number, and the later record is refused
        // (the first record of a number wins, for every reader).
        long conflicts = reasons.entrySet().stream().filter(e -> e.getKey().toString().contains("conflicts with"))
                .mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
        assertEquals(2, modelRefusals - conflicts, "model refusals: " + reasons);
        assertEquals(2, count(s, "badModelsInjected"));
        assertEquals(Boolean.TRUE, s.get("worseCandidateRefused"), "the promotion gate refuses the inverted candidate");
        Map<?, ?> rollback = (Map<?, ?>) s.get("rollback");
        long rollbackMillis = ((Number) rollback.get("latencyMillis")).longValue();
        // Functional check: the rollback reached decisions at all, well inside the run. How fast is a figure
        // the demo prints (84-1,650 ms measured, depending on load), not something a shared CI box can time.
        assertTrue(rollbackMillis >= 0 && rollbackMillis < 15_000, "rollback reached decisions in " + rollback);
        Map<?, ?> redeploy = (Map<?, ?>) s.get("redeployLatencyMillis");
        // Measured: p50 107 ms, p99 1.7 s over 14 versions (model versions are written at once, not per
        // checkpoint). The bound only rules out versions riding on checkpoints (seconds each) or never arriving.
        assertTrue(((Number) redeploy.get("p50")).longValue() >= 0 && ((Number) redeploy.get("p50")).longValue() < 5_000,
                "redeploy latency " + redeploy);
        assertEquals(count(s, "decisions"), count(s, "feedbackJoined") + count(s, "feedbackTimedOut"),
                "after the drain every decision was either joined or timed out");
        assertTrue(count(s, "feedbackTimedOut") >= count(s, "feedbackNeverDelivered"),
                "feedback that never came must take the default-reward path");
        // Model versions: 3 seen in decisions after 24k events, more with 40k; the slice promises at least 3.
        assertTrue(((List<?>) s.get("modelVersionsInDecisions")).size() >= 3, "model versions in decisions: " + s);
        // Measured: 24k events gave meanReward 0.657 against uniform 0.546 (+20 %, regret 0.65 of uniform's):
        // the first seconds run on the uniform fallback until version 1 arrives. A 60 s demo reaches +59 %
        // (regret 0.20 of uniform's). The bar is +20 %, on 40k events.
        assertTrue(number(s, "meanReward") >= 1.2 * number(s, "uniformRandomMeanReward"), "reward: " + s);
        assertTrue(number(s, "cumulativeRegret") < 0.7 * number(s, "uniformRandomRegret"), "regret: " + s);

        String report = Files.readString(dir.resolve("report.html"));
        assertTrue(report.contains("chart-reward") && report.length() > 500_000, "report with inlined charts");
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"uniqueDecisionIds\""));
    }

    @Test
    void linUcbOnKeyedStateLearnsPerMerchant() throws Exception {
        // Paced below LinUCB's throughput on 2 cores (about 950 decisions/s), so that on a busy machine the
        // decisions do not queue past the feedback wait window and learning sees real outcomes.
        Map<String, Object> s = run("linucb", 16_000, 5, false, 600);

        assertEquals(16_000, count(s, "uniqueDecisionIds"));
        assertEquals(count(s, "contextEvents"), count(s, "decisions"));
        assertEquals(BAD_RECORDS, count(s, "deadLetters"));
        // Measured: meanReward 0.726 against uniform 0.543 (+34 %) on 16k events, 24 merchants.
        assertTrue(number(s, "meanReward") >= 1.2 * number(s, "uniformRandomMeanReward"), "reward: " + s);
    }
}
