package dev.loopline.core.memory;

/**
 * What a keyed stream operator needs to keep one {@link ErrorMemory} per key in a byte-array state
 * (Flink's {@code ValueState<byte[]>}), with no Flink in sight: one instance per operator instance.
 * It turns a key's bytes into a memory and back, shares the hyperplanes among all keys (so restoring
 * a key does not redraw them), and keeps operator-wide statistics across keys for metrics.
 *
 * <pre>{@code
 * ErrorMemory memory = keyed.load(state.value());              // null state: an empty memory
 * Correction c = keyed.correct(memory, representation, score, eventTime);
 * ... or, on feedback:
 * keyed.learn(memory, representation, observed, served, eventTime);
 * state.update(keyed.save(memory));
 * }</pre>
 */
public final class KeyedErrorMemory {
    /** Weight of the newest save in the moving mean of occupancy. */
    static final double OCCUPANCY_SMOOTHING = 0.01;

    private final ErrorMemoryConfig config;
    private final CorrectionStatistics totals = new CorrectionStatistics();
    private Hyperplanes planes;
    private int lastSize;
    private double occupancy;
    private long saves;

    public KeyedErrorMemory(ErrorMemoryConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("error memory config is missing; pass ErrorMemoryConfig.defaults()");
        }
        this.config = config;
    }

    public ErrorMemoryConfig config() {
        return config;
    }

    /** The key's memory from its stored bytes; {@code null} or empty bytes give an empty memory. */
    public ErrorMemory load(byte[] state) {
        ErrorMemory m = state == null || state.length == 0 ? new ErrorMemory(config, planes)
                : ErrorMemory.restore(config, state, planes);
        adopt(m);
        return m;
    }

    /** The bytes to store for the key. */
    public byte[] save(ErrorMemory memory) {
        saved(memory);
        return memory.snapshot();
    }

    /**
     * The key's memory from entries stored one at a time ({@link ErrorMemory.Entry}, in any order, stale
     * ones included: only the newest {@code capacity} are kept) and its {@link ErrorMemory#progress()}
     * record; nothing stored gives an empty memory.
     */
    public ErrorMemory rebuild(java.util.Collection<ErrorMemory.Entry> entries, byte[] progress) {
        ErrorMemory m = ErrorMemory.fromEntries(config, entries, progress, planes);
        adopt(m);
        return m;
    }

    /** Counts a memory as stored (its newest entry and progress were written), for the occupancy figure. */
    public void saved(ErrorMemory memory) {
        adopt(memory);
        lastSize = memory.size();
        double share = (double) memory.size() / config.capacity();
        occupancy = saves++ == 0 ? share : occupancy + OCCUPANCY_SMOOTHING * (share - occupancy);
    }

    /** {@link ErrorMemory#correct}, counted in the operator-wide statistics too. */
    public Correction correct(ErrorMemory memory, double[] representation, double basePrediction, long now) {
        Correction c = memory.correct(representation, basePrediction, now);
        adopt(memory);
        totals.record(c);
        return c;
    }

    /** {@link ErrorMemory#learn}, counted in the operator-wide statistics too. */
    public void learn(ErrorMemory memory, double[] representation, double observed, Correction served, long now) {
        memory.learn(representation, observed, served, now);
        adopt(memory);
        totals.recordOutcome(observed, served);
    }

    /** Operator-wide figures across keys: size is the last saved memory's, occupancy a moving mean over saves. */
    public ErrorMemoryStats totals() {
        return totals.summary(lastSize, occupancy);
    }

    private void adopt(ErrorMemory m) {
        if (planes == null && m.planes() != null) {
            planes = m.planes();
        }
    }
}
