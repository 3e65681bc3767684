package dev.loopline.core.bandit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a policy sees raw features. Each feature name gets a slot the first time a learned event
 * carries it (context and action features are separate name spaces; slot 0 is the constant bias),
 * up to {@link Config#maxFeatures()}. Every slot keeps a running mean and variance (Welford), and a
 * vector holds standardised values {@code (x - mean) / sd}, clipped to {@code ±clip}, so raw features
 * of any scale can be fed as they come.
 *
 * <p>A feature an event does not carry reads 0 (the {@code FeatureLayout} convention), before
 * standardising. A feature first seen after {@code n} events is taken to have been 0 in all of them,
 * which is also what the scorers assume when they grow. Deciding never changes this state; learning
 * does ({@link #observe}). A name the space has no slot for is ignored when deciding.
 */
public final class FeatureSpace {
    /**
     * @param standardize whether values are standardised by the running mean and deviation (else raw)
     * @param clip        bound on a standardised value's magnitude, a guard against outliers and rare
     *                    features early on
     * @param maxFeatures the most feature slots (context and action together); later names are ignored
     *                    and counted in {@link #refused()}; the linear scorers cost {@code O(slots^2)}
     */
    public record Config(boolean standardize, double clip, int maxFeatures) implements java.io.Serializable {
        public Config {
            if (!(clip >= 1 && clip <= 1e6)) {
                throw new IllegalArgumentException("features clip=" + clip
                        + " is outside [1, 1e6]; 5 keeps standardised values within five deviations");
            }
            if (maxFeatures < 1 || maxFeatures > 4096) {
                throw new IllegalArgumentException("features maxFeatures=" + maxFeatures
                        + " is outside [1, 4096]; the linear scorers keep a slots x slots matrix per action,"
                        + " so hash or select features beyond a few hundred");
            }
        }

        public static Config defaults() {
            return new Config(true, 5.0, 256);
        }
    }

    private static final byte CONTEXT = 0;
    private static final byte ACTION = 1;

    private final Config config;
    private final Map<String, Integer> contextSlots = new HashMap<>();
    private final Map<String, Integer> actionSlots = new HashMap<>();
    /** Slots in order of creation, without the bias: their kind and name. */
    private final List<String> names = new ArrayList<>();
    private byte[] kinds = new byte[0];
    private int[] contextList = new int[0];
    private int[] actionList = new int[0];
    private double[] mean = new double[1];
    private double[] m2 = new double[1];
    private long contextRows;
    private long actionRows;
    private long refused;

    public FeatureSpace(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** Vector length: the bias plus every slot. */
    public int dimension() {
        return names.size() + 1;
    }

    /** Slots of context features (ascending). */
    int[] contextSlots() {
        return contextList;
    }

    /** Slots of action features (ascending). */
    int[] actionSlots() {
        return actionList;
    }

    /** Occurrences of features that found no free slot. */
    public long refused() {
        return refused;
    }

    /** The feature name of a slot ({@code bias} for 0), prefixed {@code a:} for action features. */
    public String name(int slot) {
        if (slot == 0) {
            return "bias";
        }
        return kinds[slot - 1] == ACTION ? "a:" + names.get(slot - 1) : names.get(slot - 1);
    }

    /** The decision's vectors under the current statistics; changes nothing. */
    public Featurized featurize(DecisionInput input) {
        int dim = dimension();
        double[] context = new double[dim];
        context[0] = 1.0;
        for (int s : contextList) {
            context[s] = standardize(s, 0.0);
        }
        for (Map.Entry<String, Double> e : input.context().entrySet()) {
            Integer s = contextSlots.get(e.getKey());
            Double v = e.getValue();
            if (s != null && v != null && Double.isFinite(v)) {
                context[s] = standardize(s, v);
            }
        }
        int k = input.size();
        double[][] actionValues = new double[k][actionList.length];
        if (actionList.length > 0) {
            double[] zeros = new double[actionList.length];
            for (int j = 0; j < actionList.length; j++) {
                zeros[j] = standardize(actionList[j], 0.0);
            }
            Map<Integer, Integer> position = new HashMap<>();
            for (int j = 0; j < actionList.length; j++) {
                position.put(actionList[j], j);
            }
            for (int a = 0; a < k; a++) {
                System.arraycopy(zeros, 0, actionValues[a], 0, zeros.length);
                Map<String, Double> features = input.actionFeatures().get(a);
                if (features == null) {
                    continue;
                }
                for (Map.Entry<String, Double> e : features.entrySet()) {
                    Integer s = actionSlots.get(e.getKey());
                    Double v = e.getValue();
                    if (s != null && v != null && Double.isFinite(v)) {
                        actionValues[a][position.get(s)] = standardize(s, v);
                    }
                }
            }
        }
        return new Featurized(context, actionList, actionValues);
    }

    /**
     * Gives new names slots (sorted, so the order never depends on a map's iteration order) and adds
     * the event to the running statistics: its context once, each offered action's features once.
     */
    public void observe(DecisionInput input) {
        addNames(input.context(), contextSlots, CONTEXT);
        for (Map<String, Double> features : input.actionFeatures()) {
            if (features != null) {
                addNames(features, actionSlots, ACTION);
            }
        }
        contextRows++;
        for (int s : contextList) {
            update(s, valueOf(input.context().get(name(s))), contextRows);
        }
        if (actionList.length > 0) {
            for (Map<String, Double> features : input.actionFeatures()) {
                actionRows++;
                for (int s : actionList) {
                    update(s, features == null ? 0.0 : valueOf(features.get(names.get(s - 1))), actionRows);
                }
            }
        }
    }

    private static double valueOf(Double v) {
        return v != null && Double.isFinite(v) ? v : 0.0;
    }

    private void update(int slot, double x, long n) {
        double delta = x - mean[slot];
        mean[slot] += delta / n;
        m2[slot] += delta * (x - mean[slot]);
    }

    private void addNames(Map<String, Double> features, Map<String, Integer> slots, byte kind) {
        List<String> fresh = null;
        for (String name : features.keySet()) {
            if (!slots.containsKey(name)) {
                if (fresh == null) {
                    fresh = new ArrayList<>();
                }
                fresh.add(name);
            }
        }
        if (fresh == null) {
            return;
        }
        Collections.sort(fresh);
        for (String name : fresh) {
            if (names.size() >= config.maxFeatures()) {
                refused++;
                continue;
            }
            add(name, kind);
        }
    }

    private void add(String name, byte kind) {
        names.add(name);
        int slot = names.size();
        kinds = Arrays.copyOf(kinds, slot);
        kinds[slot - 1] = kind;
        mean = Arrays.copyOf(mean, slot + 1);
        m2 = Arrays.copyOf(m2, slot + 1);
        if (kind == CONTEXT) {
            contextSlots.put(name, slot);
            contextList = append(contextList, slot);
        } else {
            actionSlots.put(name, slot);
            actionList = append(actionList, slot);
        }
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private double standardize(int slot, double x) {
        if (!config.standardize()) {
            return x;
        }
        long n = kinds[slot - 1] == ACTION ? actionRows : contextRows;
        if (n < 2) {
            return 0.0;
        }
        double variance = m2[slot] / n;
        if (!(variance > 1e-24)) {
            return 0.0;
        }
        double z = (x - mean[slot]) / Math.sqrt(variance);
        return Math.max(-config.clip(), Math.min(config.clip(), z));
    }

    public FeatureSpace copy() {
        FeatureSpace c = new FeatureSpace(config);
        c.contextSlots.putAll(contextSlots);
        c.actionSlots.putAll(actionSlots);
        c.names.addAll(names);
        c.kinds = kinds.clone();
        c.contextList = contextList.clone();
        c.actionList = actionList.clone();
        c.mean = mean.clone();
        c.m2 = m2.clone();
        c.contextRows = contextRows;
        c.actionRows = actionRows;
        c.refused = refused;
        return c;
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            out.writeByte(kinds[i]);
            out.writeUTF(names.get(i));
        }
        out.writeLong(contextRows);
        out.writeLong(actionRows);
        out.writeLong(refused);
        Dense.write(out, mean);
        Dense.write(out, m2);
    }

    static FeatureSpace read(Config config, DataInput in) throws IOException {
        FeatureSpace f = new FeatureSpace(config);
        int n = in.readInt();
        if (n < 0 || n > config.maxFeatures()) {
            throw new IllegalArgumentException("snapshot holds " + n + " feature slots, the config allows "
                    + config.maxFeatures());
        }
        for (int i = 0; i < n; i++) {
            byte kind = in.readByte();
            String name = in.readUTF();
            if (kind != CONTEXT && kind != ACTION) {
                throw new IllegalArgumentException("snapshot feature kind " + kind + " is unknown");
            }
            f.add(name, kind);
        }
        f.contextRows = in.readLong();
        f.actionRows = in.readLong();
        f.refused = in.readLong();
        f.mean = Dense.read(in, n + 1);
        f.m2 = Dense.read(in, n + 1);
        return f;
    }
}
