package dev.loopline.jobs.eval;

import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyConfig;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.Draws;
import dev.loopline.envs.data.LabelledData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Supervised-to-bandit evaluation (as in the Contextual Bandit Bake-off and Vowpal Wabbit's
 * {@code --cbify}): each class is an action, the reward is 1 when the chosen action is the row's label
 * and 0 otherwise, and only the chosen action's reward is revealed. Progressive: each round the policy
 * decides first, then learns. The data is replayed {@code passes} times, each pass in a fresh order
 * shuffled from the seed; every policy sees the same order.
 *
 * <p>The {@code supervised} row is the same linear learner with full information (it learns every
 * action's reward each round, greedy on its predictions), computed the same way: the reference for
 * what exploration costs. It bounds what this learner reaches when it sees everything, not what a
 * bandit learner can reach: an action's model trained only on the rounds where it was chosen fits those
 * contexts more closely than a one-versus-all fit, so on some data (digits) bandit policies beat it.
 * The {@code uniform} row is the floor.
 *
 * <p>{@code squarecb}, which serves a reward model rather than learning itself, gets one the way the loop's
 * trainer makes it ({@link ServedModelRounds}): every 1000 outcomes a network is trained on the most recent
 * 20,000 (continuing from the one serving) and served from the next round on. There is no
 * promotion gate offline: every trained network serves.
 */
public final class SupervisedBanditEval {
    public static final String SUPERVISED = "supervised";

    /**
     * @param passes how many shuffled passes over the data
     * @param seed   seed of the shuffles and of every policy's draws
     */
    public record Options(int passes, long seed) {
        public Options {
            if (passes < 1 || passes > 10_000) {
                throw new IllegalArgumentException("passes=" + passes + " is outside [1, 10000]");
            }
        }
    }

    /**
     * One policy's figures.
     *
     * @param policy             name
     * @param meanReward         reward per round over all passes (the share of correct labels)
     * @param lastPassMeanReward the same over the last pass only
     * @param rounds             decisions made
     * @param seconds            time spent deciding and learning
     * @param eventsPerSecond    rounds / seconds
     * @param config             the configuration used
     */
    public record Result(String policy, double meanReward, double lastPassMeanReward, long rounds, double seconds,
            double eventsPerSecond, PolicyConfig config) {}

    private final LabelledData data;
    private final Options options;
    private final int[][] orders;
    private final List<Map<String, Double>> noActionFeatures;

    public SupervisedBanditEval(LabelledData data, Options options) {
        this.data = data;
        this.options = options;
        this.orders = new int[options.passes()][];
        SplittableRandom shuffle = new SplittableRandom(Draws.mix(options.seed(), "eval-shuffle"));
        for (int p = 0; p < options.passes(); p++) {
            int[] order = new int[data.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            orders[p] = order;
        }
        this.noActionFeatures = Collections.nCopies(data.classes().size(), Map.of());
    }

    /** The named policies' defaults with this evaluation's seed; {@code all} expands to every one. */
    public List<PolicyConfig> configs(List<String> names) {
        return configs(names, options.seed());
    }

    /**
     * The named policies' defaults with {@code seed}; {@code all} expands to every one (the offline evaluations'
     * {@code --policies}).
     *
     * @throws IllegalArgumentException for a name no policy has
     */
    public static List<PolicyConfig> configs(List<String> names, long seed) {
        List<PolicyConfig> configs = new ArrayList<>();
        for (String name : names) {
            for (String n : name.equals("all") ? PolicyFactory.NAMES : List.of(name)) {
                configs.add(PolicyFactory.defaults(n, seed));
            }
        }
        return configs;
    }

    /** The bandit protocol for one policy. */
    public Result run(PolicyConfig config) {
        return run(PolicyFactory.create(config), false);
    }

    /** The uniform-random floor. */
    public Result uniform() {
        return run(PolicyFactory.create(PolicyFactory.UNIFORM, options.seed()), false);
    }

    /** The full-information upper bound: the default linear learner, learning every action's reward. */
    public Result supervised() {
        PolicyConfig config = PolicyFactory.defaults(PolicyFactory.GREEDY, options.seed()).withName(SUPERVISED);
        return run(PolicyFactory.create(config), true);
    }

    private Result run(BanditPolicy policy, boolean fullInformation) {
        List<String> classes = data.classes();
        int k = classes.size();
        long rounds = 0;
        double total = 0;
        double last = 0;
        double[] rewards = new double[k];
        ServedModelRounds served = policy.learns() ? null : new ServedModelRounds(policy, options.seed());
        long start = System.nanoTime();
        for (int p = 0; p < orders.length; p++) {
            for (int row : orders[p]) {
                DecisionInput input = new DecisionInput("r" + rounds, data.rows().get(row), classes, noActionFeatures);
                String label = data.labels().get(row);
                BanditDecision decision = policy.choose(input);
                double reward = decision.actionId().equals(label) ? 1.0 : 0.0;
                if (fullInformation) {
                    for (int a = 0; a < k; a++) {
                        rewards[a] = classes.get(a).equals(label) ? 1.0 : 0.0;
                    }
                    policy.learnAll(input, rewards);
                } else if (served != null) {
                    served.learn(input, decision.index(), reward);
                } else {
                    policy.learn(input, decision.index(), reward);
                }
                total += reward;
                if (p == orders.length - 1) {
                    last += reward;
                }
                rounds++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(policy.name(), total / rounds, last / data.size(), rounds, seconds, rounds / seconds,
                policy.config());
    }
}
