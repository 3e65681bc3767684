package dev.loopline.envs.stats;

/**
 * One wall-clock second of a run, by the second in which decisions were read.
 *
 * @param windowStartMillis   start of the second, epoch ms
 * @param decisions           first-seen decisions read in the window
 * @param meanReward          mean realized reward of those decisions (NaN when none)
 * @param meanExpectedReward  mean oracle expected reward of the chosen actions
 * @param meanOracle          mean best oracle expected reward
 * @param meanUniform         mean of the oracle over the offered actions (a uniform random policy)
 * @param cumulativeRegret    cumulative regret of the run at the end of the window
 * @param exploredShare       share of decisions flagged explored
 * @param latencyP50          median decision latency in the window, ms (-1 when none known)
 * @param latencyP99          99th percentile decision latency in the window, ms (-1 when none known)
 * @param modelVersion        highest model version seen in the window (0 when none)
 * @param eventsSent          good context events acknowledged by the broker in the window
 */
public record WindowPoint(
        long windowStartMillis,
        long decisions,
        double meanReward,
        double meanExpectedReward,
        double meanOracle,
        double meanUniform,
        double cumulativeRegret,
        double exploredShare,
        long latencyP50,
        long latencyP99,
        long modelVersion,
        long eventsSent) {}
