package dev.loopline.flink;

import dev.loopline.core.model.ServingModel;
import dev.loopline.core.model.ServingSlot;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.state.ModelKey;
import dev.loopline.state.ModelVersions;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * The model versions the decide-and-learn operator serves, in its broadcast state (what survives a
 * restore): the serving version and the one before it, moved by the serving rule ({@link ServingSlot}),
 * and the serving version's model, parsed once per version.
 */
final class ServedModels {
    static final String SERVING = "serving";
    static final String PREVIOUS = "previous";

    private final ModelKey key;
    private long servingVersion;

    /** @param key the loop's model key, or null when versions are not signed */
    ServedModels(ModelKey key) {
        this.key = key;
    }

    /** Offers a version from the model topic; a serving one moves the current one to previous. */
    ServingSlot.Ruling offer(BroadcastState<String, ModelVersion> models, ModelVersion version) throws Exception {
        ModelVersion current = models.get(SERVING);
        ServingSlot.Ruling ruling = ServingSlot.rule(ModelVersions.offer(version),
                current == null ? null : ModelVersions.offer(current), () -> ModelVersions.verdict(version, key).refusal());
        if (ruling.serves()) {
            if (current != null) {
                models.put(PREVIOUS, current);
            }
            models.put(SERVING, version);
        }
        return ruling;
    }

    /** The serving version's model when it changed since the last call, else null (nothing to swap in). */
    ServingModel changed(ReadOnlyBroadcastState<String, ModelVersion> models) throws Exception {
        return activate(models.get(SERVING));
    }

    /** {@code version}'s model when it is not the one serving here, else null (nothing to swap in, or no version). */
    ServingModel activate(ModelVersion version) {
        if (version == null || version.getVersion() == servingVersion) {
            return null;
        }
        servingVersion = version.getVersion();
        return ModelVersions.verdict(version).model();
    }

    /** The version serving in this instance (0: none yet). */
    long servingVersion() {
        return servingVersion;
    }
}
