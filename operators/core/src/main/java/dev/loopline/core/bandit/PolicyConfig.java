package dev.loopline.core.bandit;

import java.util.Objects;

/**
 * Everything that defines a policy: how it sees features, what scores the actions, how it explores,
 * and the seed of its random draws (each event's draws come from the seed and the event id, so a
 * replay decides the same). {@link PolicyFactory#defaults} gives the named configurations.
 *
 * @param name        the name decisions are logged under, e.g. {@code squarecb}
 * @param seed        root of every random draw
 * @param features    feature slots and online standardisation
 * @param scorer      the reward predictor
 * @param exploration the strategy turning predictions into a distribution
 */
public record PolicyConfig(String name, long seed, FeatureSpace.Config features, ScorerConfig scorer,
        ExplorationConfig exploration) implements java.io.Serializable {
    public PolicyConfig {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("policy name '" + name + "' must be 1-64 characters, e.g. squarecb");
        }
        Objects.requireNonNull(features, "features config (use FeatureSpace.Config.defaults())");
        Objects.requireNonNull(scorer, "scorer config (e.g. RidgeScorer.Config.defaults())");
        Objects.requireNonNull(exploration, "exploration config (e.g. InverseGap.Config.defaults())");
        Exploration probe = exploration.create();
        if (probe.needsWidths() && !scorer.hasWidths()) {
            throw new IllegalArgumentException("policy " + name + ": strategy " + exploration.strategy()
                    + " needs confidence widths, which scorer " + scorer.kind() + " does not give; use scorer "
                    + RidgeScorer.KIND + " or " + HybridScorer.KIND + ", or a strategy on scores alone (squarecb, greedy)");
        }
        if (probe.needsMembers() && !scorer.learns()) {
            throw new IllegalArgumentException("policy " + name + ": strategy " + exploration.strategy()
                    + " bootstraps a learning scorer, and " + scorer.kind() + " does not learn; use scorer "
                    + RidgeScorer.KIND + " or " + HybridScorer.KIND);
        }
    }

    public PolicyConfig withSeed(long newSeed) {
        return new PolicyConfig(name, newSeed, features, scorer, exploration);
    }

    public PolicyConfig withName(String newName) {
        return new PolicyConfig(newName, seed, features, scorer, exploration);
    }

    public PolicyConfig withFeatures(FeatureSpace.Config newFeatures) {
        return new PolicyConfig(name, seed, newFeatures, scorer, exploration);
    }

    public PolicyConfig withScorer(ScorerConfig newScorer) {
        return new PolicyConfig(name, seed, features, newScorer, exploration);
    }

    public PolicyConfig withExploration(ExplorationConfig newExploration) {
        return new PolicyConfig(name, seed, features, scorer, newExploration);
    }
}
