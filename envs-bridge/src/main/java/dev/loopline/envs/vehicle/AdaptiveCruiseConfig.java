package dev.loopline.envs.vehicle;

import static dev.loopline.envs.ConfigChecks.inRange;
import static dev.loopline.envs.ConfigChecks.notNull;

import dev.loopline.envs.DelayModel;
import dev.loopline.envs.control.ControlDelays;

/**
 * Configuration of the {@link AdaptiveCruiseSimulator}. Immutable; validated on construction.
 *
 * @param seed                 seed of every random draw (trajectories and outcomes)
 * @param vehicles             number of ego vehicles (entities {@code vehicle-00} ...), 1..1000; default 4
 * @param maxSetSpeed          each vehicle's set speed is drawn in [0.8, 1] &times; maxSetSpeed, m/s,
 *                             [10, 45]; default 33 (about 120 km/h)
 * @param desiredHeadway       the time headway, s, at which the reward's safety term is full, before the
 *                             drift, [0.8, 4]; default 1.5
 * @param hardBrakeProbability per control period (0.2 s), probability that the lead vehicle brakes hard
 *                             (-6 m/s^2 for 1 to 3 s), [0, 0.1]; default 0.004
 * @param cutInProbability     per control period, probability that another vehicle cuts in between ego
 *                             and lead (the gap drops to 30–60 %), [0, 0.1]; default 0.003
 * @param driftAfterMillis     event time after the first event at which it starts to rain; default
 *                             30000; 0 or less disables the drift
 * @param wetHeadway           the desired headway, s, after the drift, [0.8, 6]; default 2.5
 * @param wetMaxDeceleration   the strongest deceleration the tyres deliver after the drift, m/s^2,
 *                             [1, 8]; default 4 (dry: every level is delivered)
 * @param behaviourEpsilon     probability that the trajectory's behaviour controller applies a random
 *                             acceleration level instead of the expert's, [0, 1]; default 0.2
 * @param rewardNoise          half-width bound of the zero-mean outcome noise, [0, 0.5]; default 0.05
 * @param delays               when outcomes are reported; default {@link ControlDelays#TELEMETRY}
 */
