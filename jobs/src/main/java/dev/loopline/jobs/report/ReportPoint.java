package dev.loopline.jobs.report;

/**
 * One sample of the demo run for the HTML report, normally one per second of the run.
 *
 * @param timeMillis        epoch milliseconds of the sample
 * @param decisions         decisions counted for this sample
 * @param meanReward        realized mean reward of the policy in this second
 * @param meanOracle        mean reward the oracle (best arm per context) would have earned
 * @param meanUniform       mean reward a uniform-random policy would have earned
 * @param cumulativeRegret  cumulative regret against the oracle up to this point
 * @param exploredShare     share of decisions that were exploratory, in [0, 1]
 * @param latencyP50Millis  median decision latency in milliseconds
 * @param latencyP99Millis  99th percentile decision latency in milliseconds
 * @param modelVersion      model version in use at this point
 * @param eventsPerSecond   throughput, decisions per second
 */
public record ReportPoint(
        long timeMillis,
        long decisions,
        double meanReward,
        double meanOracle,
        double meanUniform,
        double cumulativeRegret,
        double exploredShare,
        double latencyP50Millis,
        double latencyP99Millis,
        long modelVersion,
        double eventsPerSecond) {
}
