package dev.loopline.envs.motor;

import dev.loopline.envs.control.ControlSimulator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Speed control of a separately excited DC motor with discrete voltage levels, in the spirit of
 * gym-electric-motor's discrete DC speed-control tasks, played as a contextual bandit (see
 * {@link ControlSimulator} for how a control task becomes a bandit, the outcome noise and the threading
 * rules).
 *
 * <h2>Plant</h2>
 * Armature circuit and shaft: L di/dt = u - R i - K &omega;, J d&omega;/dt = K i - b &omega; - T_L,
 * with R = 1 &Omega;, L = 5 mH, K = 0.1 V·s/rad (= N·m/A), J = 0.002 kg·m^2, b = 0.0005 N·m·s/rad;
 * electrical time constant 5 ms, mechanical about 0.2 s, no-load speed 240 rad/s at 24 V. Control period
 * 10 ms, integrated with four RK4 substeps of 2.5 ms. The load T_L is hoist-like: a constant torque
 * against positive rotation.
 *
 * <h2>State (context features)</h2>
 * Entities {@code motor-00} ...; features, scaled to about [-1, 1]: {@code speed} (&omega; / 250 rad/s),
 * {@code current} (i / 40 A), {@code reference} (&omega;* / 250 rad/s), {@code speed_error}
 * ((&omega;* - &omega;) / 250 rad/s), {@code error_integral} (the PI expert's integrator, as the share
 * of the supply voltage it contributes, in [-1, 1]: drive telemetry exposes it like any other
 * controller state).
 *
 * <h2>Actions</h2>
 * {@code voltage-0} .. {@code voltage-(n-1)}: armature voltages evenly spaced in
 * [-maxVoltage, maxVoltage] (default 9 levels, 6 V apart); action feature {@code level} =
 * voltage / maxVoltage. All are offered in every event.
 *
 * <h2>Reward</h2>
 * The scored step applies the chosen voltage for one control period from the recorded state
 * (noise-free, with the current nominal load), then predicts the speed 20 ms later from the speed and
 * the acceleration the shaft has at the end of the step: &omega;^ = &omega;' + 0.02 s &middot;
 * d&omega;'/dt. The reward is exp(-|&omega;* - &omega;^| / 20 rad/s): 1 on target, 0.61 at 10 rad/s,
 * 0.08 at 50 rad/s. The look-ahead makes the current's momentum count, not only the speed change of one
 * period. {@code oracleRewards} holds this reward for every voltage level.
 *
 * <h2>Expert</h2>
 * A PI speed controller with back-EMF feed-forward and conditional-integration anti-windup:
 * u = K &omega;* + 0.4 e + 2.0 &int;e dt (gains by pole-zero cancellation for a 50 ms closed-loop time
 * constant), rounded to the nearest level; its integrator is the {@code error_integral} feature. It
 * does not know the load. The trajectory's behaviour controller is this expert with probability
 * 1 - {@code behaviourEpsilon}, a random level otherwise.
 *
 * <h2>Disturbances</h2>
 * Speed references jump ({@code referenceChangeProbability}) and the load fluctuates around its nominal
 * value ({@code loadNoise}, a mean-reverting process with a 0.2 s time constant) between events.
 *
 * <h2>Delay</h2>
 * From {@link DcMotorConfig#delays()} (by default telemetry-like, mostly within 250 ms).
 *
 * <h2>Drift</h2>
 * From {@code driftAfterMillis} on, the nominal load changes by {@code loadStep} (default +0.3 N·m, a
 * heavier hoist). Holding a speed then needs 3 A, about 3 V, more: for the same telemetry, the oracle's
 * best voltage goes up in about half of the states and down in none (measured in the unit test).
 * The expert's integrator has to absorb the change.
 */
public final class DcMotorSimulator extends ControlSimulator {

    public static final String NAME = "motor";

    public static final String SPEED = "speed";
    public static final String CURRENT = "current";
    public static final String REFERENCE = "reference";
    public static final String SPEED_ERROR = "speed_error";
    public static final String ERROR_INTEGRAL = "error_integral";

    public static final double RESISTANCE = 1.0;
    public static final double INDUCTANCE = 0.005;
    public static final double MOTOR_CONSTANT = 0.1;
    public static final double INERTIA = 0.002;
    public static final double FRICTION = 0.0005;
    public static final double CONTROL_PERIOD = 0.01;
    public static final int SUBSTEPS = 4;
    public static final double LOOK_AHEAD = 0.02;
    public static final double ERROR_SCALE = 20.0;
    public static final double PROPORTIONAL_GAIN = 0.4;
    public static final double INTEGRAL_GAIN = 2.0;
    public static final double LOAD_TIME_CONSTANT = 0.2;

    private static final double SPEED_SCALE = 250.0;
    private static final double CURRENT_SCALE = 40.0;
    private static final List<String> FEATURES = List.of(SPEED, CURRENT, REFERENCE, SPEED_ERROR, ERROR_INTEGRAL);

    // state layout
    private static final int OMEGA = 0;
    private static final int CURRENT_I = 1;
    private static final int REF = 2;
    private static final int INTEGRAL = 3;
    private static final int LOAD_DEVIATION = 4; // trajectory only, not observed

    private final DcMotorConfig config;

    public DcMotorSimulator(DcMotorConfig config) {
        super(NAME, "motor", config.motors(), "voltage",
                symmetricLevels(config.voltageLevels(), config.maxVoltage()), "V", config.seed(),
                config.behaviourEpsilon(), config.rewardNoise(), config.driftAfterMillis(), config.delays());
        this.config = config;
    }

    public DcMotorConfig config() {
        return config;
    }

    @Override
    public List<String> contextFeatureNames() {
        return FEATURES;
    }

    /** The nominal load torque, N·m, before or after the drift. */
    public double nominalLoad(boolean drifted) {
        return config.loadTorque() + (drifted ? config.loadStep() : 0.0);
    }

    @Override
    protected double[] initialState(SplittableRandom r) {
        double[] s = new double[5];
        s[REF] = reference(r);
        s[OMEGA] = s[REF] + 20 * r.nextGaussian();
        s[CURRENT_I] = config.loadTorque() / MOTOR_CONSTANT;
        return s;
    }

    private double reference(SplittableRandom r) {
        return config.maxReferenceSpeed() * (2 * r.nextDouble() - 1);
    }

    @Override
    protected void advance(double[] s, int action, SplittableRandom r, boolean drifted) {
        double load = nominalLoad(drifted) + s[LOAD_DEVIATION];
        step(s, actionValue(action), load);
        double decay = Math.exp(-CONTROL_PERIOD / LOAD_TIME_CONSTANT);
        s[LOAD_DEVIATION] = decay * s[LOAD_DEVIATION]
                + config.loadNoise() * Math.sqrt(1 - decay * decay) * r.nextGaussian();
        // the expert's integrator sees the new error (conditional integration: hold when saturated
        // and the error would push further into saturation)
        double e = s[REF] - s[OMEGA];
        double unclamped = piVoltage(s[REF], e, s[INTEGRAL] + e * CONTROL_PERIOD);
        if (Math.abs(unclamped) < config.maxVoltage() || Math.signum(e) != Math.signum(unclamped)) {
            s[INTEGRAL] += e * CONTROL_PERIOD;
        }
        double limit = config.maxVoltage() / INTEGRAL_GAIN;
        s[INTEGRAL] = clamp(s[INTEGRAL], -limit, limit);
        if (r.nextDouble() < config.referenceChangeProbability()) {
            s[REF] = reference(r);
        }
    }

    @Override
    protected void writeFeatures(double[] s, Map<String, Double> f) {
        f.put(SPEED, s[OMEGA] / SPEED_SCALE);
        f.put(CURRENT, s[CURRENT_I] / CURRENT_SCALE);
        f.put(REFERENCE, s[REF] / SPEED_SCALE);
        f.put(SPEED_ERROR, (s[REF] - s[OMEGA]) / SPEED_SCALE);
        f.put(ERROR_INTEGRAL, s[INTEGRAL] * INTEGRAL_GAIN / config.maxVoltage());
    }

    @Override
    protected double[] state(Map<String, Double> f) {
        return new double[] {
            feature(f, SPEED) * SPEED_SCALE,
            feature(f, CURRENT) * CURRENT_SCALE,
            feature(f, REFERENCE) * SPEED_SCALE,
            feature(f, ERROR_INTEGRAL) * config.maxVoltage() / INTEGRAL_GAIN,
            0.0,
        };
    }

    @Override
    protected double reward(double[] state, int action, boolean drifted) {
        double[] s = state.clone();
        double load = nominalLoad(drifted);
        step(s, actionValue(action), load);
        double acceleration = (MOTOR_CONSTANT * s[CURRENT_I] - FRICTION * s[OMEGA] - load) / INERTIA;
        double predicted = s[OMEGA] + LOOK_AHEAD * acceleration;
        return Math.exp(-Math.abs(s[REF] - predicted) / ERROR_SCALE);
    }

    @Override
    protected int expert(double[] s) {
        double e = s[REF] - s[OMEGA];
        return nearestLevel(piVoltage(s[REF], e, s[INTEGRAL]));
    }

    private static double piVoltage(double reference, double error, double integral) {
        return MOTOR_CONSTANT * reference + PROPORTIONAL_GAIN * error + INTEGRAL_GAIN * integral;
    }

    /** One control period of the plant, in place (RK4, {@link #SUBSTEPS} substeps). */
    static void step(double[] s, double voltage, double load) {
        double h = CONTROL_PERIOD / SUBSTEPS;
        double w = s[OMEGA];
        double i = s[CURRENT_I];
        for (int n = 0; n < SUBSTEPS; n++) {
            double dw1 = (MOTOR_CONSTANT * i - FRICTION * w - load) / INERTIA;
            double di1 = (voltage - RESISTANCE * i - MOTOR_CONSTANT * w) / INDUCTANCE;
            double w2 = w + 0.5 * h * dw1;
            double i2 = i + 0.5 * h * di1;
            double dw2 = (MOTOR_CONSTANT * i2 - FRICTION * w2 - load) / INERTIA;
            double di2 = (voltage - RESISTANCE * i2 - MOTOR_CONSTANT * w2) / INDUCTANCE;
            double w3 = w + 0.5 * h * dw2;
            double i3 = i + 0.5 * h * di2;
            double dw3 = (MOTOR_CONSTANT * i3 - FRICTION * w3 - load) / INERTIA;
            double di3 = (voltage - RESISTANCE * i3 - MOTOR_CONSTANT * w3) / INDUCTANCE;
            double w4 = w + h * dw3;
            double i4 = i + h * di3;
            double dw4 = (MOTOR_CONSTANT * i4 - FRICTION * w4 - load) / INERTIA;
            double di4 = (voltage - RESISTANCE * i4 - MOTOR_CONSTANT * w4) / INDUCTANCE;
            w += h / 6.0 * (dw1 + 2 * dw2 + 2 * dw3 + dw4);
            i += h / 6.0 * (di1 + 2 * di2 + 2 * di3 + di4);
        }
        s[OMEGA] = w;
        s[CURRENT_I] = i;
    }
}
