package dev.loopline.envs.vehicle;

import dev.loopline.envs.control.ControlSimulator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Longitudinal control of a car behind a lead vehicle (adaptive cruise control) with discrete
 * acceleration commands, played as a contextual bandit (see {@link ControlSimulator} for how a control
 * task becomes a bandit, the outcome noise and the threading rules).
 *
 * <h2>Plant</h2>
 * Point-mass kinematics for the ego car and the lead vehicle; speeds never go below 0. Control period
 * 0.2 s. The lead drives toward a target speed that changes now and then (in [8, set speed + 3] m/s,
 * with acceleration limited to [-2.5, 1.5] m/s^2 and some noise), brakes hard at random
 * ({@code hardBrakeProbability}) and is sometimes replaced by a vehicle cutting in
 * ({@code cutInProbability}). A lead more than 200 m ahead is replaced by a slower one 80–150 m ahead; a
 * gap under 1 m (a crash on the trajectory) restarts the scene 40 m apart.
 *
 * <h2>State (context features)</h2>
 * Entities {@code vehicle-00} ...; features, scaled to about [-1, 1] or [0, 1]: {@code ego_speed}
 * (v / 40 m/s), {@code lead_speed} (v_l / 40 m/s), {@code relative_speed} ((v_l - v) / 20 m/s),
 * {@code gap} (s / 150 m), {@code time_headway} (min(s / max(v, 1 m/s), 6 s) / 6 s),
 * {@code lead_acceleration} (a_l / 6 m/s^2, from the radar), {@code previous_acceleration} (the ego's
 * acceleration over the last period / 6 m/s^2), {@code set_speed} (the driver's set speed / 40 m/s).
 *
 * <h2>Actions</h2>
 * {@code accel-0} .. {@code accel-6}: commanded accelerations -6, -3, -1.5, -0.5, 0, +1, +2 m/s^2;
 * action feature {@code level} = acceleration / 6. All are offered in every event.
 *
 * <h2>Reward</h2>
 * The scored step holds the commanded acceleration for a 1 s horizon from the recorded state
 * (noise-free; the lead keeps its measured acceleration; the tyres deliver at most the road's
 * deceleration), then scores the end state:
 * <ul>
 *   <li>0 if the gap closed at any time in the horizon (a crash);</li>
 *   <li>otherwise 0.5 safety + 0.3 progress + 0.2 comfort, where safety = clamp((h - 0.5 s) /
 *       (desired headway - 0.5 s), 0, 1) on the time headway h = gap / max(v, 1 m/s); progress =
 *       clamp(1 - |v - set speed| / set speed, 0, 1); comfort = max(0, 1 - (a / 3)^2 / 2 -
 *       ((a - a_previous) / 4)^2 / 2) on the delivered acceleration a (its level and its jerk).</li>
 * </ul>
 * {@code oracleRewards} holds this reward for every acceleration level.
 *
 * <h2>Expert</h2>
 * The Intelligent Driver Model (Treiber, Hennecke and Helbing 2000) with desired speed = set speed,
 * time headway 1.5 s, minimum gap 2 m, maximum acceleration 1.5 m/s^2, comfortable deceleration
 * 2 m/s^2, rounded to the nearest level. It does not know about the rain. The trajectory's behaviour
 * controller is this expert with probability 1 - {@code behaviourEpsilon}, a random level otherwise.
 *
 * <h2>Delay</h2>
 * From {@link AdaptiveCruiseConfig#delays()} (by default telemetry-like, mostly within 250 ms).
 *
 * <h2>Drift</h2>
 * From {@code driftAfterMillis} on it rains: the tyres deliver at most {@code wetMaxDeceleration}
 * (default 4 m/s^2, for the lead too), and the reward's desired headway becomes {@code wetHeadway}
 * (default 2.5 s). For the same telemetry, the oracle's best acceleration then goes down in about half
 * of the states and up in almost none (0.1%; measured in the unit test), while the expert keeps its
 * 1.5 s.
 */
public final class AdaptiveCruiseSimulator extends ControlSimulator {

    public static final String NAME = "vehicle";

    public static final String EGO_SPEED = "ego_speed";
    public static final String LEAD_SPEED = "lead_speed";
    public static final String RELATIVE_SPEED = "relative_speed";
    public static final String GAP = "gap";
    public static final String TIME_HEADWAY = "time_headway";
    public static final String LEAD_ACCELERATION = "lead_acceleration";
    public static final String PREVIOUS_ACCELERATION = "previous_acceleration";
    public static final String SET_SPEED = "set_speed";

    /** The commanded accelerations, m/s^2. */
    public static final double[] ACCELERATIONS = {-6.0, -3.0, -1.5, -0.5, 0.0, 1.0, 2.0};
    public static final double CONTROL_PERIOD = 0.2;
    public static final double HORIZON = 2.0;
    public static final int HORIZON_STEPS = 10;
    public static final double MIN_HEADWAY = 0.5;
    public static final double SAFETY_WEIGHT = 0.5;
    public static final double PROGRESS_WEIGHT = 0.3;
    public static final double COMFORT_WEIGHT = 0.2;
    public static final double COMFORT_ACCELERATION = 3.0;
    public static final double COMFORT_JERK = 4.0;
    public static final double LEAD_HARD_BRAKE = -6.0;

    // IDM expert
    public static final double IDM_HEADWAY = 1.5;
    public static final double IDM_MIN_GAP = 2.0;
    public static final double IDM_MAX_ACCELERATION = 1.5;
    public static final double IDM_COMFORT_DECELERATION = 2.0;

    private static final double SPEED_SCALE = 40.0;
    private static final double RELATIVE_SCALE = 20.0;
    private static final double GAP_SCALE = 150.0;
    private static final double HEADWAY_CAP = 6.0;
    private static final double ACCELERATION_SCALE = 6.0;
    private static final List<String> FEATURES = List.of(EGO_SPEED, LEAD_SPEED, RELATIVE_SPEED, GAP, TIME_HEADWAY,
            LEAD_ACCELERATION, PREVIOUS_ACCELERATION, SET_SPEED);

    // state layout: the observed part first
    private static final int V = 0;
    private static final int V_LEAD = 1;
    private static final int S = 2;
    private static final int A_LEAD = 3;
    private static final int A_PREV = 4;
    private static final int V_SET = 5;
    private static final int LEAD_TARGET = 6; // trajectory only
    private static final int BRAKE_LEFT = 7; // trajectory only

    private final AdaptiveCruiseConfig config;

    public AdaptiveCruiseSimulator(AdaptiveCruiseConfig config) {
        super(NAME, "vehicle", config.vehicles(), "accel", ACCELERATIONS, "m/s^2", config.seed(),
                config.behaviourEpsilon(), config.rewardNoise(), config.driftAfterMillis(), config.delays());
        this.config = config;
    }

    public AdaptiveCruiseConfig config() {
        return config;
    }

    @Override
    public List<String> contextFeatureNames() {
        return FEATURES;
    }

    /** The strongest deceleration the road delivers, m/s^2 (positive), before or after the drift. */
    public double maxDeceleration(boolean drifted) {
        return drifted ? config.wetMaxDeceleration() : Double.POSITIVE_INFINITY;
    }

    /** The reward's desired headway, s, before or after the drift. */
    public double desiredHeadway(boolean drifted) {
        return drifted ? config.wetHeadway() : config.desiredHeadway();
    }

    @Override
    protected double[] initialState(SplittableRandom r) {
        double[] s = new double[8];
        s[V_SET] = setSpeed(r);
        s[V] = s[V_SET] * (0.6 + 0.4 * r.nextDouble());
        s[V_LEAD] = s[V] * (0.8 + 0.3 * r.nextDouble());
        s[S] = 20 + 60 * r.nextDouble();
        s[LEAD_TARGET] = s[V_LEAD];
        return s;
    }

    private double setSpeed(SplittableRandom r) {
        return config.maxSetSpeed() * (0.8 + 0.2 * r.nextDouble());
    }

    @Override
    protected void advance(double[] s, int action, SplittableRandom r, boolean drifted) {
        double limit = maxDeceleration(drifted);
        double a = Math.max(actionValue(action), -limit);
        double aLead;
        if (s[BRAKE_LEFT] > 0) {
            aLead = Math.max(LEAD_HARD_BRAKE, -limit);
            s[BRAKE_LEFT] -= CONTROL_PERIOD;
        } else {
            aLead = clamp(0.6 * (s[LEAD_TARGET] - s[V_LEAD]), -2.5, 1.5) + 0.3 * r.nextGaussian();
        }
        double[] ego = {0, s[V]};
        double[] lead = {0, s[V_LEAD]};
        move(ego, a, CONTROL_PERIOD);
        move(lead, aLead, CONTROL_PERIOD);
        s[S] += lead[0] - ego[0];
        s[V] = ego[1];
        s[V_LEAD] = lead[1];
        s[A_LEAD] = s[V_LEAD] > 0 ? aLead : 0.0;
        s[A_PREV] = a;
        if (r.nextDouble() < 0.02) {
            s[LEAD_TARGET] = 8 + (s[V_SET] - 5) * r.nextDouble();
        }
        if (s[BRAKE_LEFT] <= 0 && r.nextDouble() < config.hardBrakeProbability()) {
            s[BRAKE_LEFT] = 1 + 2 * r.nextDouble();
            s[LEAD_TARGET] = s[V_LEAD] * 0.5 * r.nextDouble();
        }
        if (r.nextDouble() < config.cutInProbability()) {
            s[S] *= 0.3 + 0.3 * r.nextDouble();
            s[V_LEAD] = s[V] * (0.85 + 0.15 * r.nextDouble());
            s[LEAD_TARGET] = s[V_LEAD] * (0.9 + 0.3 * r.nextDouble());
            s[A_LEAD] = 0;
            s[BRAKE_LEFT] = 0;
        }
        if (r.nextDouble() < 0.001) {
            s[V_SET] = setSpeed(r);
        }
        if (s[S] > 200) {
            s[S] = 80 + 70 * r.nextDouble();
            s[V_LEAD] = s[V_SET] * (0.6 + 0.4 * r.nextDouble());
            s[LEAD_TARGET] = s[V_LEAD];
            s[A_LEAD] = 0;
            s[BRAKE_LEFT] = 0;
        } else if (s[S] < 1) {
            s[S] = 40;
            s[V_LEAD] = s[V];
            s[LEAD_TARGET] = s[V];
            s[A_LEAD] = 0;
            s[BRAKE_LEFT] = 0;
        }
    }

    @Override
    protected void writeFeatures(double[] s, Map<String, Double> f) {
        f.put(EGO_SPEED, s[V] / SPEED_SCALE);
        f.put(LEAD_SPEED, s[V_LEAD] / SPEED_SCALE);
        f.put(RELATIVE_SPEED, (s[V_LEAD] - s[V]) / RELATIVE_SCALE);
        f.put(GAP, s[S] / GAP_SCALE);
        f.put(TIME_HEADWAY, Math.min(s[S] / Math.max(s[V], 1.0), HEADWAY_CAP) / HEADWAY_CAP);
        f.put(LEAD_ACCELERATION, s[A_LEAD] / ACCELERATION_SCALE);
        f.put(PREVIOUS_ACCELERATION, s[A_PREV] / ACCELERATION_SCALE);
        f.put(SET_SPEED, s[V_SET] / SPEED_SCALE);
    }

    @Override
    protected double[] state(Map<String, Double> f) {
        double[] s = new double[8];
        s[V] = feature(f, EGO_SPEED) * SPEED_SCALE;
        s[V_LEAD] = feature(f, LEAD_SPEED) * SPEED_SCALE;
        s[S] = feature(f, GAP) * GAP_SCALE;
        s[A_LEAD] = feature(f, LEAD_ACCELERATION) * ACCELERATION_SCALE;
        s[A_PREV] = feature(f, PREVIOUS_ACCELERATION) * ACCELERATION_SCALE;
        s[V_SET] = feature(f, SET_SPEED) * SPEED_SCALE;
        return s;
    }

    @Override
    protected double reward(double[] s, int action, boolean drifted) {
        double a = Math.max(actionValue(action), -maxDeceleration(drifted));
        double dt = HORIZON / HORIZON_STEPS;
        double[] ego = {0, s[V]};
        double[] lead = {0, s[V_LEAD]};
        double gap = s[S];
        for (int n = 0; n < HORIZON_STEPS; n++) {
            double egoBefore = ego[0];
            double leadBefore = lead[0];
            move(ego, a, dt);
            move(lead, s[A_LEAD], dt);
            gap += (lead[0] - leadBefore) - (ego[0] - egoBefore);
            if (gap <= 0) {
                return 0.0;
            }
        }
        double v = ego[1];
        double headway = gap / Math.max(v, 1.0);
        double safety = clamp((headway - MIN_HEADWAY) / (desiredHeadway(drifted) - MIN_HEADWAY), 0, 1);
        double progress = clamp(1 - Math.abs(v - s[V_SET]) / s[V_SET], 0, 1);
        double level = a / COMFORT_ACCELERATION;
        double jerk = (a - s[A_PREV]) / COMFORT_JERK;
        double comfort = Math.max(0, 1 - 0.5 * level * level - 0.5 * jerk * jerk);
        return SAFETY_WEIGHT * safety + PROGRESS_WEIGHT * progress + COMFORT_WEIGHT * comfort;
    }

    @Override
    protected int expert(double[] s) {
        return nearestLevel(idm(s[V], s[V_LEAD], s[S], s[V_SET]));
    }

    /** The Intelligent Driver Model's acceleration, m/s^2. */
    public static double idm(double v, double vLead, double gap, double setSpeed) {
        double desiredGap = IDM_MIN_GAP + Math.max(0, v * IDM_HEADWAY
                + v * (v - vLead) / (2 * Math.sqrt(IDM_MAX_ACCELERATION * IDM_COMFORT_DECELERATION)));
        double free = Math.pow(v / setSpeed, 4);
        double interaction = desiredGap / Math.max(gap, 0.1);
        return IDM_MAX_ACCELERATION * (1 - free - interaction * interaction);
    }

    /** Moves {x, v} for {@code dt} at constant acceleration {@code a}, stopping at speed 0. */
    private static void move(double[] xv, double a, double dt) {
        double v = xv[1];
        double vEnd = v + a * dt;
        if (vEnd >= 0) {
            xv[0] += (v + vEnd) * 0.5 * dt;
            xv[1] = vEnd;
        } else {
            xv[0] += v * v / (2 * -a);
            xv[1] = 0;
        }
    }
}
