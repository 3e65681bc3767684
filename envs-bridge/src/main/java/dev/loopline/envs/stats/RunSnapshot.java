package dev.loopline.envs.stats;

import java.util.Map;
import java.util.Set;

/**
 * An immutable view of a run's statistics at one moment.
 *
 * @param takenAtMillis               wall-clock time of the snapshot
 * @param contextEvents               good context events acknowledged by the broker
 * @param contextSendErrors           good context events the producer failed to send
 * @param badRecordsSent              bad records acknowledged by the broker (context or feedback topic)
 * @param inFlight                    good context events sent (or being sent) without a decision yet
 * @param decisions                   decision records read (duplicates and unknown ids included)
 * @param uniqueDecisionIds           first-seen decisions for events of this run
 * @param duplicateDecisions          decision records whose decisionId was already seen
 * @param unknownDecisions            decision records for an event id this run never sent
 * @param undecodableDecisions        decision records that failed to decode
 * @param invalidActions              first-seen decisions whose action was not offered (counted with
 *                                    expected and realized reward 0)
 * @param feedbackSent                feedback records acknowledged by the broker
 * @param feedbackSendErrors          feedback records the producer failed to send
 * @param feedbackNeverDelivered      outcomes the environment never reports (lost feedback)
 * @param feedbackPending             feedback scheduled and not yet sent
 * @param feedbackAbandonedAtShutdown feedback dropped at shutdown because it was due beyond the flush
 *                                    horizon or the runner closed first
 * @param realizedRewardSum           sum of realized rewards of first-seen decisions
 * @param expectedRewardSum           sum of the oracle expected reward of the chosen actions
 * @param oracleBestSum               sum of the best oracle expected reward
 * @param uniformMeanSum              sum of the mean oracle expected reward over the offered actions
 * @param exploredCount               first-seen decisions flagged explored
 * @param cumulativeRegret            sum of (best - expected of chosen)
 * @param latencyCount                decisions with a known latency
 * @param latencyP50Millis            median decision latency, ms (-1 when none)
 * @param latencyP99Millis            99th percentile decision latency, ms (-1 when none)
 * @param latencyMaxMillis            largest decision latency, ms
 * @param modelVersions               model versions &gt; 0 seen, each with the wall-clock ms it was first
 *                                    seen, in order of appearance
 * @param policies                    policy names seen, in order of appearance
 * @param modelVersionFirstDecisionAppend for each model version, the earliest broker append time of a
 *                                    decision stamped with it (epoch ms)
 */
public record RunSnapshot(
        long takenAtMillis,
        long contextEvents,
        long contextSendErrors,
        long badRecordsSent,
        long inFlight,
        long decisions,
        long uniqueDecisionIds,
        long duplicateDecisions,
        long unknownDecisions,
        long undecodableDecisions,
        long invalidActions,
        long feedbackSent,
        long feedbackSendErrors,
        long feedbackNeverDelivered,
        long feedbackPending,
        long feedbackAbandonedAtShutdown,
        double realizedRewardSum,
        double expectedRewardSum,
        double oracleBestSum,
        double uniformMeanSum,
        long exploredCount,
        double cumulativeRegret,
        long latencyCount,
        long latencyP50Millis,
        long latencyP99Millis,
        long latencyMaxMillis,
        Map<Long, Long> modelVersions,
        Set<String> policies,
        Map<Long, Long> modelVersionFirstDecisionAppend) {

    public RunSnapshot {
        modelVersions = Map.copyOf(modelVersions);
        policies = Set.copyOf(policies);
        modelVersionFirstDecisionAppend = Map.copyOf(modelVersionFirstDecisionAppend);
    }

    public double meanReward() {
        return mean(realizedRewardSum);
    }

    public double meanExpectedReward() {
        return mean(expectedRewardSum);
    }

    public double meanOracle() {
        return mean(oracleBestSum);
    }

    public double meanUniform() {
        return mean(uniformMeanSum);
    }

    public double exploredShare() {
        return mean(exploredCount);
    }

    private double mean(double sum) {
        return uniqueDecisionIds == 0 ? Double.NaN : sum / uniqueDecisionIds;
    }
}