public record AdaptiveCruiseConfig(
        long seed,
        int vehicles,
        double maxSetSpeed,
        double desiredHeadway,
        double hardBrakeProbability,
        double cutInProbability,
        long driftAfterMillis,
        double wetHeadway,
        double wetMaxDeceleration,
        double behaviourEpsilon,
        double rewardNoise,
        DelayModel delays) {

    public static final int DEFAULT_VEHICLES = 4;
    public static final double DEFAULT_MAX_SET_SPEED = 33.0;
    public static final double DEFAULT_DESIRED_HEADWAY = 1.5;
    public static final double DEFAULT_HARD_BRAKE_PROBABILITY = 0.004;
    public static final double DEFAULT_CUT_IN_PROBABILITY = 0.003;
    public static final long DEFAULT_DRIFT_AFTER_MILLIS = 30_000;
    public static final double DEFAULT_WET_HEADWAY = 2.5;
    public static final double DEFAULT_WET_MAX_DECELERATION = 4.0;
    public static final double DEFAULT_BEHAVIOUR_EPSILON = 0.2;
    public static final double DEFAULT_REWARD_NOISE = 0.05;

    public AdaptiveCruiseConfig {
        inRange("vehicles", vehicles, 1, 1000, "use the default " + DEFAULT_VEHICLES);
        inRange("maxSetSpeed", maxSetSpeed, 10, 45, "give m/s, e.g. " + DEFAULT_MAX_SET_SPEED);
        inRange("desiredHeadway", desiredHeadway, 0.8, 4, "give seconds, e.g. " + DEFAULT_DESIRED_HEADWAY);
        inRange("hardBrakeProbability", hardBrakeProbability, 0, 0.1,
                "give a probability per 0.2 s period, e.g. " + DEFAULT_HARD_BRAKE_PROBABILITY);
        inRange("cutInProbability", cutInProbability, 0, 0.1,
                "give a probability per 0.2 s period, e.g. " + DEFAULT_CUT_IN_PROBABILITY);
        inRange("wetHeadway", wetHeadway, 0.8, 6, "give seconds, e.g. " + DEFAULT_WET_HEADWAY);
        inRange("wetMaxDeceleration", wetMaxDeceleration, 1, 8, "give m/s^2, e.g. " + DEFAULT_WET_MAX_DECELERATION);
        inRange("behaviourEpsilon", behaviourEpsilon, 0, 1, "give a probability, e.g. " + DEFAULT_BEHAVIOUR_EPSILON);
        inRange("rewardNoise", rewardNoise, 0, 0.5, "use e.g. " + DEFAULT_REWARD_NOISE + " (0 = exact rewards)");
        notNull("delays", delays, "use ControlDelays.TELEMETRY");
    }

    /** The defaults above with the given seed. */
    public static AdaptiveCruiseConfig defaults(long seed) {
        return new AdaptiveCruiseConfig(seed, DEFAULT_VEHICLES, DEFAULT_MAX_SET_SPEED, DEFAULT_DESIRED_HEADWAY,
                DEFAULT_HARD_BRAKE_PROBABILITY, DEFAULT_CUT_IN_PROBABILITY, DEFAULT_DRIFT_AFTER_MILLIS,
                DEFAULT_WET_HEADWAY, DEFAULT_WET_MAX_DECELERATION, DEFAULT_BEHAVIOUR_EPSILON,
                DEFAULT_REWARD_NOISE, ControlDelays.TELEMETRY);
    }

    public AdaptiveCruiseConfig withVehicles(int value) {
        return new AdaptiveCruiseConfig(seed, value, maxSetSpeed, desiredHeadway, hardBrakeProbability,
                cutInProbability, driftAfterMillis, wetHeadway, wetMaxDeceleration, behaviourEpsilon,
                rewardNoise, delays);
    }

    public AdaptiveCruiseConfig withTraffic(double hardBrakeProb, double cutInProb) {
        return new AdaptiveCruiseConfig(seed, vehicles, maxSetSpeed, desiredHeadway, hardBrakeProb,
                cutInProb, driftAfterMillis, wetHeadway, wetMaxDeceleration, behaviourEpsilon, rewardNoise,
                delays);
    }

    public AdaptiveCruiseConfig withDrift(long afterMillis, double headway, double maxDeceleration) {
        return new AdaptiveCruiseConfig(seed, vehicles, maxSetSpeed, desiredHeadway, hardBrakeProbability,
                cutInProbability, afterMillis, headway, maxDeceleration, behaviourEpsilon, rewardNoise, delays);
    }

    /** Disables the drift. */
    public AdaptiveCruiseConfig withoutDrift() {
        return withDrift(0, wetHeadway, wetMaxDeceleration);
    }

    public AdaptiveCruiseConfig withBehaviourEpsilon(double value) {
        return new AdaptiveCruiseConfig(seed, vehicles, maxSetSpeed, desiredHeadway, hardBrakeProbability,
                cutInProbability, driftAfterMillis, wetHeadway, wetMaxDeceleration, value, rewardNoise, delays);
    }

    public AdaptiveCruiseConfig withRewardNoise(double value) {
        return new AdaptiveCruiseConfig(seed, vehicles, maxSetSpeed, desiredHeadway, hardBrakeProbability,
                cutInProbability, driftAfterMillis, wetHeadway, wetMaxDeceleration, behaviourEpsilon, value,
                delays);
    }

    public AdaptiveCruiseConfig withDelays(DelayModel value) {
        return new AdaptiveCruiseConfig(seed, vehicles, maxSetSpeed, desiredHeadway, hardBrakeProbability,
                cutInProbability, driftAfterMillis, wetHeadway, wetMaxDeceleration, behaviourEpsilon,
                rewardNoise, value);
    }
}
