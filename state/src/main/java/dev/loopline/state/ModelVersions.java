package dev.loopline.state;

import dev.loopline.core.model.ModelAcceptance;
import dev.loopline.core.model.ServingSlot;
import dev.loopline.schemas.ModelVersion;

/** Conventions of the model topic that both the trainer and the serving side follow. */
public final class ModelVersions {
    /** A metric set to 1 on versions the gate refused: published for the record, never served. */
    public static final String CANDIDATE = "candidate";
    /** A metric naming the version a rollback or forced promotion copied its parameters from. */
    public static final String COPY_OF = "copyOf";

    private ModelVersions() {}

    /**
     * Whether the record can serve ({@link ModelAcceptance}: checksum, format, parameters, input schema),
     * with the model ready to score when it can. The one reading of a model record for every consumer.
     */
    public static ModelAcceptance.Verdict verdict(ModelVersion version) {
        return ModelAcceptance.check(version.getVersion(), version.getFormat(), parameters(version), version.getSha256(),
                version.getInputSchema().getFeatureNames(), version.getInputSchema().getDimension(),
                version.getMetrics().getOrDefault("examples", 0.0).longValue());
    }

    /**
     * The verdict under the loop's model key: with a key, a version without a valid signature is refused before
     * anything else is read of it; without one ({@code null}), as {@link #verdict(ModelVersion)}.
     */
    public static ModelAcceptance.Verdict verdict(ModelVersion version, ModelKey key) {
        java.util.Optional<String> forged = key == null ? java.util.Optional.empty() : key.problem(version);
        return forged.isPresent() ? new ModelAcceptance.Verdict(null, forged.get()) : verdict(version);
    }

    /** Why a record cannot be a version at all (bad checksum, unknown format, inconsistent input schema), or empty. */
    public static java.util.Optional<String> problem(ModelVersion version) {
        return java.util.Optional.ofNullable(verdict(version).refusal());
    }

    /** What the serving rule ({@link ServingSlot}) reads of a record. */
    public static ServingSlot.Offer offer(ModelVersion version) {
        return new ServingSlot.Offer(version.getVersion(), version.getSha256(), isCandidate(version),
                version.getMetrics().containsKey(COPY_OF));
    }

    public static boolean isCandidate(ModelVersion version) {
        return version.getMetrics().getOrDefault(CANDIDATE, 0.0) != 0.0;
    }

    /** A copy of the record's parameter bytes. */
    public static byte[] parameters(ModelVersion version) {
        byte[] parameters = new byte[version.getParameters().remaining()];
        version.getParameters().duplicate().get(parameters);
        return parameters;
    }

    /** Record key on the model topic: one key per version, so compaction keeps every version. */
    public static String key(ModelVersion version) {
        return version.getModelId() + "@" + version.getVersion();
    }
}
