package dev.loopline.state;

import dev.loopline.core.model.Checksums;
import dev.loopline.core.validate.Rejection;
import dev.loopline.schemas.ModelVersion;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that signs model versions: with one configured, only versions carrying a valid HMAC-SHA-256 of their
 * fields serve, so writing to the model topic is no longer enough to steer every decision (the checksum detects
 * corruption, not forgery). The key comes from the environment ({@code LOOPLINE_MODEL_KEY}, or a file named by
 * {@code LOOPLINE_MODEL_KEY_FILE}), never from {@code loop.yaml}; the process that builds the job reads it and
 * the job carries it to its operators.
 */
public final class ModelKey implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String VARIABLE = "LOOPLINE_MODEL_KEY";
    public static final String FILE_VARIABLE = "LOOPLINE_MODEL_KEY_FILE";
    private static final int MIN_BYTES = 16;
    private static final String HMAC = "HmacSHA256";

    private final byte[] secret;

    public ModelKey(byte[] secret) {
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("a model key needs at least " + MIN_BYTES + " bytes, got " + secret.length
                    + "; e.g. head -c 32 /dev/urandom | base64");
        }
        this.secret = secret.clone();
    }

    /** The key named by the environment, if any: the file of {@value #FILE_VARIABLE}, else {@value #VARIABLE}. */
    public static Optional<ModelKey> fromEnvironment() {
        return from(System.getenv());
    }

    static Optional<ModelKey> from(Map<String, String> environment) {
        String file = environment.get(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            try {
                return Optional.of(new ModelKey(Files.readString(Path.of(file)).strip().getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(FILE_VARIABLE + "=" + file + ": cannot read the model key", e);
            }
        }
        String value = environment.get(VARIABLE);
        return value == null || value.isBlank() ? Optional.empty()
                : Optional.of(new ModelKey(value.strip().getBytes(StandardCharsets.UTF_8)));
    }

    /** The version with its signature set: every field but the signature, under this key. */
    public ModelVersion sign(ModelVersion version) {
        return ModelVersion.newBuilder(version).setSignature(signatureOf(version)).build();
    }

    /** Why the version's signature is not valid under this key, or empty when it is. */
    public Optional<String> problem(ModelVersion version) {
        if (version.getSignature() == null) {
            return Optional.of(new Rejection("unsigned-model", "version " + version.getVersion() + " of "
                    + version.getModelId() + " has no signature and the loop has a model key").reason());
        }
        byte[] expected = signatureOf(version).getBytes(StandardCharsets.US_ASCII);
        byte[] given = version.getSignature().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.empty()
                : Optional.of(new Rejection("bad-signature", "version " + version.getVersion() + " of "
                        + version.getModelId() + " is not signed with the loop's model key").reason());
    }

    private String signatureOf(ModelVersion v) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            mac.update(canonical(v).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Every field but the signature, in schema order, each one length-prefixed so no two versions read alike; the
     * parameters enter through their SHA-256 (checked against the bytes on acceptance), the metrics sorted by name.
     */
    static String canonical(ModelVersion v) {
        StringBuilder s = new StringBuilder("loopline-model-signature-v1");
        field(s, v.getModelId());
        field(s, Long.toString(v.getVersion()));
        field(s, Long.toString(v.getParentVersion()));
        field(s, v.getAlgorithm());
        field(s, Long.toString(v.getCreatedAt()));
        field(s, v.getFormat());
        field(s, Checksums.sha256Hex(ModelVersions.parameters(v)));
        field(s, v.getSha256());
        field(s, Integer.toString(v.getInputSchema().getFeatureNames().size()));
        for (String name : v.getInputSchema().getFeatureNames()) {
            field(s, name);
        }
        field(s, Integer.toString(v.getInputSchema().getDimension()));
        Map<String, Double> metrics = new TreeMap<>(v.getMetrics());
        field(s, Integer.toString(metrics.size()));
        metrics.forEach((name, value) -> {
            field(s, name);
            field(s, Long.toHexString(Double.doubleToLongBits(value)));
        });
        return s.toString();
    }

    private static void field(StringBuilder s, String value) {
        s.append('\n').append(value.length()).append(':').append(value);
    }

    @Override
    public String toString() {
        return "ModelKey(" + secret.length + " bytes)";
    }
}
