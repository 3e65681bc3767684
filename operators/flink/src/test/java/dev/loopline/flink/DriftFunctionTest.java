package dev.loopline.flink;

import static dev.loopline.flink.MonitorRecords.joined;
import static dev.loopline.flink.MonitorRecords.metrics;
import static dev.loopline.flink.MonitorRecords.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.drift.Adwin;
import dev.loopline.core.drift.DriftAlarm;
import dev.loopline.core.ope.ReplayEvaluation;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.ContinualEvaluation;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import dev.loopline.schemas.internal.JoinedOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The drift operator on golden streams of joined examples, one every 10 ms of event time: a reward
 * that falls from 0.8 to 0.4 at example 3000 (served prediction 0.8 throughout, so the residual falls
 * too) against one that stays at 0.7; per entity, per segment and globally.
 */
class DriftFunctionTest {
    static final long STEP = 10;
    static final int SHIFT_AT = 3000;
    static final List<String> SEGMENT_FEATURES = List.of("region");

    static MonitorSettings settings(List<String> segmentFeatures) {
        DriftAlarm.Config reward = new DriftAlarm.Config(Adwin.Config.defaults(), DriftAlarm.Watch.FALLS, 0.05, 15_000);
        DriftAlarm.Config residual = new DriftAlarm.Config(Adwin.Config.defaults(), DriftAlarm.Watch.BOTH, 0.05, 15_000);
        return new MonitorSettings(1000, reward, residual, MonitorSettings.SCOPES, MonitorSettings.STREAMS,
                segmentFeatures, ContinualEvaluation.Config.defaults(),
                new ReplayEvaluation.Config(List.of(), "uniform", 7, 500, new Bootstrap.Config(100, 0.95, 1)));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, JoinedOutcome, MetricEvent> open(String scope,
            OperatorSubtaskState restore, boolean rocksDb) throws Exception {
        MonitorSettings s = settings(SEGMENT_FEATURES);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new DriftFunction(scope, s)),
                DriftFunction.keyOf(scope), Types.STRING);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    /** Entity {@code falling} loses reward at SHIFT_AT, entity {@code steady} does not; they alternate. */
    static List<JoinedExample> stream(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<JoinedExample> out = new ArrayList<>();
        for (int i = 0; i < 2 * 2 * SHIFT_AT; i++) {
            boolean falling = i % 2 == 0;
            int step = i / 2;
            double p = falling ? (step < SHIFT_AT ? 0.8 : 0.4) : 0.7;
            double reward = random.nextDouble() < p ? 1 : 0;
            out.add(joined(falling ? "falling" : "steady", "e" + i, (i + 1) * STEP / 2 * 2 + 1000, falling ? 1 : 2, "a",
                    0.5, reward, falling ? 0.8 : 0.7));
        }
        return out;
    }

    static long shiftTime() {
        return 2L * SHIFT_AT * STEP + 1000;
    }

