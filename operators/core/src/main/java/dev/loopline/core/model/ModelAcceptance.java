package dev.loopline.core.model;

import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.validate.Rejection;
import java.util.List;

/**
 * Decides whether a published model version may serve. A version is refused, with the reason, when
 * its checksum does not match its parameters, its format is unknown, its parameters do not parse, or
 * its input schema disagrees with the network's input size. A refused version never replaces the
 * one serving.
 */
public final class ModelAcceptance {
    private ModelAcceptance() {}

    /** The verdict: a model to serve, or the reason it was refused. */
    public record Verdict(ServingModel model, String refusal) {
        public boolean accepted() {
            return model != null;
        }
    }

    public static Verdict check(long version, String format, byte[] parameters, String sha256,
            List<String> featureNames, int dimension, long trainedExamples) {
        if (version < 1) {
            return refuse("invalid-version", "model version " + version + " is not positive");
        }
        String actual = Checksums.sha256Hex(parameters);
        if (!actual.equalsIgnoreCase(sha256 == null ? "" : sha256)) {
            return refuse("bad-checksum", "model version " + version + " checksum mismatch: declared " + sha256 + ", parameters hash to " + actual);
        }
        boolean heads = Mlp.HEADS_FORMAT.equals(format);
        if (!Mlp.FORMAT.equals(format) && !heads) {
            return refuse("unknown-format", "model version " + version + " has unknown format '" + format + "'; expected " + Mlp.FORMAT
                    + " or " + Mlp.HEADS_FORMAT);
        }
        if (featureNames.size() != dimension) {
            return refuse("bad-input-schema", "model version " + version + " input schema names " + featureNames.size()
                    + " features but declares dimension " + dimension);
        }
        Mlp network;
        try {
            network = Mlp.decode(parameters);
        } catch (IllegalArgumentException e) {
            return refuse("unreadable-model", "model version " + version + " parameters do not parse: " + e.getMessage());
        }
        FeatureLayout layout = new FeatureLayout(featureNames);
        int inputs = heads ? layout.inputDimension() : dimension;
        if (network.inputDimension() != inputs) {
            return refuse("bad-input-schema", "model version " + version + " network takes " + network.inputDimension()
                    + " inputs but the input schema has dimension " + inputs);
        }
        int outputs = heads ? layout.headIds().size() + 1 : 1;
        if (network.outputDimension() != outputs || (heads && outputs == 1)) {
            return refuse("bad-input-schema", "model version " + version + " network gives " + network.outputDimension() + " outputs; "
                    + (heads ? "its input schema names " + (outputs - 1) + " action ids: a shared output and one per action"
                    : "a " + format + " network gives one"));
        }
        return new Verdict(new ServingModel(version, layout, network, trainedExamples), null);
    }

    /** A refusal whose reason names its kind first, as every dead letter's does ({@link Rejection#reason()}). */
    private static Verdict refuse(String kind, String details) {
        return new Verdict(null, new Rejection(kind, details).reason());
    }
}
