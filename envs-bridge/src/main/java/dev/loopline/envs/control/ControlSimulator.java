package dev.loopline.envs.control;

import dev.loopline.envs.DelayModel;
import dev.loopline.envs.Outcome;
import dev.loopline.envs.Seeds;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The part every control task shares: several plants (entities) whose trajectories advance one control
 * period per event, a fixed set of discrete action levels, oracle rewards computed by simulating the
 * scored step from the recorded state, and outcomes that add bounded, zero-mean noise to that expected
 * reward.
 *
 * <h2>How a control task becomes a bandit</h2>
 * The loop decides asynchronously: it asks for a context ({@link #next(long)}) and reports the chosen
 * action later ({@link #outcome(ContextEvent, String)}), possibly out of order and concurrently with later
 * contexts. So the plant cannot wait for the policy. Each plant instead follows its task's
 * <em>operating distribution</em>: inside {@code next} it advances one control period under a behaviour
 * controller (the expert with probability 1 - {@code behaviourEpsilon}, a uniformly random level
 * otherwise) plus the task's disturbances, and the event reports the resulting telemetry. The reward of
 * an action is the quality of applying that action for one step from the recorded state; that step is
 * simulated without noise from the state the features describe, so {@code oracleRewards} holds the
 * exact expected reward of every level, and the outcome of a decision depends only on the seed, the
 * event and the action (replays get the same outcome).
 *
 * <h2>Outcome</h2>
 * The realized reward is the expected reward r plus a uniform draw in [-h, h] with
 * h = min(rewardNoise, r, 1 - r): zero mean, so the oracle stays exact, and always in [0, 1]. The draw
 * comes from a stream derived from (seed, eventId) and is shared by all actions of the event. The delay
 * comes from the same stream and the task's {@link DelayModel}.
 *
 * <h2>Drift</h2>
 * From {@code driftAfterMillis} of event time after the first event on, the plant uses its drifted
 * parameters (see each task); both the trajectory and the scored step follow, the expert does not
 * adapt. 0 or less disables the drift.
 *
 * <p>{@link #next(long)} must be called from one thread; {@link #outcome(ContextEvent, String)},
 * {@link #expectedReward(ContextEvent, int)} and {@link #expertActionIndex(ContextEvent)} are
 * thread-safe.
 */
public abstract class ControlSimulator implements ControlEnvironment {
    /** The one action feature: the action's level scaled to [-1, 1] (value / largest |value|). */
    public static final String LEVEL = "level";

    private static final long EVENT_STREAM = 0x636f6e7472656cL;
    private static final long OUTCOME_STREAM = 0x6f7574636f6d65L;
    private static final long INIT_STREAM = 0x696e6974L;

    private final String name;
    private final long seed;
    private final String[] entityIds;
    private final double[][] states;
    private final List<String> actionIds;
    private final Map<String, Integer> actionIndex;
    private final double[] actionValues;
    private final List<Map<String, Double>> actionFeatures;
    private final String unit;
    private final double behaviourEpsilon;
    private final double rewardNoise;
    private final long driftAfterMillis;
    private final DelayModel delays;
    private final String eventIdPrefix;
    private long index;
    private volatile long firstEventTime = Long.MIN_VALUE;

    /**
     * @param name             environment name (the events' domain)
     * @param entityPrefix     entity ids are {@code entityPrefix-NN}
     * @param entities         number of plants
     * @param actionPrefix     action ids are {@code actionPrefix-K}
     * @param actionValues     the physical action levels, ascending
     * @param unit             their unit
     * @param seed             the seed of every draw
     * @param behaviourEpsilon probability that the behaviour controller takes a random level
     * @param rewardNoise      half-width bound of the outcome noise
     * @param driftAfterMillis event time after the first event at which the drift starts; 0 or less: none
     * @param delays           feedback delays
     */
    protected ControlSimulator(String name, String entityPrefix, int entities, String actionPrefix,
            double[] actionValues, String unit, long seed, double behaviourEpsilon, double rewardNoise,
            long driftAfterMillis, DelayModel delays) {
        this.name = name;
        this.seed = seed;
        this.entityIds = new String[entities];
        for (int e = 0; e < entities; e++) {
            entityIds[e] = String.format("%s-%02d", entityPrefix, e);
        }
        this.states = new double[entities][];
        this.actionValues = actionValues.clone();
        double maxAbs = 0;
        for (double v : actionValues) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        List<String> ids = new ArrayList<>(actionValues.length);
        List<Map<String, Double>> features = new ArrayList<>(actionValues.length);
        Map<String, Integer> idx = new HashMap<>();
        for (int k = 0; k < actionValues.length; k++) {
            String id = actionPrefix + "-" + k;
            ids.add(id);
            idx.put(id, k);
            features.add(Map.of(LEVEL, maxAbs > 0 ? actionValues[k] / maxAbs : 0.0));
        }
        this.actionIds = List.copyOf(ids);
        this.actionIndex = Map.copyOf(idx);
        this.actionFeatures = List.copyOf(features);
        this.unit = unit;
        this.behaviourEpsilon = behaviourEpsilon;
        this.rewardNoise = rewardNoise;
        this.driftAfterMillis = driftAfterMillis;
        this.delays = delays;
        this.eventIdPrefix = name + "-" + Long.toUnsignedString(seed, 36) + "-";
    }

    // ---- what each task supplies ------------------------------------------------------------------

    /** A fresh plant state (the layout {@link #state(Map)} returns). */
    protected abstract double[] initialState(SplittableRandom random);

    /**
     * Advances {@code state} in place by one control period under the behaviour action {@code action},
     * with the task's disturbances drawn from {@code random} (and resets when the plant leaves its
     * operating range).
     */
    protected abstract void advance(double[] state, int action, SplittableRandom random, boolean drifted);

    /** Writes the telemetry features of {@code state}. */
    protected abstract void writeFeatures(double[] state, Map<String, Double> features);

    /** Reconstructs the state from the features {@link #writeFeatures} wrote. */
    protected abstract double[] state(Map<String, Double> features);

    /** Expected reward in [0, 1] of action {@code action} from {@code state}: the noise-free scored step. */
    protected abstract double reward(double[] state, int action, boolean drifted);

    /** The expert controller's action index for {@code state}. */
    protected abstract int expert(double[] state);

    // ---- Environment ------------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> actionFeatureNames() {
        return List.of(LEVEL);
    }

    @Override
    public List<String> actionIds() {
        return actionIds;
    }

    @Override
    public double actionValue(int index) {
        return actionValues[index];
    }

    /** All action levels, ascending. */
    public double[] actionValues() {
        return actionValues.clone();
    }

    @Override
    public String actionUnit() {
        return unit;
    }

    @Override
    public int actionIndex(String actionId) {
        Integer k = actionId == null ? null : actionIndex.get(actionId);
        return k == null ? -1 : k;
    }

    /** The entity ids, {@code PREFIX-00} ... */
    public List<String> entityIds() {
        return List.of(entityIds);
    }

    @Override
    public ContextEvent next(long eventTimeMillis) {
        if (firstEventTime == Long.MIN_VALUE) {
            firstEventTime = eventTimeMillis;
        }
        long i = index++;
        int e = (int) (i % entityIds.length);
        boolean drifted = drifted(eventTimeMillis);
        double[] s = states[e];
        if (s == null) {
            s = initialState(Seeds.random(seed, INIT_STREAM, e));
            states[e] = s;
        } else {
            SplittableRandom r = Seeds.random(seed, EVENT_STREAM, i);
            int behaviour = r.nextDouble() < behaviourEpsilon ? r.nextInt(actionValues.length) : expert(s);
            advance(s, behaviour, r, drifted);
        }
        Map<String, Double> features = new HashMap<>(24);
        writeFeatures(s, features);
        double[] observed = state(features);
        List<Action> actions = new ArrayList<>(actionValues.length);
        Map<String, Double> oracle = new HashMap<>(actionValues.length * 2);
        for (int k = 0; k < actionValues.length; k++) {
            String id = actionIds.get(k);
            actions.add(new Action(id, actionFeatures.get(k)));
            oracle.put(id, reward(observed, k, drifted));
        }
        return ContextEvent.newBuilder()
                .setEventId(eventIdPrefix + i)
                .setEntityId(entityIds[e])
                .setTimestamp(eventTimeMillis)
                .setDomain(name)
                .setFeatures(features)
                .setActions(actions)
                .setOracleRewards(oracle)
                .build();
    }

    @Override
    public Outcome outcome(ContextEvent event, String actionId) {
        int k = offeredIndex(event, actionId);
        double expected = expectedReward(event, k);
        SplittableRandom r = Seeds.random(seed, OUTCOME_STREAM, Seeds.hash64(event.getEventId()));
        double u = r.nextDouble();
        double h = Math.min(rewardNoise, Math.min(expected, 1.0 - expected));
        double reward = Math.min(1.0, Math.max(0.0, expected + h * (2.0 * u - 1.0)));
        long delay = delays.sample(r);
        return new Outcome(reward, Math.max(0, delay), delay >= 0);
    }

    @Override
    public double expectedReward(ContextEvent event, int actionIndex) {
        if (actionIndex < 0 || actionIndex >= actionValues.length) {
            throw new IllegalArgumentException("action index " + actionIndex + " is outside [0, "
                    + actionValues.length + "); use actionIndex(actionId)");
        }
        return reward(state(event.getFeatures()), actionIndex, drifted(event.getTimestamp()));
    }

    @Override
    public int expertActionIndex(ContextEvent event) {
        return expert(state(event.getFeatures()));
    }

    /** True when an event at {@code eventTimeMillis} falls after the drift point. */
    public boolean drifted(long eventTimeMillis) {
        long first = firstEventTime;
        return driftAfterMillis > 0 && first != Long.MIN_VALUE && eventTimeMillis - first >= driftAfterMillis;
    }

    // ---- helpers for the tasks ---------------------------------------------------------------------

    /** The index of the action level nearest to {@code value} (ties go to the lower level). */
    protected final int nearestLevel(double value) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int k = 0; k < actionValues.length; k++) {
            double d = Math.abs(actionValues[k] - value);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Reads a feature this environment wrote; a missing one means the event is not from here. */
    protected final double feature(Map<String, Double> features, String name) {
        Double v = features.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the event has no feature \"" + name + "\"; " + this.name
                    + " computes outcomes from the telemetry it wrote, pass the event next() returned");
        }
        return v;
    }

    private int offeredIndex(ContextEvent event, String actionId) {
        int k = actionIndex(actionId);
        boolean offered = false;
        for (Action a : event.getActions()) {
            if (a.getActionId().equals(actionId)) {
                offered = true;
                break;
            }
        }
        if (!offered || k < 0) {
            throw new IllegalArgumentException("action \"" + actionId + "\" was not offered in event "
                    + event.getEventId() + "; choose one of " + actionIds);
        }
        return k;
    }

    /** Evenly spaced levels from {@code -max} to {@code max}. */
    public static double[] symmetricLevels(int count, double max) {
        double[] levels = new double[count];
        for (int k = 0; k < count; k++) {
            levels[k] = -max + 2.0 * max * k / (count - 1);
        }
        return levels;
    }

    protected static double clamp(double v, double lo, double hi) {
        return Math.min(hi, Math.max(lo, v));
    }
}
