package dev.loopline.envs.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunStatsTest {

    @Test
    void totalsAndMeans() {
        AtomicLong clock = new AtomicLong(10_000);
        RunStats stats = new RunStats(clock::get);
        stats.contextSent();
        stats.contextSent();
        stats.badRecordSent();
        stats.decisionRead("linucb", 0);
        stats.firstDecision(new DecisionSample("linucb", 0, false, 1.0, 0.8, 0.9, 0.5, 12));
        stats.decisionRead("linucb", 3);
        stats.firstDecision(new DecisionSample("linucb", 3, true, 0.0, 0.4, 0.9, 0.5, 20));
        stats.decisionRead("linucb", 3);
        stats.duplicateDecision();
        stats.decisionRead("squarecb", 4);
        stats.unknownDecision();
        stats.feedbackScheduled();
        stats.feedbackScheduled();
        stats.feedbackSent();
        stats.feedbackNeverDelivered();
        RunSnapshot s = stats.snapshot();
        assertEquals(2, s.contextEvents());
        assertEquals(1, s.badRecordsSent());
        assertEquals(4, s.decisions());
        assertEquals(2, s.uniqueDecisionIds());
        assertEquals(1, s.duplicateDecisions());
        assertEquals(1, s.unknownDecisions());
        assertEquals(1, s.feedbackSent());
        assertEquals(1, s.feedbackPending());
        assertEquals(1, s.feedbackNeverDelivered());
        assertEquals(0.5, s.meanReward(), 1e-12);
        assertEquals(0.6, s.meanExpectedReward(), 1e-12);
        assertEquals(0.9, s.meanOracle(), 1e-12);
        assertEquals(0.5, s.meanUniform(), 1e-12);
        assertEquals(0.5, s.exploredShare(), 1e-12);
        assertEquals(0.1 + 0.5, s.cumulativeRegret(), 1e-12);
        assertEquals(12, s.latencyP50Millis());
        assertEquals(20, s.latencyP99Millis());
        assertEquals(List.of(3L, 4L), s.modelVersions().keySet().stream().sorted().toList());
        assertEquals(10_000L, s.modelVersions().get(3L));
        assertEquals(2, s.policies().size());
        stats.feedbackAbandoned(1);
        assertEquals(0, stats.snapshot().feedbackPending());
        assertEquals(1, stats.snapshot().feedbackAbandonedAtShutdown());
    }

    @Test
    void windowsBySecondOfReading() {
        AtomicLong clock = new AtomicLong(5_000);
        RunStats stats = new RunStats(clock::get);
        stats.contextSent();
        for (int i = 1; i <= 100; i++) {
            stats.firstDecision(new DecisionSample("p", 1, i % 4 == 0, 1.0, 0.5, 1.0, 0.5, i));
        }
        clock.set(6_999);
        stats.contextSent();
        stats.contextSent();
        stats.firstDecision(new DecisionSample("p", 2, false, 0.0, 1.0, 1.0, 0.5, 1_000));
        clock.set(8_500);
        stats.contextSent();
        List<WindowPoint> w = stats.windows();
        assertEquals(3, w.size());
        WindowPoint first = w.get(0);
        assertEquals(5_000, first.windowStartMillis());
        assertEquals(100, first.decisions());
        assertEquals(1.0, first.meanReward(), 1e-12);
        assertEquals(0.5, first.meanExpectedReward(), 1e-12);
        assertEquals(50.0, first.cumulativeRegret(), 1e-9);
        assertEquals(0.25, first.exploredShare(), 1e-12);
        assertEquals(50, first.latencyP50());
        assertEquals(99, first.latencyP99());
        assertEquals(1, first.modelVersion());
        assertEquals(1, first.eventsSent());
        WindowPoint second = w.get(1);
        assertEquals(6_000, second.windowStartMillis());
        assertEquals(2, second.eventsSent());
        assertEquals(2, second.modelVersion());
        assertEquals(50.0, second.cumulativeRegret(), 1e-9);
        assertEquals(1_000, second.latencyP99());
        WindowPoint third = w.get(2);
        assertEquals(0, third.decisions());
        assertTrue(Double.isNaN(third.meanReward()));
        assertEquals(50.0, third.cumulativeRegret(), 1e-9, "regret carries over");
        assertEquals(-1, third.latencyP50());
        // Closed windows keep their percentiles once summarised.
        assertEquals(w.get(0), stats.windows().get(0));
    }

    @Test
    void histogramPercentiles() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(-1, h.percentile(0.5));
        for (int i = 1; i <= 1000; i++) {
            h.record(i);
        }
        assertEquals(500, h.percentile(0.50));
        assertEquals(990, h.percentile(0.99));
        assertEquals(1000, h.percentile(1.0));
        h.record(1_000_000);
        long p = h.percentile(1.0);
        assertTrue(Math.abs(p - 1_000_000) <= 1_000_000 / 256, "p100 " + p);
        for (long v : new long[] {1023, 1024, 1025, 5_000, 123_456_789L}) {
            long lb = LatencyHistogram.lowerBound(LatencyHistogram.index(v));
            assertTrue(lb <= v && v - lb <= Math.max(0, v / 256), v + " -> " + lb);
        }
        assertEquals(3, LatencyHistogram.percentile(new long[] {5, 1, 3, 2, 4}, 5, 0.5));
        assertEquals(5, LatencyHistogram.percentile(new long[] {5, 1, 3, 2, 4}, 5, 0.99));
    }

    @Test
    void delayScheduleReleasesInDueOrderAndDropsBeyondHorizon() {
        DelaySchedule<String> s = new DelaySchedule<>();
        s.add(1_000, 500, "a");      // due 1500
        s.add(1_000, 60_000, "slow"); // due 61000
        s.add(1_100, 100, "b");      // due 1200
        s.add(1_100, 400, "c");      // due 1500, after a
        assertEquals(1_200, s.nextDueAt());
        assertEquals(List.of(), s.takeDue(1_199));
        assertEquals(List.of("b"), s.takeDue(1_200));
        assertEquals(List.of("a", "c"), s.takeDue(2_000));
        assertEquals(List.of("slow"), s.removeDelayedBeyond(10_000));
        assertTrue(s.isEmpty());
        assertEquals(Long.MAX_VALUE, s.nextDueAt());
    }
}
