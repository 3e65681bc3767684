package dev.loopline.envs.robot;

import static dev.loopline.envs.ConfigChecks.inRange;
import static dev.loopline.envs.ConfigChecks.notNull;

import dev.loopline.envs.DelayModel;
import dev.loopline.envs.control.ControlDelays;

/**
 * Configuration of the {@link CartPoleSimulator}. Immutable; validated on construction.
 *
 * @param seed                    seed of every random draw (trajectories and outcomes)
 * @param robots                  number of cart-pole robots (entities {@code robot-00} ...), 1..1000;
 *                                default 4
 * @param forceLevels             number of force levels (actions), odd, 3..21; default 5
 * @param maxForce                largest force level in N, the levels are evenly spaced in
 *                                [-maxForce, maxForce], (0, 50]; default 10
 * @param pushProbability         per control period, probability of a push on the pole, [0, 1];
 *                                default 0.03
 * @param pushStd                 standard deviation of a push, as a change of the pole's angular
 *                                velocity in rad/s, [0, 5]; default 0.5
 * @param targetChangeProbability per control period, probability that the target cart position jumps
 *                                to a new value uniform in [-1, 1] m, [0, 1]; default 0.01
 * @param driftAfterMillis        event time after the first event at which the drive wears; default
 *                                30000; 0 or less disables the drift
 * @param forceGainAfterDrift     share of the commanded force the worn drive delivers after the drift,
 *                                [0.1, 1]; default 0.5
 * @param behaviourEpsilon        probability that the trajectory's behaviour controller applies a random
 *                                force level instead of the expert's, [0, 1]; default 0.2
 * @param rewardNoise             half-width bound of the zero-mean outcome noise, [0, 0.5]; default 0.05
 * @param delays                  when outcomes are reported; default {@link ControlDelays#TELEMETRY}
 */
public record CartPoleConfig(
        long seed,
        int robots,
        int forceLevels,
        double maxForce,
        double pushProbability,
        double pushStd,
        double targetChangeProbability,
        long driftAfterMillis,
        double forceGainAfterDrift,
        double behaviourEpsilon,
        double rewardNoise,
        DelayModel delays) {

    public static final int DEFAULT_ROBOTS = 4;
    public static final int DEFAULT_FORCE_LEVELS = 5;
    public static final double DEFAULT_MAX_FORCE = 10.0;
    public static final double DEFAULT_PUSH_PROBABILITY = 0.03;
    public static final double DEFAULT_PUSH_STD = 0.5;
    public static final double DEFAULT_TARGET_CHANGE_PROBABILITY = 0.01;
    public static final long DEFAULT_DRIFT_AFTER_MILLIS = 30_000;
    public static final double DEFAULT_FORCE_GAIN_AFTER_DRIFT = 0.5;
    public static final double DEFAULT_BEHAVIOUR_EPSILON = 0.2;
    public static final double DEFAULT_REWARD_NOISE = 0.05;

    public CartPoleConfig {
        inRange("robots", robots, 1, 1000, "use the default " + DEFAULT_ROBOTS);
        inRange("forceLevels", forceLevels, 3, 21, "use an odd count such as " + DEFAULT_FORCE_LEVELS);
        if (forceLevels % 2 == 0) {
            throw new IllegalArgumentException("forceLevels " + forceLevels
                    + " is even; use an odd count so that 0 N is a level, e.g. " + DEFAULT_FORCE_LEVELS);
        }
        if (!(maxForce > 0 && maxForce <= 50)) {
            throw new IllegalArgumentException("maxForce " + maxForce + " N is outside (0, 50]; use e.g. "
                    + DEFAULT_MAX_FORCE);
        }
        inRange("pushProbability", pushProbability, 0, 1, "give a probability, e.g. " + DEFAULT_PUSH_PROBABILITY);
        inRange("pushStd", pushStd, 0, 5, "give rad/s, e.g. " + DEFAULT_PUSH_STD);
        inRange("targetChangeProbability", targetChangeProbability, 0, 1,
                "give a probability, e.g. " + DEFAULT_TARGET_CHANGE_PROBABILITY);
        inRange("forceGainAfterDrift", forceGainAfterDrift, 0.1, 1,
                "use e.g. " + DEFAULT_FORCE_GAIN_AFTER_DRIFT + " (1 = no change)");
        inRange("behaviourEpsilon", behaviourEpsilon, 0, 1, "give a probability, e.g. " + DEFAULT_BEHAVIOUR_EPSILON);
        inRange("rewardNoise", rewardNoise, 0, 0.5, "use e.g. " + DEFAULT_REWARD_NOISE + " (0 = exact rewards)");
        notNull("delays", delays, "use ControlDelays.TELEMETRY");
    }

    /** The defaults above with the given seed. */
    public static CartPoleConfig defaults(long seed) {
        return new CartPoleConfig(seed, DEFAULT_ROBOTS, DEFAULT_FORCE_LEVELS, DEFAULT_MAX_FORCE,
                DEFAULT_PUSH_PROBABILITY, DEFAULT_PUSH_STD, DEFAULT_TARGET_CHANGE_PROBABILITY,
                DEFAULT_DRIFT_AFTER_MILLIS, DEFAULT_FORCE_GAIN_AFTER_DRIFT, DEFAULT_BEHAVIOUR_EPSILON,
                DEFAULT_REWARD_NOISE, ControlDelays.TELEMETRY);
    }

    public CartPoleConfig withRobots(int value) {
        return new CartPoleConfig(seed, value, forceLevels, maxForce, pushProbability, pushStd,
                targetChangeProbability, driftAfterMillis, forceGainAfterDrift, behaviourEpsilon, rewardNoise, delays);
    }

    public CartPoleConfig withForceLevels(int count, double max) {
        return new CartPoleConfig(seed, robots, count, max, pushProbability, pushStd,
                targetChangeProbability, driftAfterMillis, forceGainAfterDrift, behaviourEpsilon, rewardNoise, delays);
    }

    public CartPoleConfig withDisturbances(double pushProb, double pushStdRadPerSecond, double targetChangeProb) {
        return new CartPoleConfig(seed, robots, forceLevels, maxForce, pushProb, pushStdRadPerSecond,
                targetChangeProb, driftAfterMillis, forceGainAfterDrift, behaviourEpsilon, rewardNoise, delays);
    }

    public CartPoleConfig withDrift(long afterMillis, double forceGain) {
        return new CartPoleConfig(seed, robots, forceLevels, maxForce, pushProbability, pushStd,
                targetChangeProbability, afterMillis, forceGain, behaviourEpsilon, rewardNoise, delays);
    }

    /** Disables the drift. */
    public CartPoleConfig withoutDrift() {
        return withDrift(0, forceGainAfterDrift);
    }

    public CartPoleConfig withBehaviourEpsilon(double value) {
        return new CartPoleConfig(seed, robots, forceLevels, maxForce, pushProbability, pushStd,
                targetChangeProbability, driftAfterMillis, forceGainAfterDrift, value, rewardNoise, delays);
    }

    public CartPoleConfig withRewardNoise(double value) {
        return new CartPoleConfig(seed, robots, forceLevels, maxForce, pushProbability, pushStd,
                targetChangeProbability, driftAfterMillis, forceGainAfterDrift, behaviourEpsilon, value, delays);
    }

    public CartPoleConfig withDelays(DelayModel value) {
        return new CartPoleConfig(seed, robots, forceLevels, maxForce, pushProbability, pushStd,
                targetChangeProbability, driftAfterMillis, forceGainAfterDrift, behaviourEpsilon, rewardNoise, value);
    }
}
