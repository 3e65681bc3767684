package dev.loopline.envs;

/**
 * The realized result of one decision.
 *
 * @param reward      realized reward in [0, 1]
 * @param delayMillis how long after the decision the environment reports the reward (0 or more;
 *                    meaningless when {@code delivered} is false)
 * @param delivered   false when the feedback is lost and never reported
 */
public record Outcome(double reward, long delayMillis, boolean delivered) {
    public Outcome {
        if (!(reward >= 0.0 && reward <= 1.0)) {
            throw new IllegalArgumentException("reward " + reward + " is outside [0, 1]; an environment must clamp its rewards");
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis " + delayMillis + " is negative; use 0 for an immediate report");
        }
    }
}
