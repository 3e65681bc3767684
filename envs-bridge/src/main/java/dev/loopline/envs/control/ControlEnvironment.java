package dev.loopline.envs.control;

import dev.loopline.envs.Environment;
import dev.loopline.schemas.ContextEvent;
import java.util.List;

/**
 * A control task played as a contextual bandit: every event offers the same discrete set of control
 * actions (force, acceleration or voltage levels), and an expert controller (PID, PI, LQR) says what it
 * would do in each state, so demonstrations can be recorded ({@link DemonstrationWriter}).
 *
 * <p>The expert's choice is deliberately <em>not</em> a context feature: a policy learns from the
 * telemetry and the reward; a learner that imitates the expert reads it from
 * {@link #expertActionIndex(ContextEvent)} or from a demonstrations file.
 */
public interface ControlEnvironment extends Environment {

    /** Every control action, in index order (lowest level first); every event offers all of them. */
    List<String> actionIds();

    /** The physical value of action {@code index}, in {@link #actionUnit()}. */
    double actionValue(int index);

    /** Unit of {@link #actionValue(int)}, e.g. {@code "N"}, {@code "m/s^2"}, {@code "V"}. */
    String actionUnit();

    /** The index of {@code actionId} in {@link #actionIds()}, or -1 when it is not one of them. */
    int actionIndex(String actionId);

    /**
     * The expert controller's action for the state in {@code event} (its nearest action level). A pure
     * function of the event's features: the same event always gets the same answer.
     */
    int expertActionIndex(ContextEvent event);

    /**
     * The expected reward of action {@code actionIndex} in {@code event}: the value {@code next} puts in
     * {@code oracleRewards}, recomputed from the event's features and timestamp.
     */
    double expectedReward(ContextEvent event, int actionIndex);
}
