package dev.loopline.jobs.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.drift.Adwin;
import dev.loopline.schemas.MetricEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DriftWatchTest {
    private static final long START = 1_700_000_000_000L;

    /** 40 windows of joined reward near 0.80, then 40 near 0.62 (window noise ±0.015, seeded). */
    static double[] stepSeries() {
        SplittableRandom r = new SplittableRandom(5);
        double[] v = new double[80];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i < 40 ? 0.80 : 0.62) + 0.015 * (2 * r.nextDouble() - 1);
        }
        return v;
    }

    /** Each window as the monitor writes it: the decisions joined and timed out, then the mean reward of both. */
    private static List<DriftAlert> feed(DriftWatch watch, double[] values) {
        List<DriftAlert> alerts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            long end = START + 1000L * (i + 1);
            assertEquals(Optional.empty(), watch.observe("feedback.joined", "GLOBAL", "", end, 940));
            assertEquals(Optional.empty(), watch.observe("feedback.timedOut", "GLOBAL", "", end, 60));
            // The published mean counts the 60 timed-out decisions with the default reward 0.
            watch.observe("reward.mean", "GLOBAL", "", end, values[i] * 940 / 1000).ifPresent(alerts::add);
        }
        return alerts;
    }

    @Test
    void aRewardDropIsOneAlertSoonAfterTheStepWithTheMeansOnBothSides() {
        List<DriftAlert> alerts = feed(DriftWatch.onReward(0), stepSeries());

        // Golden: with seed 5 the only alert is in window 41, the first window after the step.
        assertEquals(1, alerts.size(), alerts.toString());
        DriftAlert a = alerts.get(0);
        assertEquals(START + 41_000L, a.firedAt());
        assertEquals("adwin", a.detector());
        assertEquals("reward.mean", a.metric());
        assertEquals("down", a.direction());
        assertEquals(0.80, a.meanBefore(), 0.02);
        // At the first cut ADWIN keeps a window that still holds some older rewards: its mean lies between.
        assertTrue(a.meanAfter() > 0.62 && a.meanAfter() < 0.76, "kept mean " + a.meanAfter());
        assertTrue(a.delta() <= -0.05);
        assertEquals(a.meanAfter() - a.meanBefore(), a.delta(), 1e-12);
    }

    @Test
    void aStableSeriesRaisesNothingAndOtherMetricsAreNotWatched() {
        // Windows differ by up to 0.03, which ADWIN on 200 000 rewards does see: below the least effect, no alert.
        double[] flat = new double[200];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < flat.length; i++) {
            flat[i] = 0.8 + 0.015 * (2 * r.nextDouble() - 1);
        }
        assertEquals(List.of(), feed(DriftWatch.onReward(0), flat));
        DriftWatch watch = DriftWatch.onReward(0);
        double[] step = stepSeries();
        for (int i = 0; i < step.length; i++) {
            assertEquals(Optional.empty(), watch.observe("explore.rate", "GLOBAL", "", START + 1000L * i, step[i]));
        }
    }

    @Test
    void timedOutDecisionsAreTakenOutSoTheirSwingsRaiseNothing() {
        DriftWatch watch = DriftWatch.onReward(0);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 120; i++) {
            long end = START + 1000L * (i + 1);
            double joined = i % 7 == 3 ? 150 : 900; // throughput breathes with the checkpoints
            double timedOut = i % 7 == 3 ? 300 : 20 + r.nextInt(40); // decided a wait window ago, default reward 0
            double joinedMean = 0.8 + 0.01 * (2 * r.nextDouble() - 1);
            double mean = joinedMean * joined / (joined + timedOut); // what the monitor publishes: 0.27 in the dips
            watch.observe(DriftWatch.JOINED, "GLOBAL", "", end, joined);
            watch.observe(DriftWatch.TIMED_OUT, "GLOBAL", "", end, timedOut);
            assertEquals(Optional.empty(), watch.observe(DriftWatch.REWARD, "GLOBAL", "", end, mean), "window " + i);
        }
        long end = START + 200_000L;
        watch.observe(DriftWatch.TIMED_OUT, "GLOBAL", "", end, 500);
        assertEquals(Optional.empty(), watch.observe(DriftWatch.REWARD, "GLOBAL", "", end, 0.0), "only timed out: skipped");
    }

    @Test
    void aRiseIsReportedOnlyWhenAskedFor() {
        double[] up = stepSeries();
        for (int i = 0; i < up.length; i++) {
            up[i] = 1.42 - up[i]; // 0.62, then 0.80
        }
        assertEquals(List.of(), feed(DriftWatch.onReward(0), up));
        List<DriftAlert> both = feed(new DriftWatch(Adwin.Config.defaults(), 0, 0.05, true, DriftWatch.COOLDOWN_MILLIS), up);
        assertEquals(1, both.size(), both.toString());
        assertEquals("up", both.get(0).direction());
    }

    @Test
    void aSecondFallAlertsOnlyAfterTheCooldown() {
        for (int gap : new int[] {8, 20}) {
            double[] v = new double[40 + gap + 40];
            for (int i = 0; i < v.length; i++) {
                v[i] = i < 40 ? 0.85 : i < 40 + gap ? 0.65 : 0.45;
            }
            List<DriftAlert> alerts = feed(DriftWatch.onReward(0), v);
            assertEquals(gap * 1000L < DriftWatch.COOLDOWN_MILLIS ? 1 : 2, alerts.size(), "falls " + gap + " s apart: " + alerts);
        }
    }

    @Test
    void replayingTheSameWindowsRaisesNoSecondAlert() {
        DriftWatch watch = DriftWatch.onReward(0);
        assertEquals(1, feed(watch, stepSeries()).size());
        assertEquals(0, feed(watch, stepSeries()).size(), "windows not newer than the last one are ignored");
    }

    @Test
    void anAlertTravelsAsAMetricEventAndBack() {
        DriftAlert a = new DriftAlert("adwin", "reward.mean", "GLOBAL", "", START, -0.18, 0.8, 0.62, 7);
        MetricEvent m = a.toMetric();
        assertEquals(DriftAlert.METRIC, m.getName());
        assertEquals("adwin/reward.mean", m.getUnit());
        assertEquals(-0.18, m.getValue());
        DriftAlert back = DriftAlert.fromMetric(m).orElseThrow();
        assertEquals(a.id(), back.id());
        assertEquals(a.delta(), back.delta());
        assertTrue(DriftAlert.fromMetric(MetricEvent.newBuilder(m).setName("reward.mean").build()).isEmpty());
    }
}
