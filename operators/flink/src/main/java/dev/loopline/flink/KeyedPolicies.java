package dev.loopline.flink;

import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyConfig;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.ServingModelScorer;
import dev.loopline.core.model.ServingModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;

/**
 * Where the decide-and-learn operator's policy lives. A policy that learns from its own outcomes is kept
 * per key, whole, as its versioned snapshot in keyed state, with a bounded write-through cache so a
 * decision does not deserialise it. A policy serving the trainer's reward model learns nothing here: one
 * instance serves every key, and the model it serves is swapped in when a new version is accepted.
 */
final class KeyedPolicies {
    private static final int CACHE_KEYS = 1024;

    private final PolicyConfig config;
    private final BanditPolicy shared;
    private final ValueState<byte[]> snapshots;
    private final LinkedHashMap<String, BanditPolicy> cache;

    KeyedPolicies(RuntimeContext runtime, PolicyConfig config, long keyRetentionMillis) {
        this.config = config;
        BanditPolicy probe = PolicyFactory.create(config);
        this.shared = probe.learns() ? null : probe;
        this.snapshots = runtime.getState(snapshotsDescriptor(keyRetentionMillis));
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, BanditPolicy> eldest) {
                return size() > CACHE_KEYS;
            }
        };
    }

    /** A key's policy snapshot ({@link BanditPolicy#snapshot()}), expiring with the key retention. */
    static ValueStateDescriptor<byte[]> snapshotsDescriptor(long keyRetentionMillis) {
        return KeyRetention.retained(new ValueStateDescriptor<>("bandit-policy-v1",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO), keyRetentionMillis);
    }

    /** Whether the policy learns from the outcomes joined here (else the trainer does). */
    boolean learning() {
        return shared == null;
    }

    /** The policy of {@code key}: the shared one, or the key's from the cache, else from state, else fresh. */
    BanditPolicy of(String key) throws Exception {
        if (shared != null) {
            return shared;
        }
        BanditPolicy policy = cache.get(key);
        if (policy == null) {
            policy = PolicyFactory.create(config);
            byte[] stored = snapshots.value();
            if (stored != null) {
                policy.restore(stored);
            }
            cache.put(key, policy);
        }
        return policy;
    }

    /** Writes the current key's policy back after it learned. */
    void save(BanditPolicy policy) throws Exception {
        snapshots.update(policy.snapshot());
    }

    /** Serves {@code model} from now on (a policy over the served model only). */
    void serve(ServingModel model) {
        if (shared != null && shared.scorer() instanceof ServingModelScorer scorer) {
            scorer.use(model);
        }
    }
}
