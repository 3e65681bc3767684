package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which detections become alerts, with what statistic, and that the alarm's state survives a snapshot. */
class DriftAlarmTest {
    private static final long STEP = 10;

    private static DriftAlarm.Config config(DriftDetectorConfig d, DriftAlarm.Watch watch) {
        return new DriftAlarm.Config(d, watch, 0.05, 15_000);
    }

    private static List<DriftAlarm.Alert> run(DriftAlarm alarm, double[] x) {
        List<DriftAlarm.Alert> alerts = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            alarm.observe(x[i], i * STEP).ifPresent(alerts::add);
        }
        return alerts;
    }

    @Test
    void everyDetectorAlertsOnAFallOfTheRewardWithANegativeStatisticAfterTheChange() {
        for (String name : DriftDetectorConfig.NAMES) {
            double[] x = Streams.bernoulli(11, 3000, 0.8, 3000, 0.4);
            List<DriftAlarm.Alert> alerts = run(new DriftAlarm(config(DriftDetectorConfig.defaults(name),
                    DriftAlarm.Watch.FALLS)), x);
            assertTrue(!alerts.isEmpty(), name + ": no alert");
            DriftAlarm.Alert first = alerts.get(0);
            assertTrue(first.firedAt() >= 3000 * STEP && first.firedAt() < 3600 * STEP, name + " fired at " + first);
            assertTrue(first.statistic() < 0, name + ": a fall has a negative statistic: " + first);
        }
        DriftAlarm.Alert adwin = run(new DriftAlarm(config(Adwin.Config.defaults(), DriftAlarm.Watch.FALLS)),
                Streams.bernoulli(11, 3000, 0.8, 3000, 0.4)).get(0);
        // Early in the change the newer part still holds old values, so the difference is below the full 0.4.
        assertTrue(adwin.statistic() > -0.45 && adwin.statistic() < -0.1, "ADWIN's change of the mean: " + adwin);
    }

    @Test
    void aStationaryRewardAndARiseRaiseNothingWhenOnlyFallsAreWatched() {
        for (String name : DriftDetectorConfig.NAMES) {
            DriftAlarm.Config c = config(DriftDetectorConfig.defaults(name), DriftAlarm.Watch.FALLS);
            int stationary = 0;
            int rises = 0;
            for (long seed = 1; seed <= 10; seed++) {
                stationary += run(new DriftAlarm(c), Streams.bernoulli(seed, 3000, 0.7, 3000, 0.7)).size();
                rises += run(new DriftAlarm(c), Streams.bernoulli(seed, 3000, 0.4, 3000, 0.8)).size();
            }
            // Measured: ADWIN and Page-Hinkley none; DDM one in 60,000 stationary values (it assumes an
            // error rate that never rises, and a long run of luck sets its minimum too low).
            assertTrue(stationary <= (name.equals(Ddm.NAME) ? 1 : 0), name + ": " + stationary + " false alarms");
            assertEquals(0, rises, name + " alerted on a rise");
        }
        List<DriftAlarm.Alert> both = run(new DriftAlarm(config(Adwin.Config.defaults(), DriftAlarm.Watch.BOTH)),
                Streams.bernoulli(13, 3000, 0.4, 3000, 0.8));
        assertTrue(!both.isEmpty() && both.get(0).statistic() > 0, "watching both ways, a rise alerts: " + both);
    }

    @Test
    void aResidualThatMovesAwayFromZeroAlertsEitherWay() {
        for (String name : DriftDetectorConfig.NAMES) {
            DriftAlarm.Config c = config(DriftDetectorConfig.defaults(name), DriftAlarm.Watch.BOTH);
            // The served prediction was calibrated (residual ~ 0), then the world got worse by 0.4.
            double[] residual = Streams.gaussian(14, 3000, 0.0, 3000, -0.4, 0.2);
            List<DriftAlarm.Alert> alerts = run(new DriftAlarm(c), residual);
            assertTrue(!alerts.isEmpty() && alerts.get(0).firedAt() >= 3000 * STEP, name + ": " + alerts);
        }
    }

    @Test
    void aDetectorKeepsCuttingAfterOneChangeButTheCooldownMakesItOneAlert() {
        double[] x = Streams.bernoulli(15, 3000, 0.8, 3000, 0.4);
        DriftAlarm.Config noCooldown = new DriftAlarm.Config(Adwin.Config.defaults(), DriftAlarm.Watch.FALLS, 0.05, 0);
        int raw = run(new DriftAlarm(noCooldown), x).size();
        int cooled = run(new DriftAlarm(config(Adwin.Config.defaults(), DriftAlarm.Watch.FALLS)), x).size();
        assertTrue(raw > 1, "ADWIN cuts several times while the new level settles: " + raw);
        assertEquals(1, cooled, "one alert per 15 s of event time (the stream spans 60 s)");
    }

    @Test
    void aRestoredAlarmContinuesExactlyLikeTheOriginal() {
        for (String name : DriftDetectorConfig.NAMES) {
            DriftAlarm.Config c = config(DriftDetectorConfig.defaults(name), DriftAlarm.Watch.FALLS);
            double[] x = Streams.bernoulli(16, 3000, 0.8, 3000, 0.3);
            List<DriftAlarm.Alert> reference = run(new DriftAlarm(c), x);
            DriftAlarm alarm = new DriftAlarm(c);
            List<DriftAlarm.Alert> alerts = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (i % 500 == 0) {
                    alarm = DriftAlarm.restore(c, alarm.snapshot());
                }
                alarm.observe(x[i], i * STEP).ifPresent(alerts::add);
            }
            assertEquals(reference, alerts, name);
            assertTrue(alarm.snapshot().length < 1024, name + ": " + alarm.snapshot().length + " bytes");
        }
        assertThrows(IllegalArgumentException.class,
                () -> DriftAlarm.restore(config(Adwin.Config.defaults(), DriftAlarm.Watch.FALLS),
                        new DriftAlarm(config(Ddm.Config.defaults(), DriftAlarm.Watch.FALLS)).snapshot()));
    }
}
