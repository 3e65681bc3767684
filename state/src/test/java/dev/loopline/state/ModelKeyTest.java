package dev.loopline.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.model.Checksums;
import dev.loopline.core.model.Mlp;
import dev.loopline.schemas.InputSchema;
import dev.loopline.schemas.ModelVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelKeyTest {
    static final ModelKey KEY = new ModelKey("correct horse battery staple".getBytes(StandardCharsets.UTF_8));

    static ModelVersion version(float weight) {
        byte[] parameters = new Mlp(new int[] {2}, new int[] {1}, new float[][] {{weight, 1f}}, new float[][] {{0f}}).encode();
        return ModelVersion.newBuilder().setModelId("reward").setVersion(3).setParentVersion(2).setAlgorithm("reward-mlp")
                .setCreatedAt(1_000).setFormat(Mlp.FORMAT).setParameters(ByteBuffer.wrap(parameters))
                .setSha256(Checksums.sha256Hex(parameters)).setInputSchema(new InputSchema(List.of("x", "y"), 2))
                .setMetrics(new HashMap<>(Map.of("examples", 500.0, "loss", 0.1))).build();
    }

    @Test
    void aSignedVersionServesAndAnyChangeToItIsRefused() {
        ModelVersion signed = KEY.sign(version(0.5f));
        assertTrue(KEY.problem(signed).isEmpty());
        assertTrue(ModelVersions.verdict(signed, KEY).accepted());
        byte[] forgedParameters = new Mlp(new int[] {2}, new int[] {1}, new float[][] {{-9f, 1f}}, new float[][] {{0f}}).encode();
        List<UnaryOperator<ModelVersion.Builder>> forgeries = List.of(
                b -> b.setVersion(4),
                b -> b.setParameters(ByteBuffer.wrap(forgedParameters)).setSha256(Checksums.sha256Hex(forgedParameters)),
                b -> b.setMetrics(new HashMap<>(Map.of("examples", 500.0, "loss", 0.1, "candidate", 1.0))),
                b -> b.setInputSchema(new InputSchema(List.of("y", "x"), 2)),
                b -> b.setFormat(Mlp.HEADS_FORMAT),
                b -> b.setCreatedAt(1_001));
        for (UnaryOperator<ModelVersion.Builder> forge : forgeries) {
            ModelVersion forged = forge.apply(ModelVersion.newBuilder(signed)).build();
            String refusal = ModelVersions.verdict(forged, KEY).refusal();
            assertTrue(refusal != null && refusal.startsWith("bad-signature: "), refusal);
        }
        ModelKey other = new ModelKey("another key, also long enough".getBytes(StandardCharsets.UTF_8));
        assertTrue(other.problem(signed).orElseThrow().startsWith("bad-signature: "));
    }

    @Test
    void withAKeyAnUnsignedVersionIsRefusedWithoutOneItServes() {
        ModelVersion unsigned = version(0.5f);
        assertEquals("unsigned-model", ModelVersions.verdict(unsigned, KEY).refusal().split(":")[0]);
        assertTrue(ModelVersions.verdict(unsigned, null).accepted(), "a loop without a key does not ask for signatures");
    }

    @Test
    void theKeyComesFromTheEnvironmentOrAFileItNames(@TempDir Path dir) throws Exception {
        assertTrue(ModelKey.from(Map.of()).isEmpty());
        ModelVersion signed = KEY.sign(version(0.5f));
        ModelKey fromVariable = ModelKey.from(Map.of(ModelKey.VARIABLE, "correct horse battery staple\n")).orElseThrow();
        assertTrue(fromVariable.problem(signed).isEmpty(), "the same key, trailing newline aside");
        Path file = dir.resolve("model.key");
        Files.writeString(file, "correct horse battery staple\n");
        ModelKey fromFile = ModelKey.from(Map.of(ModelKey.FILE_VARIABLE, file.toString(), ModelKey.VARIABLE, "ignored-ignored-ignored"))
                .orElseThrow();
        assertTrue(fromFile.problem(signed).isEmpty(), "the file wins over the variable");
        assertThrows(IllegalArgumentException.class, () -> ModelKey.from(Map.of(ModelKey.VARIABLE, "short")));
        assertFalse(KEY.toString().contains("horse"), "the key never prints");
    }
}
