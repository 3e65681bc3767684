package dev.loopline.core.bandit;

/** The configuration of a {@link Scorer}; each kind's record validates itself. */
public sealed interface ScorerConfig extends java.io.Serializable
        permits RidgeScorer.Config, HybridScorer.Config, ServingModelScorer.Config, ConstantScorer.Config {
    /** The scorer kind, as written in configs and snapshots. */
    String kind();

    /** Whether scores come with confidence widths. */
    boolean hasWidths();

    /** Whether the scorer learns from outcomes, so it can be bootstrapped by bagging. */
    boolean learns();

    Scorer create();
}
