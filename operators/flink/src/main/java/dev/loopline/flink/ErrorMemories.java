package dev.loopline.flink;

import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.memory.ErrorMemory;
import dev.loopline.core.memory.ErrorMemoryStats;
import dev.loopline.core.memory.ScoreCompensation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.MetricGroup;

/**
 * The error memories of the decide-and-learn operator in keyed state: per key one memory per action,
 * stored an entry at a time (map state: {@code action \0 slot} to an entry, {@code action \0 p} to its
 * progress record), so an outcome writes one entry, not the whole memory. Memories are kept deserialised
 * in a bounded write-through cache; a miss rebuilds one from its entries (a scan of the key's entries).
 */
final class ErrorMemories {
    /** Memories kept deserialised (key and action); a full memory of 128 entries over 17 features is about 25 KB. */
    private static final int CACHE_ENTRIES = 2048;
    /** Map key part of an error memory's progress record, beside its numbered entry slots. */
    private static final String PROGRESS = "p";

    private final MapState<String, byte[]> entries;
    private final LinkedHashMap<String, ErrorMemory> cache;
    private final ScoreCompensation compensation;
    private final Supplier<String> currentKey;

    ErrorMemories(RuntimeContext runtime, LoopSettings settings, Supplier<String> currentKey) {
        this.entries = runtime.getMapState(KeyRetention.retained(new MapStateDescriptor<>("error-memory-entries-v1",
                Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO), settings.keyRetentionMillis()));
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ErrorMemory> eldest) {
                return size() > CACHE_ENTRIES;
            }
        };
        // A correction never leaves the range a reward can take, which is unknown in general, so it is not clamped.
        this.compensation = new ScoreCompensation(settings.errorMemory(), settings.contextFeatures(),
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        this.currentKey = currentKey;
    }

    void registerGauges(MetricGroup metrics) {
        MetricGroup memory = metrics.addGroup("errorMemory");
        memory.gauge("hitRate", () -> totals().hitRate());
        memory.gauge("meanAbsCorrection", () -> totals().meanAbsCorrection());
        memory.gauge("occupancy", () -> totals().occupancy());
        memory.gauge("residualMeanBefore", () -> totals().residualMeanBefore());
        memory.gauge("residualMeanAfter", () -> totals().residualMeanAfter());
    }

    /** The corrections of the current key's memories for every offered action of a decision at {@code now}. */
    ScoreCompensation.Lookup lookup(DecisionInput input, long now) {
        return compensation.lookup(input, this::of, now);
    }

    /** The outcome's residual against the base prediction goes into the chosen action's memory: one entry written. */
    void learn(String actionId, Map<String, Double> context, double reward, double base, double served, int neighbours,
            long now) throws Exception {
        ErrorMemory memory = of(actionId);
        compensation.learn(memory, context, reward, base, served, neighbours, now);
        // The newest entry takes the slot of the one the memory evicted (seq - capacity): one small write.
        ErrorMemory.Entry newest = memory.newest();
        entries.put(key(actionId, Long.toString(newest.seq() % compensation.keyed().config().capacity())), newest.encode());
        entries.put(key(actionId, PROGRESS), memory.progress());
        compensation.keyed().saved(memory);
    }

    /** Operator-wide error-memory figures across keys. */
    ErrorMemoryStats totals() {
        return compensation.keyed().totals();
    }

    private static String key(String actionId, String part) {
        return actionId + '\u0000' + part;
    }

    /** The current key's memory of an action: from the cache, else rebuilt from its entries, else empty. */
    private ErrorMemory of(String actionId) {
        String cacheKey = key(currentKey.get(), actionId);
        ErrorMemory memory = cache.get(cacheKey);
        if (memory == null) {
            String prefix = key(actionId, "");
            List<ErrorMemory.Entry> stored = new ArrayList<>();
            byte[] progress = null;
            try {
                Iterable<Map.Entry<String, byte[]>> all = entries.entries();
                for (Map.Entry<String, byte[]> e : all == null ? List.<Map.Entry<String, byte[]>>of() : all) {
                    String part = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : null;
                    if (PROGRESS.equals(part)) {
                        progress = e.getValue();
                    } else if (part != null) {
                        stored.add(ErrorMemory.Entry.decode(e.getValue()));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the error memory of " + actionId + " for " + currentKey.get(), e);
            }
            memory = compensation.keyed().rebuild(stored, progress);
            cache.put(cacheKey, memory);
        }
        return memory;
    }
}
