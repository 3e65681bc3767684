package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * Boltzmann exploration: {@code p(a) ∝ exp(score(a) / temperature)}. The temperature is in reward
 * units: a gap of one temperature between two actions makes the better one e times as likely.
 */
public final class Softmax implements Exploration {
    public static final String NAME = "softmax";

    /** @param temperature in reward units; small is nearly greedy, large nearly uniform */
    public record Config(double temperature) implements ExplorationConfig {
        public Config {
            if (!(temperature >= 1e-6 && temperature <= 1e6)) {
                throw new IllegalArgumentException("softmax temperature=" + temperature
                        + " is outside [1e-6, 1e6]; for rewards in [0, 1], 0.1 prefers a 0.1 better action e to 1");
            }
        }

        public static Config defaults() {
            return new Config(0.1);
        }

        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new Softmax(this);
        }
    }

    private final Config config;

    public Softmax(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Spread explore(ScoreSheet sheet, SplittableRandom random) {
        double[] means = sheet.means();
        double best = Double.NEGATIVE_INFINITY;
        for (double m : means) {
            best = Math.max(best, m);
        }
        double[] p = new double[means.length];
        double total = 0;
        for (int a = 0; a < means.length; a++) {
            p[a] = Math.exp((means[a] - best) / config.temperature());
            total += p[a];
        }
        for (int a = 0; a < means.length; a++) {
            p[a] /= total;
        }
        return Spread.of(p);
    }
}
