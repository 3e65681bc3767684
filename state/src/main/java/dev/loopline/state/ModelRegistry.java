package dev.loopline.state;

import dev.loopline.core.model.Checksums;
import dev.loopline.core.model.ServingSlot;
import dev.loopline.schemas.ModelVersion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The versions of one model as the model topic holds them, rebuilt by reading the (compacted) topic
 * from the start. Versions only move forward: a rollback or a forced promotion is a new version that
 * copies the parameters of an older one ({@link ModelVersions#COPY_OF}), so every consumer, old or
 * new, applies the same rule: serve the highest version that is not a refused candidate.
 */
public final class ModelRegistry {
    private final String modelId;
    private final ModelKey key;
    private final TreeMap<Long, ModelVersion> versions = new TreeMap<>();

    public ModelRegistry(String modelId) {
        this(modelId, null);
    }

    /** @param key the model key versions must be signed with to count, and copies are signed with; null: none */
    public ModelRegistry(String modelId, ModelKey key) {
        this.modelId = modelId;
        this.key = key;
    }

    private final TreeMap<Long, String> refused = new TreeMap<>();

    /**
     * Adds a record read from the topic. Records of other models are ignored; a repeated version keeps
     * the first; a record that cannot be a version (bad checksum, inconsistent schema) is only noted.
     */
    public void add(ModelVersion version) {
        if (!version.getModelId().equals(modelId)) {
            return;
        }
        Optional<String> problem = Optional.ofNullable(ModelVersions.verdict(version, key).refusal());
        if (problem.isPresent()) {
            refused.putIfAbsent(version.getVersion(), problem.get());
            return;
        }
        versions.putIfAbsent(version.getVersion(), version);
    }

    /** Records that claimed a version number but could not be one, with the reason. */
    public Map<Long, String> unusable() {
        return Collections.unmodifiableMap(refused);
    }

    public List<ModelVersion> all() {
        return Collections.unmodifiableList(new ArrayList<>(versions.values()));
    }

    /** The highest version number used on the topic, by any record. */
    public long highestVersion() {
        long v = versions.isEmpty() ? 0 : versions.lastKey();
        return refused.isEmpty() ? v : Math.max(v, refused.lastKey());
    }

    /** The version serving now: every version offered in order to the serving rule, as a consumer sees them. */
    public Optional<ModelVersion> serving() {
        ModelVersion serving = null;
        for (ModelVersion v : versions.values()) {
            ModelVersion current = serving;
            if (ServingSlot.rule(ModelVersions.offer(v), current == null ? null : ModelVersions.offer(current),
                    () -> null /* add() kept only well-formed versions */).serves()) {
                serving = v;
            }
        }
        return Optional.ofNullable(serving);
    }

    /**
     * A new version that serves the parameters of {@code target} (default: the promoted version before
     * the serving one), or empty with no such version.
     */
    public ModelVersion rollback(Long target, long now) {
        ModelVersion serving = serving().orElseThrow(() -> new IllegalStateException("model " + modelId + " has no serving version"));
        ModelVersion from;
        if (target != null) {
            from = require(target);
            if (ModelVersions.isCandidate(from)) {
                throw new IllegalArgumentException("version " + target + " is a refused candidate; use promote to serve it");
            }
        } else {
            long servingSource = (long) (double) serving.getMetrics().getOrDefault(ModelVersions.COPY_OF, (double) serving.getVersion());
            from = versions.headMap(servingSource, false).descendingMap().values().stream()
                    .filter(v -> !ModelVersions.isCandidate(v)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("version " + serving.getVersion() + " has no earlier promoted version to roll back to"));
        }
        return copy(from, now, "rollback");
    }

    /** A new version that serves the parameters of {@code target}, a candidate or any other version. */
    public ModelVersion promote(long target, long now) {
        return copy(require(target), now, "promote");
    }

    private ModelVersion require(long version) {
        ModelVersion v = versions.get(version);
        if (v == null) {
            throw new IllegalArgumentException("model " + modelId + " has no version " + version + "; versions: " + versions.keySet());
        }
        return v;
    }

    private ModelVersion copy(ModelVersion from, long now, String why) {
        Map<String, Double> metrics = new HashMap<>(from.getMetrics());
        metrics.remove(ModelVersions.CANDIDATE);
        metrics.put(ModelVersions.COPY_OF, (double) from.getVersion());
        byte[] parameters = ModelVersions.parameters(from);
        ModelVersion copy = ModelVersion.newBuilder(from).setVersion(highestVersion() + 1).setParentVersion(from.getVersion())
                .setCreatedAt(now).setAlgorithm(from.getAlgorithm()).setParameters(ByteBuffer.wrap(parameters))
                .setSha256(Checksums.sha256Hex(parameters)).setMetrics(metrics).setSignature(null).build();
        return key == null ? copy : key.sign(copy);
    }
}
