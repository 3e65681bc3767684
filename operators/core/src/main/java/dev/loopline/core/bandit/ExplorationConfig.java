package dev.loopline.core.bandit;

/** The configuration of an {@link Exploration} strategy; each strategy's record validates itself. */
public sealed interface ExplorationConfig extends java.io.Serializable permits Greedy.Config, EpsilonGreedy.Config, Softmax.Config,
        UpperConfidence.Config, LinearThompson.Config, InverseGap.Config, BootstrapThompson.Config,
        RegCbOptimistic.Config, Uniform.Config {
    /** The strategy's name. */
    String strategy();

    Exploration create();
}
