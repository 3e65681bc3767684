package dev.loopline.core.bandit;

/**
 * One decision's standardised features: the context vector over every slot (bias at 0, action slots
 * left 0) and, per offered action, the values of the action-feature slots. Built by
 * {@link FeatureSpace#featurize}; scorers only read it.
 */
public final class Featurized {
    private final double[] context;
    private final int[] actionSlots;
    private final double[][] actionValues;

    Featurized(double[] context, int[] actionSlots, double[][] actionValues) {
        this.context = context;
        this.actionSlots = actionSlots;
        this.actionValues = actionValues;
    }

    /** Vector length: the bias plus every feature slot. */
    public int dimension() {
        return context.length;
    }

    public int actions() {
        return actionValues.length;
    }

    /** The context part, bias included; read only. */
    double[] context() {
        return context;
    }

    /** Slots of the action features, in the order of {@link #actionValues(int)}; read only. */
    int[] actionSlots() {
        return actionSlots;
    }

    /** Standardised action-feature values of offered action {@code a}; read only. */
    double[] actionValues(int a) {
        return actionValues[a];
    }

    /** Writes the full vector of offered action {@code a} (context and its action features) into {@code out}. */
    public void vector(int a, double[] out) {
        System.arraycopy(context, 0, out, 0, context.length);
        double[] values = actionValues[a];
        for (int j = 0; j < actionSlots.length; j++) {
            out[actionSlots[j]] = values[j];
        }
    }
}
