package dev.loopline.core.bandit;

import java.util.List;
import java.util.stream.Stream;

/**
 * Assembles policies: the named configurations ({@link #defaults}) and any {@link PolicyConfig}
 * ({@link #create}). The one place that knows how scorers and strategies stack.
 *
 * <table>
 *   <caption>Named policies</caption>
 *   <tr><th>name</th><th>scorer</th><th>strategy (defaults)</th></tr>
 *   <tr><td>greedy</td><td>ridge</td><td>greedy</td></tr>
 *   <tr><td>epsilon-greedy</td><td>ridge</td><td>epsilon 0.05, no decay</td></tr>
 *   <tr><td>softmax</td><td>ridge</td><td>temperature 0.1</td></tr>
 *   <tr><td>linucb</td><td>ridge (disjoint)</td><td>UCB, alpha 0.5</td></tr>
 *   <tr><td>linucb-hybrid</td><td>hybrid (shared crossings + per action)</td><td>UCB, alpha 0.5</td></tr>
 *   <tr><td>lin-ts</td><td>ridge</td><td>Thompson, scale 0.25, 1000 propensity draws</td></tr>
 *   <tr><td>squarecb</td><td>the served reward model (trained by the loop's trainer)</td><td>inverse gap,
 *       gamma = max(10, t^0.5) over the examples the model was trained on</td></tr>
 *   <tr><td>squarecb-linear</td><td>ridge</td><td>inverse gap, gamma = 10 t^0.5</td></tr>
 *   <tr><td>bagging-ts</td><td>8 bootstrapped ridge scorers</td><td>member draw</td></tr>
 *   <tr><td>regcb-opt</td><td>ridge</td><td>optimistic bound, c0 0.001</td></tr>
 *   <tr><td>uniform</td><td>none</td><td>uniform (the baseline)</td></tr>
 * </table>
 *
 * <p>All linear scorers use ridge 1 with prior mean 0 and the default {@link FeatureSpace.Config}. {@link
 * #config(String, long, PolicyTuning)} applies a deployment's knobs; the stream, offline evaluation and the
 * off-policy candidates all build their policies here.
 */
public final class PolicyFactory {
    public static final String GREEDY = "greedy";
    public static final String EPSILON_GREEDY = "epsilon-greedy";
    public static final String SOFTMAX = "softmax";
    public static final String LINUCB = "linucb";
    public static final String LINUCB_HYBRID = "linucb-hybrid";
    public static final String LIN_TS = "lin-ts";
    public static final String SQUARECB = "squarecb";
    public static final String SQUARECB_LINEAR = "squarecb-linear";
    public static final String BAGGING_TS = "bagging-ts";
    public static final String REGCB_OPT = "regcb-opt";
    public static final String UNIFORM = "uniform";

    /** The policies that learn from their own outcomes, in the order reports list them. */
    public static final List<String> NAMES = List.of(GREEDY, EPSILON_GREEDY, SOFTMAX, LINUCB, LINUCB_HYBRID, LIN_TS,
            SQUARECB_LINEAR, BAGGING_TS, REGCB_OPT);
    /** Every policy the loop can run: the learners, the one serving the trainer's reward model, the baseline. */
    public static final List<String> ALL = java.util.stream.Stream.concat(Stream.of(SQUARECB),
            java.util.stream.Stream.concat(NAMES.stream(), Stream.of(UNIFORM))).toList();

    private PolicyFactory() {}

    /** The named policy's default configuration with the given seed. */
    public static PolicyConfig defaults(String name, long seed) {
        ScorerConfig ridge = RidgeScorer.Config.defaults();
        ExplorationConfig exploration = switch (name) {
            case GREEDY -> new Greedy.Config();
            case EPSILON_GREEDY -> EpsilonGreedy.Config.defaults();
            case SOFTMAX -> Softmax.Config.defaults();
            case LINUCB, LINUCB_HYBRID -> UpperConfidence.Config.defaults();
            case LIN_TS -> LinearThompson.Config.defaults();
            case SQUARECB -> new InverseGap.Config(1.0, 0.5, 10.0);
            case SQUARECB_LINEAR -> InverseGap.Config.defaults();
            case BAGGING_TS -> BootstrapThompson.Config.defaults();
            case REGCB_OPT -> RegCbOptimistic.Config.defaults();
            case UNIFORM -> new Uniform.Config();
            default -> throw new IllegalArgumentException("policy '" + name + "' is unknown; choose one of " + ALL);
        };
        ScorerConfig scorer = switch (name) {
            case LINUCB_HYBRID -> HybridScorer.Config.defaults();
            case UNIFORM -> new ConstantScorer.Config();
            case SQUARECB -> new ServingModelScorer.Config();
            default -> ridge;
        };
        return new PolicyConfig(name, seed, FeatureSpace.Config.defaults(), scorer, exploration);
    }

    /** The named policy's configuration with a deployment's knobs applied where the policy has their part. */
    public static PolicyConfig config(String name, long seed, PolicyTuning tuning) {
        PolicyConfig config = defaults(name, seed);
        ScorerConfig scorer = config.scorer();
        if (scorer instanceof RidgeScorer.Config r) {
            scorer = new RidgeScorer.Config(tuning.ridge(), r.priorMean());
        } else if (scorer instanceof HybridScorer.Config h) {
            scorer = new HybridScorer.Config(tuning.ridge(), h.priorMean(), h.maxShared());
        }
        ExplorationConfig exploration = config.exploration();
        if (exploration instanceof UpperConfidence.Config) {
            exploration = new UpperConfidence.Config(tuning.ucbAlpha());
        }
        if (name.equals(SQUARECB) && exploration instanceof InverseGap.Config g) {
            exploration = new InverseGap.Config(tuning.gammaScale(), g.exponent(), tuning.gammaMin());
        }
        return config.withScorer(scorer).withExploration(exploration);
    }

    /** The named policy with its defaults. */
    public static BanditPolicy create(String name, long seed) {
        return create(defaults(name, seed));
    }

    /** A fresh policy (nothing learned) for any valid configuration. */
    public static BanditPolicy create(PolicyConfig config) {
        Scorer scorer = config.scorer().create();
        if (config.exploration() instanceof BootstrapThompson.Config bag) {
            scorer = new BaggedScorer(scorer, bag.members());
        }
        return new BanditPolicy(config, scorer);
    }
}
