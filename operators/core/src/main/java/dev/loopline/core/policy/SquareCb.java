package dev.loopline.core.policy;

import dev.loopline.core.model.ServingModel;
import java.util.SplittableRandom;

/**
 * SquareCB (Foster and Rakhlin, 2020): a regression oracle predicts each action's reward and the
 * inverse-gap weighting turns the predictions into a distribution, {@code p(a) = 1 / (K + gamma (best -
 * score(a)))} for every action but the best, which takes the rest. The learning rate {@code gamma}
 * grows with the data behind the model: {@code gamma = max(gammaMin, gammaScale * sqrt(examples))}.
 *
 * <p>Before any model version has arrived the policy is the safe default: uniform over the offered
 * actions, logged under {@code squarecb/fallback} with model version 0.
 */
public final class SquareCb {
    public static final String NAME = "squarecb";
    public static final String FALLBACK = NAME + "/fallback";

    public record Config(double gammaScale, double gammaMin) implements java.io.Serializable {
        public Config {
            if (!(gammaScale > 0 && gammaScale <= 1e4)) {
                throw new IllegalArgumentException("squarecb gammaScale=" + gammaScale
                        + " must be in (0, 10000]; about 1 suits rewards in [0, 1]");
            }
            if (!(gammaMin >= 0 && gammaMin <= 1e6)) {
                throw new IllegalArgumentException("squarecb gammaMin=" + gammaMin + " must be in [0, 1e6]");
            }
        }

        public static Config defaults() {
            return new Config(1.0, 10.0);
        }
    }

    private final Config config;

    public SquareCb(Config config) {
        this.config = config;
    }

    public double gamma(long examples) {
        return Math.max(config.gammaMin(), config.gammaScale() * Math.sqrt(Math.max(1, examples)));
    }

    public Choice choose(DecisionInput input, ServingModel model, SplittableRandom random) {
        return choose(input, model, random, ScoreAdjustment.NONE);
    }

    /**
     * Decides on the model's predictions after {@code adjustment} has corrected them. With no model yet
     * there are no predictions to correct, and the fallback stays uniform.
     */
    public Choice choose(DecisionInput input, ServingModel model, SplittableRandom random, ScoreAdjustment adjustment) {
        int k = input.size();
        if (model == null) {
            double[] probabilities = new double[k];
            java.util.Arrays.fill(probabilities, 1.0 / k);
            return new Choice(Draws.sample(probabilities, random), probabilities, new double[k], false, 0L, FALLBACK);
        }
        double[] scores = scores(input, model);
        adjustment.adjust(input, scores);
        int best = Draws.argmaxRandomTies(scores, random);
        double[] probabilities = inverseGap(scores, best, gamma(model.trainedExamples()));
        int chosen = Draws.sample(probabilities, random);
        return new Choice(chosen, probabilities, scores, chosen != best, model.version(), NAME);
    }

    /**
     * The distribution {@link #choose} draws from, without drawing (ties go to the first best action);
     * what an off-policy estimate of this policy needs.
     */
    public double[] distribution(DecisionInput input, ServingModel model) {
        int k = input.size();
        if (model == null) {
            double[] uniform = new double[k];
            java.util.Arrays.fill(uniform, 1.0 / k);
            return uniform;
        }
        double[] scores = scores(input, model);
        int best = 0;
        for (int a = 1; a < k; a++) {
            if (scores[a] > scores[best]) {
                best = a;
            }
        }
        return inverseGap(scores, best, gamma(model.trainedExamples()));
    }

    private static double[] scores(DecisionInput input, ServingModel model) {
        return model.scoreAll(input.context(), input.actionIds(), input.actionFeatures());
    }

    private static double[] inverseGap(double[] scores, int best, double gamma) {
        int k = scores.length;
        double[] probabilities = new double[k];
        double rest = 0;
        for (int a = 0; a < k; a++) {
            if (a != best) {
                probabilities[a] = 1.0 / (k + gamma * (scores[best] - scores[a]));
                rest += probabilities[a];
            }
        }
        probabilities[best] = 1.0 - rest;
        return probabilities;
    }
}
