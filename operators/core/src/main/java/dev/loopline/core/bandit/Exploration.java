package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * The upper half of a policy: turns the scorer's predictions (and, where the strategy needs them,
 * confidence widths or bootstrap members) into a probability distribution over the offered actions.
 * Strategies are stateless; what changes over time (the number of outcomes learned, the reward range
 * seen) arrives in the {@link ScoreSheet}.
 */
public interface Exploration {
    /** The strategy's name, as in configs and logged decisions. */
    String name();

    /** Whether {@link ScoreSheet#widths()} must be filled. */
    default boolean needsWidths() {
        return false;
    }

    /** Whether {@link ScoreSheet#members()} must be filled (bootstrap strategies). */
    default boolean needsMembers() {
        return false;
    }

    /** The distribution, and the choice itself when the strategy draws it in its own way. */
    Spread explore(ScoreSheet sheet, SplittableRandom random);
}