    static List<MetricEvent> feed(KeyedOneInputStreamOperatorTestHarness<String, JoinedOutcome, MetricEvent> h,
            List<JoinedExample> examples, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            JoinedExample e = examples.get(i);
            h.processElement(Outcomes.of(e, SEGMENT_FEATURES), e.getResolvedAt());
            if (i % 100 == 99) {
                h.processWatermark(e.getResolvedAt());
            }
        }
        return metrics(h);
    }

    @Test
    void perEntityOnlyTheEntityWhoseRewardFellAlertsOnRewardAndResidualAfterTheShift() throws Exception {
        var examples = stream(1);
        try (var h = open(MonitorSettings.ENTITY, null, false)) {
            List<MetricEvent> m = feed(h, examples, 0, examples.size());
            List<MetricEvent> rewards = named(m, DriftFunction.REWARD_ALERT);
            List<MetricEvent> residuals = named(m, DriftFunction.RESIDUAL_ALERT);
            assertEquals(1, rewards.size(), "one reward alert: " + rewards);
            assertEquals(1, residuals.size(), "one residual alert: " + residuals);
            for (MetricEvent a : List.of(rewards.get(0), residuals.get(0))) {
                assertEquals(MetricScope.ENTITY, a.getScope());
                assertEquals("falling", a.getKey(), "the steady entity never alerts");
                assertEquals("adwin", a.getUnit());
                assertTrue(a.getValue() < -0.05, "a fall: " + a);
                long delay = a.getWindowEnd() - shiftTime();
                // Measured: 1.4 s of event time, about 70 of the entity's examples after the shift.
                assertTrue(delay >= 0 && delay <= 12_000, "fired " + delay + " ms after the shift: " + a);
            }
        }
    }

    @Test
    void perSegmentAndGloballyTheFallIsSeenToo() throws Exception {
        var examples = stream(2);
        try (var segment = open(MonitorSettings.SEGMENT, null, false)) {
            List<MetricEvent> alerts = named(feed(segment, examples, 0, examples.size()), DriftFunction.REWARD_ALERT);
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals("seg:region=1", alerts.get(0).getKey());
            assertEquals(MetricScope.SEGMENT, alerts.get(0).getScope());
        }
        try (var global = open(MonitorSettings.GLOBAL, null, false)) {
            List<MetricEvent> m = feed(global, examples, 0, examples.size());
            List<MetricEvent> alerts = named(m, DriftFunction.REWARD_ALERT);
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals("", alerts.get(0).getKey());
            assertTrue(alerts.get(0).getWindowEnd() >= shiftTime());
            // Continual evaluation after the shift: the mixed reward falls from 0.75 to about 0.55. The five
            // baseline windows before the alert's window hold the second or so ADWIN needed, so the pre-shift
            // level is a little below 0.75 (measured 0.69).
            MetricEvent pre = named(m, "stability.preShiftLevel").get(0);
            assertTrue(pre.getValue() > 0.64 && pre.getValue() < 0.78, "pre-shift level " + pre);
            List<MetricEvent> gaps = named(m, "stability.gap");
            MetricEvent gap = gaps.get(gaps.size() - 1);
            assertTrue(gap.getValue() > 0.1 && gap.getValue() < 0.45, "worst drop " + gap);
            assertTrue(named(m, "stability.minReward").size() >= 10, "a minimum per window after the shift");
        }
    }

    @Test
    void aStationaryStreamRaisesNoAlertInAnyScope() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        List<JoinedExample> examples = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            double reward = random.nextDouble() < 0.7 ? 1 : 0;
            examples.add(joined("u" + (i % 3), "e" + i, 1000 + i * STEP, i % 2, "b", 0.5, reward, 0.7));
        }
        for (String scope : MonitorSettings.SCOPES) {
            try (var h = open(scope, null, false)) {
                List<MetricEvent> m = feed(h, examples, 0, examples.size());
                assertEquals(List.of(), named(m, DriftFunction.REWARD_ALERT), scope);
                assertEquals(List.of(), named(m, DriftFunction.RESIDUAL_ALERT), scope);
            }
        }
    }

    @Test
    void timedOutAndLateExamplesAreNotWatched() throws Exception {
        try (var h = open(MonitorSettings.GLOBAL, null, false)) {
            for (int i = 0; i < 6000; i++) {
                JoinedExample e = joined("u", "e" + i, 1000 + i * STEP, 1, "a", 0.5, i < 3000 ? 1 : 0, 0.9);
                e.setOutcome(i < 3000 ? JoinOutcome.JOINED : JoinOutcome.TIMED_OUT);
                h.processElement(Outcomes.of(e, SEGMENT_FEATURES), e.getResolvedAt());
            }
            assertEquals(List.of(), named(metrics(h), DriftFunction.REWARD_ALERT), "timeouts are not a fall of the reward");
        }
    }

    @Test
    void aSnapshotInTheMiddleOfTheShiftKeepsTheDetectorsStateOnRocksDb() throws Exception {
        var examples = stream(4);
        List<MetricEvent> reference;
        try (var h = open(MonitorSettings.ENTITY, null, true)) {
            reference = feed(h, examples, 0, examples.size());
        }
        int cut = 2 * SHIFT_AT + 60; // after the change, before ADWIN fired (about 140 examples later)
        OperatorSubtaskState snapshot;
        List<MetricEvent> before;
        try (var h = open(MonitorSettings.ENTITY, null, true)) {
            before = feed(h, examples, 0, cut);
            snapshot = h.snapshot(1, examples.get(cut - 1).getResolvedAt());
        }
        assertEquals(List.of(), named(before, DriftFunction.REWARD_ALERT), "the alert comes after the snapshot");
        try (var restored = open(MonitorSettings.ENTITY, snapshot, true)) {
            List<MetricEvent> after = feed(restored, examples, cut, examples.size());
            List<MetricEvent> all = new ArrayList<>(before);
            all.addAll(after);
            assertEquals(reference, all, "a restored operator alerts exactly as the uninterrupted one");
            assertEquals(1, named(after, DriftFunction.REWARD_ALERT).size());
        }
        // A fresh operator (no state) fed only the rest would not know the pre-shift level and stays silent.
        try (var fresh = open(MonitorSettings.ENTITY, null, true)) {
            assertEquals(List.of(), named(feed(fresh, examples, cut, examples.size()), DriftFunction.REWARD_ALERT));
        }
    }

    /**
     * An entity silent for longer than monitor.drift.keyRetentionMillis loses its detectors: the same fall,
     * seen only after the state expired, is the new entity's first level, not a change.
     */
    @Test
    void aSilentEntitysDetectorsExpireAfterTheRetention() throws Exception {
        MonitorSettings base = settings(List.of("region"));
        MonitorSettings retained = new MonitorSettings(base.windowMillis(), base.rewardAlarm(), base.residualAlarm(),
                base.scopes(), base.streams(), base.segmentFeatures(), base.stability(), base.ope(), 1_000);
        var examples = stream(1);
        for (boolean silence : new boolean[] {false, true}) {
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                    new KeyedProcessOperator<>(new DriftFunction(MonitorSettings.ENTITY, retained)),
                    DriftFunction.keyOf(MonitorSettings.ENTITY), Types.STRING)) {
                h.open();
                h.setStateTtlProcessingTime(0);
                feed(h, examples, 0, 2 * SHIFT_AT);
                h.setStateTtlProcessingTime(silence ? 5_000 : 500);
                List<MetricEvent> alerts = named(feed(h, examples, 2 * SHIFT_AT, examples.size()), DriftFunction.REWARD_ALERT);
                assertEquals(silence ? 0 : 1, alerts.size(), (silence ? "expired" : "kept") + " detectors: " + alerts);
            }
        }
    }
}
