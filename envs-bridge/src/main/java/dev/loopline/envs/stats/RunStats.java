package dev.loopline.envs.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Statistics of one environment run, thread-safe and readable while the run goes on. Totals are
 * kept over the whole run; a per-second series ({@link #windows()}) is kept by the wall-clock second
 * (from the clock given at construction) in which each decision was read. Plain Java: no Kafka.
 */
public final class RunStats {
    private static final long WINDOW_MILLIS = 1_000;

    private final LongSupplier clock;
    private final TreeMap<Long, Window> windows = new TreeMap<>();
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final Map<Long, Long> modelVersions = new LinkedHashMap<>();
    private final Map<Long, Long> modelVersionFirstDecisionAppend = new LinkedHashMap<>();
    private final Set<String> policies = new LinkedHashSet<>();

    private long contextEvents;
    private long contextSendErrors;
    private long badRecordsSent;
    private long inFlight;
    private long decisions;
    private long uniqueDecisionIds;
    private long duplicateDecisions;
    private long unknownDecisions;
    private long undecodableDecisions;
    private long invalidActions;
    private long feedbackSent;
    private long feedbackSendErrors;
    private long feedbackNeverDelivered;
    private long feedbackPending;
    private long feedbackAbandoned;
    private double realizedRewardSum;
    private double expectedRewardSum;
    private double oracleBestSum;
    private double uniformMeanSum;
    private long exploredCount;
    private double cumulativeRegret;

    public RunStats() {
        this(System::currentTimeMillis);
    }

    /** @param clock wall clock in epoch ms, used for the per-second windows */
    public RunStats(LongSupplier clock) {
        this.clock = clock;
    }

    public synchronized void contextSent() {
        contextEvents++;
        window().eventsSent++;
    }

    public synchronized void contextSendFailed() {
        contextSendErrors++;
    }

    public synchronized void badRecordSent() {
        badRecordsSent++;
    }

    public synchronized void inFlightChanged(long delta) {
        inFlight += delta;
    }

    /** Any decision record read, before it is classified. */
    public synchronized void decisionRead(String policy, long modelVersion) {
        decisionRead(policy, modelVersion, -1);
    }

    /**
     * As {@link #decisionRead(String, long)}, with the decision record's broker append time, so the
     * first decision that used each model version is known on the broker's clock (redeploy latency).
     */
    public synchronized void decisionRead(String policy, long modelVersion, long recordTimestamp) {
        if (modelVersion > 0 && recordTimestamp >= 0) {
            modelVersionFirstDecisionAppend.merge(modelVersion, recordTimestamp, Math::min);
        }
        decisions++;
        if (policy != null) {
            policies.add(policy);
        }
        if (modelVersion > 0) {
            modelVersions.putIfAbsent(modelVersion, clock.getAsLong());
        }
    }

    public synchronized void decisionUndecodable() {
        decisions++;
        undecodableDecisions++;
    }

    public synchronized void duplicateDecision() {
        duplicateDecisions++;
    }

    public synchronized void unknownDecision() {
        unknownDecisions++;
    }

    public synchronized void invalidAction() {
        invalidActions++;
    }

    /** A first-seen decision of this run, with what the oracle and the environment say about it. */
    public synchronized void firstDecision(DecisionSample s) {
        uniqueDecisionIds++;
        realizedRewardSum += s.realizedReward();
        expectedRewardSum += s.expectedReward();
        oracleBestSum += s.oracleBest();
        uniformMeanSum += s.uniformMean();
        cumulativeRegret += s.regret();
        if (s.explored()) {
            exploredCount++;
        }
        Window w = window();
        w.decisions++;
        w.reward += s.realizedReward();
        w.expected += s.expectedReward();
        w.oracle += s.oracleBest();
        w.uniform += s.uniformMean();
        w.explored += s.explored() ? 1 : 0;
        w.modelVersion = Math.max(w.modelVersion, s.modelVersion());
        w.regretAtEnd = cumulativeRegret;
        if (s.latencyMillis() >= 0) {
            addLatency(w, s.latencyMillis());
        }
    }

    /** A latency learned after its decision was recorded (the send acknowledgement came late). */
    public synchronized void lateLatency(long latencyMillis) {
        if (latencyMillis >= 0) {
            addLatency(window(), latencyMillis);
        }
    }

    public synchronized void feedbackScheduled() {
        feedbackPending++;
    }

    public synchronized void feedbackSent() {
        feedbackSent++;
        feedbackPending--;
    }

    public synchronized void feedbackSendFailed() {
        feedbackSendErrors++;
        feedbackPending--;
    }

    public synchronized void feedbackNeverDelivered() {
        feedbackNeverDelivered++;
    }

    public synchronized void feedbackAbandoned(long count) {
        feedbackAbandoned += count;
        feedbackPending -= count;
    }

    public synchronized RunSnapshot snapshot() {
        return new RunSnapshot(clock.getAsLong(), contextEvents, contextSendErrors, badRecordsSent, inFlight,
                decisions, uniqueDecisionIds, duplicateDecisions, unknownDecisions, undecodableDecisions,
                invalidActions, feedbackSent, feedbackSendErrors, feedbackNeverDelivered, feedbackPending,
                feedbackAbandoned, realizedRewardSum, expectedRewardSum, oracleBestSum, uniformMeanSum,
                exploredCount, cumulativeRegret, latencies.count(), latencies.percentile(0.50),
                latencies.percentile(0.99), latencies.max(), modelVersions, policies,
                modelVersionFirstDecisionAppend);
    }

    /** The per-second series so far, oldest first; the current second is included as it stands. */
    public synchronized List<WindowPoint> windows() {
        long now = clock.getAsLong();
        List<WindowPoint> points = new ArrayList<>(windows.size());
        double regret = 0;
        for (Map.Entry<Long, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            if (w.decisions > 0) {
                regret = w.regretAtEnd;
            }
            boolean closed = e.getKey() + 2 * WINDOW_MILLIS <= now;
            long p50;
            long p99;
            if (w.latencyCount == 0) {
                p50 = -1;
                p99 = -1;
            } else if (w.closedP50 >= 0) {
                p50 = w.closedP50;
                p99 = w.closedP99;
            } else {
                p50 = LatencyHistogram.percentile(w.latencies, w.latencyCount, 0.50);
                p99 = LatencyHistogram.percentile(w.latencies, w.latencyCount, 0.99);
                if (closed) {
                    w.closedP50 = p50;
                    w.closedP99 = p99;
                    w.latencies = null;
                }
            }
            double n = w.decisions;
            points.add(new WindowPoint(e.getKey(), w.decisions,
                    w.decisions == 0 ? Double.NaN : w.reward / n,
                    w.decisions == 0 ? Double.NaN : w.expected / n,
                    w.decisions == 0 ? Double.NaN : w.oracle / n,
                    w.decisions == 0 ? Double.NaN : w.uniform / n,
                    regret,
                    w.decisions == 0 ? Double.NaN : w.explored / n,
                    p50, p99, w.modelVersion, w.eventsSent));
        }
        return List.copyOf(points);
    }

    private void addLatency(Window w, long latencyMillis) {
        latencies.record(latencyMillis);
        if (w.latencies == null) {
            // Window already closed and summarised: its percentiles stay as computed.
            return;
        }
        if (w.latencyCount == w.latencies.length) {
            w.latencies = Arrays.copyOf(w.latencies, w.latencies.length * 2);
        }
        w.latencies[w.latencyCount++] = latencyMillis;
    }

    private Window window() {
        long start = Math.floorDiv(clock.getAsLong(), WINDOW_MILLIS) * WINDOW_MILLIS;
        return windows.computeIfAbsent(start, k -> new Window());
    }

    private static final class Window {
        long decisions;
        double reward;
        double expected;
        double oracle;
        double uniform;
        long explored;
        long modelVersion;
        double regretAtEnd;
        long eventsSent;
        long[] latencies = new long[64];
        int latencyCount;
        long closedP50 = -1;
        long closedP99 = -1;
    }
}
