package dev.loopline.envs.robot;

import dev.loopline.envs.control.ControlSimulator;
import dev.loopline.envs.control.Lqr;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A robot balancing a pole on a cart that must also follow a target position: the classic cart-pole
 * (Barto, Sutton and Anderson 1983, with the Florian 2007 equations) with a moving target, pushes on the
 * pole and a wearing drive, played as a contextual bandit (see {@link ControlSimulator} for how a
 * control task becomes a bandit, the outcome noise and the threading rules).
 *
 * <h2>Plant</h2>
 * Cart mass 1.0 kg, pole mass 0.1 kg, pole half-length 0.5 m, g = 9.81 m/s^2, no friction; control
 * period 20 ms, integrated with one RK4 step. The pole angle is 0 upright. A robot's episode restarts
 * (cart in [-1, 1] m, pole within 0.1 rad of upright) when the pole passes 0.5 rad or the cart leaves
 * the track (|x| &gt; 2.4 m).
 *
 * <h2>State (context features)</h2>
 * Entities {@code robot-00} ...; features, all scaled to about [-1, 1]:
 * {@code cart_position} (x / 2.4 m), {@code cart_velocity} (v / 3 m/s), {@code pole_angle}
 * (&theta; / 0.5 rad), {@code pole_angular_velocity} (&omega; / 3 rad/s), {@code target_position}
 * (x* / 2.4 m), {@code position_error} ((x - x*) / 2.4 m).
 *
 * <h2>Actions</h2>
 * {@code force-0} .. {@code force-(n-1)}: horizontal forces evenly spaced in [-maxForce, maxForce]
 * (default -10, -5, 0, 5, 10 N); action feature {@code level} = force / maxForce. All are offered in
 * every event.
 *
 * <h2>Reward</h2>
 * The task's cost is the usual quadratic one on the error e = (x - x*, v, &theta;, &omega;):
 * c(e, F) = e'Qe + r F^2 with Q = diag(1, 1, 10, 1) and r = 0.1, and its cost-to-go on the nominal
 * linearised plant is V(e) = e'Pe (P from the discrete Riccati equation). The scored step applies the
 * chosen force for one control period from the recorded state (noise-free, nonlinear plant, the force
 * the drive currently delivers) and measures the one-step excess cost
 * &Delta; = c(e, F) + V(e') - V(e): the stage cost plus how much the step raised the cost-to-go. The
 * reward is exp(-max(0, &Delta;) / s) with s = (r + B'PB) (5 N)^2, i.e. 1 for a step that does all
 * the optimal controller would, about 0.37 for a step as bad as missing the optimal force by 5 N. Using
 * V as a potential (Ng, Harada and Russell 1999) keeps the bandit's one-step objective aligned with
 * long-run balance and tracking, and makes the reward informative in every state, far from the target
 * too. {@code oracleRewards} holds this reward for every force level.
 *
 * <h2>Expert</h2>
 * The discrete LQR for that cost on the nominal plant linearised at upright, its force rounded to the
 * nearest level; it does not know about the wear. It is optimal for the nominal linear plant with
 * continuous forces, so before the drift it picks the oracle's level in about 99% of states (it is a
 * near-optimal demonstrator here); they differ through the force quantisation, the nonlinear plant away
 * from upright and, after the drift, the weaker drive. The trajectory's behaviour controller is this
 * expert with probability 1 - {@code behaviourEpsilon}, a random level otherwise.
 *
 * <h2>Disturbances</h2>
 * Force noise (normal, sd 1 N) on every trajectory step, pushes on the pole ({@code pushProbability},
 * {@code pushStd}) and target jumps ({@code targetChangeProbability}) between events.
 *
 * <h2>Delay</h2>
 * From {@link CartPoleConfig#delays()} (by default telemetry-like, mostly within 250 ms).
 *
 * <h2>Drift</h2>
 * From {@code driftAfterMillis} on, the drive is worn: it delivers only {@code forceGainAfterDrift} of
 * the commanded force (default half), on the trajectory and in the scored step. The same telemetry
 * then needs a larger command: the oracle's best level moves away from 0 in about half of the states
 * and toward 0 in none (measured in the unit test), while the expert keeps commanding the nominal
 * force.
 */
public final class CartPoleSimulator extends ControlSimulator {

    public static final String NAME = "robot";

    public static final String CART_POSITION = "cart_position";
    public static final String CART_VELOCITY = "cart_velocity";
    public static final String POLE_ANGLE = "pole_angle";
    public static final String POLE_ANGULAR_VELOCITY = "pole_angular_velocity";
    public static final String TARGET_POSITION = "target_position";
    public static final String POSITION_ERROR = "position_error";

    public static final double CART_MASS = 1.0;
    public static final double POLE_MASS = 0.1;
    public static final double POLE_HALF_LENGTH = 0.5;
    public static final double GRAVITY = 9.81;
    public static final double CONTROL_PERIOD = 0.02;
    public static final int SUBSTEPS = 1;
    public static final double TRACK_LIMIT = 2.4;
    public static final double ANGLE_LIMIT = 0.5;
    /** Diagonal of the state cost Q on (x - x*, v, theta, omega). */
    public static final double[] STATE_COST = {1, 1, 10, 1};
    /** Force cost r, per N^2. */
    public static final double FORCE_COST = 0.1;
    /** The force miss, N, whose excess cost gives reward exp(-1). */
    public static final double REFERENCE_FORCE_MISS = 5.0;
    public static final double FORCE_NOISE = 1.0;

    private static final double VELOCITY_SCALE = 3.0;
    private static final double ANGULAR_VELOCITY_SCALE = 3.0;
    private static final List<String> FEATURES = List.of(CART_POSITION, CART_VELOCITY, POLE_ANGLE,
            POLE_ANGULAR_VELOCITY, TARGET_POSITION, POSITION_ERROR);

    // state layout
    private static final int X = 0;
    private static final int V = 1;
    private static final int THETA = 2;
    private static final int OMEGA = 3;
    private static final int TARGET = 4;

    private final CartPoleConfig config;
    private final Lqr lqr;
    private final double[][] costToGo;
    private final double rewardScale;

    public CartPoleSimulator(CartPoleConfig config) {
        super(NAME, "robot", config.robots(), "force", symmetricLevels(config.forceLevels(), config.maxForce()),
                "N", config.seed(), config.behaviourEpsilon(), config.rewardNoise(), config.driftAfterMillis(),
                config.delays());
        this.config = config;
        this.lqr = designExpert();
        this.costToGo = lqr.costToGo();
        this.rewardScale = (FORCE_COST + lqr.inputCurvature()) * REFERENCE_FORCE_MISS * REFERENCE_FORCE_MISS;
    }

    public CartPoleConfig config() {
        return config;
    }

    @Override
    public List<String> contextFeatureNames() {
        return FEATURES;
    }

    /** The expert's LQR gain on (x - x*, v, &theta;, &omega;). */
    public double[] expertGain() {
        return lqr.gain();
    }

    private static Lqr designExpert() {
        double m = CART_MASS + POLE_MASS;
        double den = POLE_HALF_LENGTH * (4.0 / 3.0 - POLE_MASS / m);
        double thetaFromTheta = GRAVITY / den;
        double thetaFromForce = -1.0 / (m * den);
        double[][] a = {
            {0, 1, 0, 0},
            {0, 0, -POLE_MASS * POLE_HALF_LENGTH * thetaFromTheta / m, 0},
            {0, 0, 0, 1},
            {0, 0, thetaFromTheta, 0},
        };
        double[] b = {0, 1.0 / m - POLE_MASS * POLE_HALF_LENGTH * thetaFromForce / m, 0, thetaFromForce};
        return Lqr.design(a, b, STATE_COST, FORCE_COST, CONTROL_PERIOD);
    }

    @Override
    protected double[] initialState(SplittableRandom r) {
        double[] s = new double[5];
        s[TARGET] = -1 + 2 * r.nextDouble();
        restart(s, r);
        return s;
    }

    private static void restart(double[] s, SplittableRandom r) {
        s[X] = -1 + 2 * r.nextDouble();
        s[V] = 0;
        s[THETA] = 0.1 * (2 * r.nextDouble() - 1);
        s[OMEGA] = 0.2 * (2 * r.nextDouble() - 1);
    }

    @Override
    protected void advance(double[] s, int action, SplittableRandom r, boolean drifted) {
        double force = forceGain(drifted) * actionValue(action) + FORCE_NOISE * r.nextGaussian();
        step(s, force, POLE_MASS);
        if (r.nextDouble() < config.pushProbability()) {
            s[OMEGA] += config.pushStd() * r.nextGaussian();
        }
        if (r.nextDouble() < config.targetChangeProbability()) {
            s[TARGET] = -1 + 2 * r.nextDouble();
        }
        if (Math.abs(s[THETA]) > ANGLE_LIMIT || Math.abs(s[X]) > TRACK_LIMIT || !Double.isFinite(s[OMEGA])) {
            restart(s, r);
        }
    }

    @Override
    protected void writeFeatures(double[] s, Map<String, Double> f) {
        f.put(CART_POSITION, s[X] / TRACK_LIMIT);
        f.put(CART_VELOCITY, s[V] / VELOCITY_SCALE);
        f.put(POLE_ANGLE, s[THETA] / ANGLE_LIMIT);
        f.put(POLE_ANGULAR_VELOCITY, s[OMEGA] / ANGULAR_VELOCITY_SCALE);
        f.put(TARGET_POSITION, s[TARGET] / TRACK_LIMIT);
        f.put(POSITION_ERROR, (s[X] - s[TARGET]) / TRACK_LIMIT);
    }

    @Override
    protected double[] state(Map<String, Double> f) {
        return new double[] {
            feature(f, CART_POSITION) * TRACK_LIMIT,
            feature(f, CART_VELOCITY) * VELOCITY_SCALE,
            feature(f, POLE_ANGLE) * ANGLE_LIMIT,
            feature(f, POLE_ANGULAR_VELOCITY) * ANGULAR_VELOCITY_SCALE,
            feature(f, TARGET_POSITION) * TRACK_LIMIT,
        };
    }

    @Override
    protected double reward(double[] state, int action, boolean drifted) {
        double force = forceGain(drifted) * actionValue(action);
        double[] next = state.clone();
        step(next, force, POLE_MASS);
        double[] e = error(state);
        double stage = FORCE_COST * force * force;
        for (int i = 0; i < 4; i++) {
            stage += STATE_COST[i] * e[i] * e[i];
        }
        double excess = stage + quadratic(error(next)) - quadratic(e);
        return Math.exp(-Math.max(0.0, excess) / rewardScale);
    }

    private static double[] error(double[] s) {
        return new double[] {s[X] - s[TARGET], s[V], s[THETA], s[OMEGA]};
    }

    private double quadratic(double[] e) {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double row = 0;
            for (int j = 0; j < 4; j++) {
                row += costToGo[i][j] * e[j];
            }
            sum += e[i] * row;
        }
        return sum;
    }

    @Override
    protected int expert(double[] s) {
        double force = lqr.control(error(s));
        return nearestLevel(force);
    }

    /** The share of the commanded force the drive delivers, before or after the drift. */
    public double forceGain(boolean drifted) {
        return drifted ? config.forceGainAfterDrift() : 1.0;
    }

    /** One control period of the nonlinear plant, in place (RK4, {@link #SUBSTEPS} substeps). */
    static void step(double[] s, double force, double poleMass) {
        double h = CONTROL_PERIOD / SUBSTEPS;
        double[] k1 = new double[4];
        double[] k2 = new double[4];
        double[] k3 = new double[4];
        double[] k4 = new double[4];
        double[] y = new double[4];
        double[] x = {s[X], s[V], s[THETA], s[OMEGA]};
        for (int n = 0; n < SUBSTEPS; n++) {
            derivative(x, force, poleMass, k1);
            for (int i = 0; i < 4; i++) {
                y[i] = x[i] + 0.5 * h * k1[i];
            }
            derivative(y, force, poleMass, k2);
            for (int i = 0; i < 4; i++) {
                y[i] = x[i] + 0.5 * h * k2[i];
            }
            derivative(y, force, poleMass, k3);
            for (int i = 0; i < 4; i++) {
                y[i] = x[i] + h * k3[i];
            }
            derivative(y, force, poleMass, k4);
            for (int i = 0; i < 4; i++) {
                x[i] += h / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
        }
        s[X] = x[0];
        s[V] = x[1];
        s[THETA] = x[2];
        s[OMEGA] = x[3];
    }

    private static void derivative(double[] x, double force, double poleMass, double[] out) {
        double m = CART_MASS + poleMass;
        double sin = Math.sin(x[2]);
        double cos = Math.cos(x[2]);
        double temp = (force + poleMass * POLE_HALF_LENGTH * x[3] * x[3] * sin) / m;
        double thetaAcc = (GRAVITY * sin - cos * temp)
                / (POLE_HALF_LENGTH * (4.0 / 3.0 - poleMass * cos * cos / m));
        double xAcc = temp - poleMass * POLE_HALF_LENGTH * thetaAcc * cos / m;
        out[0] = x[1];
        out[1] = xAcc;
        out[2] = x[3];
        out[3] = thetaAcc;
    }
}
