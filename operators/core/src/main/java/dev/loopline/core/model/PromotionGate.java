package dev.loopline.core.model;

import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.ope.Estimator;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.Interval;
import java.util.List;

/**
 * Decides whether a candidate policy may replace the serving one, from logged decisions it was not
 * trained on. Both are valued off-policy with self-normalised importance sampling (SNIPS) on the same
 * logs; a paired bootstrap gives an interval for the difference, and the candidate is promoted only
 * when the lower end of that interval is above {@code -margin}: not worse than serving by more than
 * the margin, with the configured confidence. Without a serving policy the baseline is the logging
 * policy itself (the logged mean reward).
 */
public final class PromotionGate {

    /** One logged decision: what was offered, what was chosen with which probability, what it earned. */
    public record LoggedDecision(DecisionInput input, int chosen, double propensity, double reward) {}

    /** A policy's distribution over the offered actions of an input. */
    @FunctionalInterface
    public interface Distribution {
        double[] probabilities(DecisionInput input);
    }

    public record Config(double margin, int minExamples, int bootstrapSamples, double confidence, long seed)
            implements java.io.Serializable {
        public Config {
            if (!(margin >= 0 && margin <= 1)) {
                throw new IllegalArgumentException("gate margin=" + margin + " must be in [0, 1] (reward units); 0.02 is usual");
            }
            if (minExamples < 1) {
                throw new IllegalArgumentException("gate minExamples=" + minExamples + " must be at least 1");
            }
            if (bootstrapSamples < 50 || bootstrapSamples > 100_000) {
                throw new IllegalArgumentException("gate bootstrapSamples=" + bootstrapSamples + " must be in [50, 100000]");
            }
            if (!(confidence > 0.5 && confidence < 1)) {
                throw new IllegalArgumentException("gate confidence=" + confidence + " must be in (0.5, 1); 0.95 is usual");
            }
        }

        public static Config defaults(long seed) {
            return new Config(0.02, 200, 200, 0.95, seed);
        }
    }

    /** The gate's finding; {@code promote} says what to do, the rest says why. */
    public record Verdict(boolean promote, double candidateValue, double servingValue, double differenceLow,
            double differenceHigh, int examples, String reason) {}

    private final Config config;

    public PromotionGate(Config config) {
        this.config = config;
    }

    public Verdict judge(List<LoggedDecision> logs, Distribution candidate, Distribution serving, long round) {
        int n = logs.size();
        if (n < config.minExamples()) {
            return new Verdict(true, Double.NaN, Double.NaN, Double.NaN, Double.NaN, n,
                    "promoted without a test: " + n + " held-out decisions, fewer than " + config.minExamples());
        }
        double[] wc = new double[n];
        double[] ws = new double[n];
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            LoggedDecision d = logs.get(i);
            double p = Math.max(d.propensity(), 1e-6);
            wc[i] = candidate.probabilities(d.input())[d.chosen()] / p;
            ws[i] = serving == null ? 1.0 : serving.probabilities(d.input())[d.chosen()] / p;
            r[i] = d.reward();
        }
        int[] all = java.util.stream.IntStream.range(0, n).toArray();
        double vc = Estimator.snips(wc, r, all);
        double vs = Estimator.snips(ws, r, all);
        // Paired: each resample values both policies on the same rows. Each round draws its own resamples.
        Interval difference = Bootstrap.interval(n, rows -> Estimator.snips(wc, r, rows) - Estimator.snips(ws, r, rows),
                new Bootstrap.Config(config.bootstrapSamples(), config.confidence(), config.seed() * 1_000_003L + round));
        double low = difference.low();
        double high = difference.high();
        boolean promote = low >= -config.margin();
        String reason = String.format(java.util.Locale.ROOT,
                "%s: candidate %.4f vs serving %.4f (SNIPS on %d held-out decisions), difference %.0f%% interval [%.4f, %.4f], margin %.4f",
                promote ? "promoted" : "refused", vc, vs, n, 100 * config.confidence(), low, high, config.margin());
        return new Verdict(promote, vc, vs, low, high, n, reason);
    }
}
