package dev.loopline.envs.motor;

import static dev.loopline.envs.ConfigChecks.inRange;
import static dev.loopline.envs.ConfigChecks.notNull;

import dev.loopline.envs.DelayModel;
import dev.loopline.envs.control.ControlDelays;

/**
 * Configuration of the {@link DcMotorSimulator}. Immutable; validated on construction.
 *
 * @param seed                       seed of every random draw (trajectories and outcomes)
 * @param motors                     number of motors (entities {@code motor-00} ...), 1..1000; default 4
 * @param voltageLevels              number of voltage levels (actions), odd, 3..41; default 9
 * @param maxVoltage                 supply voltage, V; the levels are evenly spaced in
 *                                   [-maxVoltage, maxVoltage], [6, 48]; default 24
 * @param maxReferenceSpeed          speed references are drawn uniformly in
 *                                   [-maxReferenceSpeed, maxReferenceSpeed] rad/s, (0, 220]; default 180
 * @param referenceChangeProbability per control period (10 ms), probability of a new speed reference,
 *                                   [0, 1]; default 0.01 (a new reference every second on average)
 * @param loadTorque                 load torque before the drift, N·m, hoist-like (it always opposes
 *                                   positive speed), [0, 1]; default 0.05
 * @param loadNoise                  standard deviation of the load fluctuation that acts on the
 *                                   trajectory between events, N·m, [0, 0.5]; default 0.02
 * @param driftAfterMillis           event time after the first event at which the load changes;
 *                                   default 30000; 0 or less disables the drift
 * @param loadStep                   load torque added at the drift, N·m, [-1, 1]; default 0.3
 * @param behaviourEpsilon           probability that the trajectory's behaviour controller applies a
 *                                   random voltage level instead of the expert's, [0, 1]; default 0.2
 * @param rewardNoise                half-width bound of the zero-mean outcome noise, [0, 0.5];
 *                                   default 0.05
 * @param delays                     when outcomes are reported; default {@link ControlDelays#TELEMETRY}
 */
