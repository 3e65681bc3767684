package dev.loopline.state;

import dev.loopline.core.model.Checksums;
import dev.loopline.schemas.ModelVersion;

/** Conventions of the model topic that both the trainer and the serving side follow. */
public final class ModelVersions {
    /** A metric set to 1 on versions the gate refused: published for the record, never served. */
    public static final String CANDIDATE = "candidate";
    /** A metric naming the version a rollback or forced promotion copied its parameters from. */
    public static final String COPY_OF = "copyOf";

    private ModelVersions() {}

    /** Why a record cannot be a version at all (bad checksum, inconsistent input schema), or empty. */
    public static java.util.Optional<String> problem(ModelVersion version) {
        byte[] parameters = new byte[version.getParameters().remaining()];
        version.getParameters().duplicate().get(parameters);
        if (!Checksums.sha256Hex(parameters).equalsIgnoreCase(version.getSha256())) {
            return java.util.Optional.of("checksum mismatch");
        }
        if (version.getInputSchema().getFeatureNames().size() != version.getInputSchema().getDimension()) {
            return java.util.Optional.of("input schema names " + version.getInputSchema().getFeatureNames().size()
                    + " features but declares dimension " + version.getInputSchema().getDimension());
        }
        return java.util.Optional.empty();
    }

    public static boolean isCandidate(ModelVersion version) {
        return version.getMetrics().getOrDefault(CANDIDATE, 0.0) != 0.0;
    }

    /** Record key on the model topic: one key per version, so compaction keeps every version. */
    public static String key(ModelVersion version) {
        return version.getModelId() + "@" + version.getVersion();
    }
}
