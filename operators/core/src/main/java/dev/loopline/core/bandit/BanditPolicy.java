package dev.loopline.core.bandit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * A contextual-bandit policy assembled from parts ({@link PolicyFactory}): a {@link FeatureSpace}
 * that standardises raw features online, a {@link Scorer} that predicts each offered action's reward
 * and an {@link Exploration} strategy that turns the predictions into a distribution; the policy
 * samples from it and records the propensity.
 *
 * <p>Verbs: {@link #choose} (reads state only), {@link #learn} (one bandit outcome), {@link
 * #learnAll} (full information, for upper bounds), {@link #copy}, {@link #snapshot} and {@link
 * #restore}. Random draws come from the config's seed and the event id ({@link Draws#forEvent}), so
 * the same events give the same decisions. Only offered actions are ever chosen; an action never seen
 * before is scored from the scorer's prior, one no longer offered is simply not scored.
 *
 * <p>Snapshot format {@value #FORMAT_VERSION} (big-endian, {@code DataOutput}): int magic {@code
 * 0x4C4C4250} ("LLBP"), int format version, UTF policy name, UTF scorer kind, UTF strategy, long
 * learned outcomes, double smallest and largest reward seen, the feature space, the scorer's state.
 */
public final class BanditPolicy {
    public static final int FORMAT_VERSION = 1;
    static final int MAGIC = 0x4C4C4250;
    /** Salt of the learning draws (bootstrap weights), so they never repeat the decision's draws. */
    private static final long LEARN_SALT = 0x6C6561726E5F7631L;

    private final PolicyConfig config;
    private final Exploration exploration;
    private FeatureSpace features;
    private Scorer scorer;
    private long learned;
    private double rewardMin = Double.NaN;
    private double rewardMax = Double.NaN;

    BanditPolicy(PolicyConfig config, Scorer scorer) {
        this.config = config;
        this.exploration = config.exploration().create();
        this.features = new FeatureSpace(config.features());
        this.scorer = scorer;
    }

    private BanditPolicy(BanditPolicy other) {
        this.config = other.config;
        this.exploration = other.exploration;
        this.features = other.features.copy();
        this.scorer = other.scorer.copy();
        this.learned = other.learned;
        this.rewardMin = other.rewardMin;
        this.rewardMax = other.rewardMax;
    }

    public String name() {
        return config.name();
    }

    public PolicyConfig config() {
        return config;
    }

    /** The scorer, e.g. to hand a {@link ServingModelScorer} its model version. */
    public Scorer scorer() {
        return scorer;
    }

    public FeatureSpace features() {
        return features;
    }

    /** Outcomes learned so far. */
    public long learned() {
        return learned;
    }

    /** Decides with the event's own random stream, {@code Draws.forEvent(seed, eventId)}. */
    public BanditDecision choose(DecisionInput input) {
        return choose(input, Draws.forEvent(config.seed(), input.eventId()));
    }

    /** Decides with a caller-supplied random stream. Changes no state. */
    public BanditDecision choose(DecisionInput input, SplittableRandom random) {
        return choose(input, random, ScoreAdjustment.NONE);
    }

    /**
     * Decides on the scorer's predictions after {@code adjustment} has corrected them; a bootstrap
     * member's predictions move by the same amount as the mean, so the members' spread (the
     * exploration) is the scorer's own. Changes no state of the policy.
     */
    public BanditDecision choose(DecisionInput input, SplittableRandom random, ScoreAdjustment adjustment) {
        int k = input.size();
        // A served model reads the raw features it was trained on; only a learning scorer needs the space.
        Featurized f = scorer.learns() ? features.featurize(input) : null;
        double[] means = new double[k];
        double[] widths = exploration.needsWidths() ? new double[k] : null;
        double[][] members = null;
        if (exploration.needsMembers()) {
            members = ((BaggedScorer) scorer).memberScores(f, input);
            BaggedScorer.average(members, means);
        } else {
            scorer.score(f, input, means, widths);
        }
        sanitize(means, members);
        if (adjustment != ScoreAdjustment.NONE) {
            double[] before = means.clone();
            adjustment.adjust(input, means);
            if (members != null) {
                for (double[] member : members) {
                    for (int a = 0; a < k; a++) {
                        member[a] += means[a] - before[a];
                    }
                }
            }
            sanitize(means, members);
        }
        long experience = scorer.learns() ? learned : scorer.trainedExamples();
        Spread spread = exploration.explore(new ScoreSheet(means, widths, members, experience, rewardMin, rewardMax),
                random);
        double[] p = spread.probabilities();
        int chosen = spread.chosen() >= 0 ? spread.chosen() : Draws.sample(p, random);
        double best = Double.NEGATIVE_INFINITY;
        for (double m : means) {
            best = Math.max(best, m);
        }
        boolean deterministic = !spread.estimated() && p[chosen] == 1.0;
        return new BanditDecision(chosen, input.actionIds().get(chosen), p, means, spread.bonus(), deterministic,
                spread.estimated(), means[chosen] < best, scorer.ready() ? config.name() : fallbackName(),
                scorer.modelVersion());
    }

    /**
     * The name decisions are logged under while the scorer has nothing to score with (a served model
     * not yet arrived): the strategy then spreads over equal scores, the safe default.
     */
    public String fallbackName() {
        return config.name() + "/fallback";
    }

    /**
     * The {@code top} largest contributions {@code weight_i * x_i} to offered action {@code chosen}'s
     * prediction, by feature name (the constant is {@code bias}; action features are prefixed {@code a:});
     * empty when the scorer has no linear weights for it.
     */
    public java.util.Map<String, Double> topFeatures(DecisionInput input, int chosen, int top) {
        double[] weights = scorer.weights(input, chosen);
        java.util.Map<String, Double> result = new java.util.LinkedHashMap<>();
        if (weights == null) {
            return result;
        }
        Featurized f = features.featurize(input);
        double[] x = new double[f.dimension()];
        f.vector(chosen, x);
        java.util.List<java.util.Map.Entry<String, Double>> contributions = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(weights.length, x.length); i++) {
            contributions.add(java.util.Map.entry(features.name(i), weights[i] * x[i]));
        }
        contributions.sort((p, q) -> Double.compare(Math.abs(q.getValue()), Math.abs(p.getValue())));
        contributions.stream().limit(top).forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** Whether outcomes teach this policy; a policy serving a model trained elsewhere learns nothing here. */
    public boolean learns() {
        return scorer.learns();
    }

    /**
     * The distribution this policy logs for {@code input}, drawn with the event's own stream (the
     * decision's ties broken as the decision breaks them): what an off-policy estimate or a promotion
     * gate needs to value the policy without deciding.
     */
    public double[] distribution(DecisionInput input) {
        return choose(input).probabilities();
    }

    /**
     * A score that is not a finite number (a served model fed extreme inputs) counts as the worst one
     * seen in this decision, so the strategies always get numbers and never favour a broken score.
     */
    private static void sanitize(double[] means, double[][] members) {
        fix(means);
        if (members != null) {
            for (double[] m : members) {
                fix(m);
            }
        }
    }

    private static void fix(double[] scores) {
        double worst = Double.POSITIVE_INFINITY;
        boolean broken = false;
        for (double s : scores) {
            if (Double.isFinite(s)) {
                worst = Math.min(worst, s);
            } else {
                broken = true;
            }
        }
        if (broken) {
            double value = Double.isFinite(worst) ? worst : 0.0;
            for (int a = 0; a < scores.length; a++) {
                if (!Double.isFinite(scores[a])) {
                    scores[a] = value;
                }
            }
        }
    }

    /** Learns that offered action {@code chosen} (an index into the input's actions) earned {@code reward}. */
    public void learn(DecisionInput input, int chosen, double reward) {
        if (chosen < 0 || chosen >= input.size()) {
            throw new IllegalArgumentException("chosen index " + chosen + " is not one of the " + input.size()
                    + " offered actions");
        }
        checkReward(reward);
        if (!scorer.learns()) {
            return; // the trainer learns from the joined examples and publishes the model this policy serves
        }
        features.observe(input);
        Featurized f = features.featurize(input);
        scorer.learn(f, input, chosen, reward, 1.0, learnRandom(input));
        seen(reward);
    }

    /** Learns that offered action {@code actionId} earned {@code reward}. */
    public void learn(DecisionInput input, String actionId, double reward) {
        int chosen = input.actionIds().indexOf(actionId);
        if (chosen < 0) {
            throw new IllegalArgumentException("action " + actionId + " was not offered in event " + input.eventId());
        }
        learn(input, chosen, reward);
    }

    /**
     * Learns every offered action's reward at once (full information: supervised data, simulators),
     * counting as one learned event. It is how an upper bound for a bandit learner is computed.
     */
    public void learnAll(DecisionInput input, double[] rewards) {
        if (rewards.length != input.size()) {
            throw new IllegalArgumentException(rewards.length + " rewards for " + input.size() + " actions");
        }
        for (double r : rewards) {
            checkReward(r);
        }
        features.observe(input);
        Featurized f = features.featurize(input);
        SplittableRandom random = learnRandom(input);
        for (int a = 0; a < rewards.length; a++) {
            scorer.learn(f, input, a, rewards[a], 1.0, random);
        }
        for (double r : rewards) {
            rewardMin = Double.isNaN(rewardMin) ? r : Math.min(rewardMin, r);
            rewardMax = Double.isNaN(rewardMax) ? r : Math.max(rewardMax, r);
        }
        learned++;
    }

    private SplittableRandom learnRandom(DecisionInput input) {
        return Draws.forEvent(config.seed() ^ LEARN_SALT, input.eventId());
    }

    private static void checkReward(double reward) {
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("reward " + reward + " is not a finite number; send it to the dead letters");
        }
    }

    private void seen(double reward) {
        rewardMin = Double.isNaN(rewardMin) ? reward : Math.min(rewardMin, reward);
        rewardMax = Double.isNaN(rewardMax) ? reward : Math.max(rewardMax, reward);
        learned++;
    }

    /** A deep, independent copy: learning on one never changes the other. */
    public BanditPolicy copy() {
        return new BanditPolicy(this);
    }

    /** The whole learned state in the versioned byte format (see the class comment). */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(config.name());
            out.writeUTF(scorer.kind());
            out.writeUTF(exploration.name());
            out.writeLong(learned);
            out.writeDouble(rewardMin);
            out.writeDouble(rewardMax);
            features.write(out);
            scorer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    /**
     * Replaces this policy's state with a snapshot's. The snapshot must come from a policy of the same
     * name, scorer and strategy; otherwise, or if it is damaged, this throws an {@link
     * IllegalArgumentException} saying why and leaves the state as it was.
     */
    public void restore(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a Loopline policy snapshot (bad magic)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("policy snapshot format " + version + " is not supported; this build reads "
                        + FORMAT_VERSION);
            }
            String name = in.readUTF();
            String scorerKind = in.readUTF();
            String strategy = in.readUTF();
            if (!name.equals(config.name()) || !scorerKind.equals(scorer.kind()) || !strategy.equals(exploration.name())) {
                throw new IllegalArgumentException("snapshot of policy " + name + " (" + scorerKind + " + " + strategy
                        + ") cannot restore policy " + config.name() + " (" + scorer.kind() + " + " + exploration.name() + ")");
            }
            long readLearned = in.readLong();
            double readMin = in.readDouble();
            double readMax = in.readDouble();
            FeatureSpace readFeatures = FeatureSpace.read(config.features(), in);
            Scorer readScorer = scorer.copy();
            readScorer.read(in);
            if (in.available() != 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after the policy state");
            }
            features = readFeatures;
            scorer = readScorer;
            learned = readLearned;
            rewardMin = readMin;
            rewardMax = readMax;
        } catch (IOException e) {
            throw new IllegalArgumentException("policy snapshot ends early: " + e.getMessage(), e);
        }
    }
}
