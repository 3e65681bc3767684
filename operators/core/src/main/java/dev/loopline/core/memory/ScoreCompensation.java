package dev.loopline.core.memory;

import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.ScoreAdjustment;
import java.util.List;
import java.util.Map;

/**
 * Error-memory compensation of a bandit policy: the policy's predicted reward of each offered action
 * is corrected by the residuals that action's predictions left lately on similar contexts, and the
 * policy explores on the corrected predictions. One {@link ErrorMemory} per action (per key of the
 * operator), because the mistakes of one route say nothing about another's; the representation is the
 * context's features in a fixed order, the input every scorer of the suite sees.
 *
 * <p>One instance per operator instance (it keeps the operator-wide statistics of {@link
 * KeyedErrorMemory} across keys). A decision asks for a {@link Lookup}, hands it to the policy as its
 * {@link ScoreAdjustment}, and keeps what it served for the chosen action; the outcome goes to {@link
 * #learn} with what was served, so the memory stores the base model's residual and the statistics
 * count the residual before and after the correction.
 */
public final class ScoreCompensation {

    /** The current key's memory of an action, created empty when the key has none yet. */
    @FunctionalInterface
    public interface MemoryStore {
        ErrorMemory of(String actionId);
    }

    private final KeyedErrorMemory keyed;
    private final List<String> contextFeatures;
    private final double low;
    private final double high;

    /**
     * @param config          the memory's parameters (capacity is per key and action)
     * @param contextFeatures the representation: these context features in this order (absent ones are 0)
     * @param low             a corrected prediction is held at or above this (0 for rewards in [0, 1])
     * @param high            and at or below this
     */
    public ScoreCompensation(ErrorMemoryConfig config, List<String> contextFeatures, double low, double high) {
        if (contextFeatures == null || contextFeatures.isEmpty()) {
            throw new IllegalArgumentException("the error memory compares contexts by their features; name them"
                    + " (policy.contextFeatures in loop.yaml)");
        }
        if (!(low <= high)) {
            throw new IllegalArgumentException("prediction bounds [" + low + ", " + high + "] are empty; pass low <= high");
        }
        this.keyed = new KeyedErrorMemory(config);
        this.contextFeatures = List.copyOf(contextFeatures);
        this.low = low;
        this.high = high;
    }

    /** Memories to and from keyed state, and the operator-wide statistics. */
    public KeyedErrorMemory keyed() {
        return keyed;
    }

    public double[] representation(Map<String, Double> context) {
        double[] x = new double[contextFeatures.size()];
        for (int i = 0; i < x.length; i++) {
            Double v = context.get(contextFeatures.get(i));
            x[i] = v == null || !Double.isFinite(v) ? 0.0 : v;
        }
        return x;
    }

    /** The adjustment for one decision, looking actions up in {@code store} at event time {@code now}. */
    public Lookup lookup(DecisionInput input, MemoryStore store, long now) {
        return new Lookup(representation(input.context()), store, now);
    }

    /**
     * Remembers the outcome of a decision: {@code observed − base} goes into the chosen action's
     * memory, and the residuals before and after the served correction into the statistics.
     */
    public void learn(ErrorMemory memory, Map<String, Double> context, double observed, double base, double served,
            int neighbours, long now) {
        keyed.learn(memory, representation(context), observed,
                new Correction(base, served, neighbours, 0, Double.NaN), now);
    }

    /** One decision's look-ups: what each offered action's prediction was and what it became. */
    public final class Lookup implements ScoreAdjustment {
        private final double[] representation;
        private final MemoryStore store;
        private final long now;
        private Correction[] corrections;
        private int[] sizes;

        private Lookup(double[] representation, MemoryStore store, long now) {
            this.representation = representation;
            this.store = store;
            this.now = now;
        }

        @Override
        public void adjust(DecisionInput input, double[] predictions) {
            corrections = new Correction[predictions.length];
            sizes = new int[predictions.length];
            for (int a = 0; a < predictions.length; a++) {
                ErrorMemory memory = store.of(input.actionIds().get(a));
                Correction c = keyed.correct(memory, representation, predictions[a], now).clamp(low, high);
                corrections[a] = c;
                sizes[a] = memory.size();
                predictions[a] = c.corrected();
            }
        }

        /** Whether the policy made predictions to correct (a uniform fallback makes none). */
        public boolean applied() {
            return corrections != null;
        }

        /** The look-up of offered action {@code a}; only when {@link #applied()}. */
        public Correction of(int a) {
            return corrections[a];
        }

        /** Entries action {@code a}'s memory held at the look-up, as a share of its capacity. */
        public double occupancy(int a) {
            return (double) sizes[a] / keyed.config().capacity();
        }
    }
}