public record DcMotorConfig(
        long seed,
        int motors,
        int voltageLevels,
        double maxVoltage,
        double maxReferenceSpeed,
        double referenceChangeProbability,
        double loadTorque,
        double loadNoise,
        long driftAfterMillis,
        double loadStep,
        double behaviourEpsilon,
        double rewardNoise,
        DelayModel delays) {

    public static final int DEFAULT_MOTORS = 4;
    public static final int DEFAULT_VOLTAGE_LEVELS = 9;
    public static final double DEFAULT_MAX_VOLTAGE = 24.0;
    public static final double DEFAULT_MAX_REFERENCE_SPEED = 180.0;
    public static final double DEFAULT_REFERENCE_CHANGE_PROBABILITY = 0.01;
    public static final double DEFAULT_LOAD_TORQUE = 0.05;
    public static final double DEFAULT_LOAD_NOISE = 0.02;
    public static final long DEFAULT_DRIFT_AFTER_MILLIS = 30_000;
    public static final double DEFAULT_LOAD_STEP = 0.3;
    public static final double DEFAULT_BEHAVIOUR_EPSILON = 0.2;
    public static final double DEFAULT_REWARD_NOISE = 0.05;

    public DcMotorConfig {
        inRange("motors", motors, 1, 1000, "use the default " + DEFAULT_MOTORS);
        inRange("voltageLevels", voltageLevels, 3, 41, "use an odd count such as " + DEFAULT_VOLTAGE_LEVELS);
        if (voltageLevels % 2 == 0) {
            throw new IllegalArgumentException("voltageLevels " + voltageLevels
                    + " is even; use an odd count so that 0 V is a level, e.g. " + DEFAULT_VOLTAGE_LEVELS);
        }
        inRange("maxVoltage", maxVoltage, 6, 48, "give the supply voltage in V, e.g. " + DEFAULT_MAX_VOLTAGE);
        if (!(maxReferenceSpeed > 0 && maxReferenceSpeed <= 220)) {
            throw new IllegalArgumentException("maxReferenceSpeed " + maxReferenceSpeed
                    + " rad/s is outside (0, 220]; the motor reaches about 240 rad/s at 24 V, use e.g. "
                    + DEFAULT_MAX_REFERENCE_SPEED);
        }
        inRange("referenceChangeProbability", referenceChangeProbability, 0, 1,
                "give a probability per 10 ms period, e.g. " + DEFAULT_REFERENCE_CHANGE_PROBABILITY);
        inRange("loadTorque", loadTorque, 0, 1, "give N·m, e.g. " + DEFAULT_LOAD_TORQUE);
        inRange("loadNoise", loadNoise, 0, 0.5, "give N·m, e.g. " + DEFAULT_LOAD_NOISE);
        inRange("loadStep", loadStep, -1, 1, "give N·m, e.g. " + DEFAULT_LOAD_STEP);
        inRange("behaviourEpsilon", behaviourEpsilon, 0, 1, "give a probability, e.g. " + DEFAULT_BEHAVIOUR_EPSILON);
        inRange("rewardNoise", rewardNoise, 0, 0.5, "use e.g. " + DEFAULT_REWARD_NOISE + " (0 = exact rewards)");
        notNull("delays", delays, "use ControlDelays.TELEMETRY");
    }

    /** The defaults above with the given seed. */
    public static DcMotorConfig defaults(long seed) {
        return new DcMotorConfig(seed, DEFAULT_MOTORS, DEFAULT_VOLTAGE_LEVELS, DEFAULT_MAX_VOLTAGE,
                DEFAULT_MAX_REFERENCE_SPEED, DEFAULT_REFERENCE_CHANGE_PROBABILITY, DEFAULT_LOAD_TORQUE,
                DEFAULT_LOAD_NOISE, DEFAULT_DRIFT_AFTER_MILLIS, DEFAULT_LOAD_STEP, DEFAULT_BEHAVIOUR_EPSILON,
                DEFAULT_REWARD_NOISE, ControlDelays.TELEMETRY);
    }

    public DcMotorConfig withMotors(int value) {
        return new DcMotorConfig(seed, value, voltageLevels, maxVoltage, maxReferenceSpeed,
                referenceChangeProbability, loadTorque, loadNoise, driftAfterMillis, loadStep, behaviourEpsilon,
                rewardNoise, delays);
    }

    public DcMotorConfig withVoltageLevels(int count, double max) {
        return new DcMotorConfig(seed, motors, count, max, maxReferenceSpeed, referenceChangeProbability,
                loadTorque, loadNoise, driftAfterMillis, loadStep, behaviourEpsilon, rewardNoise, delays);
    }

    public DcMotorConfig withReferences(double maxSpeed, double changeProbability) {
        return new DcMotorConfig(seed, motors, voltageLevels, maxVoltage, maxSpeed, changeProbability,
                loadTorque, loadNoise, driftAfterMillis, loadStep, behaviourEpsilon, rewardNoise, delays);
    }

    public DcMotorConfig withLoad(double torque, double noise) {
        return new DcMotorConfig(seed, motors, voltageLevels, maxVoltage, maxReferenceSpeed,
                referenceChangeProbability, torque, noise, driftAfterMillis, loadStep, behaviourEpsilon,
                rewardNoise, delays);
    }

    public DcMotorConfig withDrift(long afterMillis, double step) {
        return new DcMotorConfig(seed, motors, voltageLevels, maxVoltage, maxReferenceSpeed,
                referenceChangeProbability, loadTorque, loadNoise, afterMillis, step, behaviourEpsilon,
                rewardNoise, delays);
    }

    /** Disables the drift. */
    public DcMotorConfig withoutDrift() {
        return withDrift(0, loadStep);
    }

    public DcMotorConfig withBehaviourEpsilon(double value) {
        return new DcMotorConfig(seed, motors, voltageLevels, maxVoltage, maxReferenceSpeed,
                referenceChangeProbability, loadTorque, loadNoise, driftAfterMillis, loadStep, value,
                rewardNoise, delays);
    }

    public DcMotorConfig withRewardNoise(double value) {
        return new DcMotorConfig(seed, motors, voltageLevels, maxVoltage, maxReferenceSpeed,
                referenceChangeProbability, loadTorque, loadNoise, driftAfterMillis, loadStep, behaviourEpsilon,
                value, delays);
    }

    public DcMotorConfig withDelays(DelayModel value) {
        return new DcMotorConfig(seed, motors, voltageLevels, maxVoltage, maxReferenceSpeed,
                referenceChangeProbability, loadTorque, loadNoise, driftAfterMillis, loadStep, behaviourEpsilon,
                rewardNoise, value);
    }
}
