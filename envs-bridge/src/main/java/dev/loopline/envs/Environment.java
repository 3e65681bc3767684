package dev.loopline.envs;

import dev.loopline.schemas.ContextEvent;
import java.util.List;

/**
 * A simulated world that asks Loopline for decisions and reports what they led to. Plain Java: no
 * Kafka, no Flink. The same contract can be played by a client in any language (see the topic contract
 * in DESIGN.md).
 *
 * <ul>
 *   <li><b>State</b>: {@link #next(long)} produces one {@link ContextEvent}: an entity, context
 *       features named by {@link #contextFeatureNames()}, and the offered actions, each with features
 *       named by {@link #actionFeatureNames()}. The offered set may change from event to event.</li>
 *   <li><b>Oracle</b>: every event carries {@code oracleRewards}, the expected reward of each offered
 *       action (and only those), so regret can be measured exactly.</li>
 *   <li><b>Outcome</b>: {@link #outcome(ContextEvent, String)} draws the realized reward of an action,
 *       the delay after which the environment reports it, and whether it is reported at all.</li>
 * </ul>
 *
 * <p>Determinism: two instances built with the same configuration return equal event sequences, and
 * the outcome of an (event, action) pair depends only on the seed, the event and the action, so a
 * replayed decision gets the same outcome.
 *
 * <p>Threading: {@link #next(long)} is called from one thread; {@link #outcome(ContextEvent, String)}
 * must be safe to call from another thread concurrently with {@code next}.
 */
public interface Environment {

    /** Short name, also used as the {@code domain} of the events. */
    String name();

    /** Names of the context features, stable across releases of this environment. */
    List<String> contextFeatureNames();

    /** Names of the features of every offered action. */
    List<String> actionFeatureNames();

    /**
     * The next context event, stamped with {@code eventTimeMillis}; deterministic for the seed.
     * Fills {@code domain} and {@code oracleRewards} (expected reward of each offered action).
     */
    ContextEvent next(long eventTimeMillis);

    /**
     * What happens when {@code actionId} is taken for {@code event}: deterministic from the seed, the
     * event id and the action.
     *
     * @throws IllegalArgumentException if the action was not offered in the event
     */
    Outcome outcome(ContextEvent event, String actionId);
}
