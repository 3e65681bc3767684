package dev.loopline.state;

import dev.loopline.core.model.Checksums;
import dev.loopline.core.model.Mlp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.schemas.InputSchema;
import dev.loopline.schemas.ModelVersion;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
    /** A well-formed version over one input; {@code marker} is its weight, so versions differ. */
    private static ModelVersion version(long v, boolean candidate, byte marker) {
        byte[] parameters = new Mlp(new int[] {1}, new int[] {1}, new float[][] {{marker}}, new float[][] {{0f}}).encode();
        Map<String, Double> metrics = new HashMap<>();
        if (candidate) {
            metrics.put(ModelVersions.CANDIDATE, 1.0);
        }
        return ModelVersion.newBuilder().setModelId("reward").setVersion(v).setParentVersion(v - 1)
                .setAlgorithm("reward-mlp").setCreatedAt(v).setFormat(Mlp.FORMAT).setParameters(ByteBuffer.wrap(parameters))
                .setSha256(Checksums.sha256Hex(parameters)).setInputSchema(new InputSchema(List.of("x"), 1))
                .setMetrics(metrics).build();
    }

    private static ModelRegistry registry() {
        ModelRegistry r = new ModelRegistry("reward");
        r.add(version(1, false, (byte) 1));
        r.add(version(2, false, (byte) 2));
        r.add(version(3, true, (byte) 3)); // refused by the gate
        return r;
    }

    @Test
    void servingIsTheHighestPromotedVersion() {
        assertEquals(2, registry().serving().orElseThrow().getVersion());
        assertEquals(3, registry().highestVersion());
    }

    @Test
    void rollbackServesThePreviousPromotedVersionAsANewNumber() {
        ModelRegistry r = registry();
        ModelVersion back = r.rollback(null, 99);
        assertEquals(4, back.getVersion(), "versions only move forward");
        assertEquals(1, back.getParentVersion());
        assertEquals(1.0, back.getMetrics().get(ModelVersions.COPY_OF));
        assertEquals(version(1, false, (byte) 1).getSha256(), back.getSha256(), "the parameters of version 1");
        assertTrue(ModelVersions.problem(back).isEmpty(), "the copy carries a matching checksum");
        r.add(back);
        assertEquals(4, r.serving().orElseThrow().getVersion());
        // Rolling back again goes before the version the serving copy came from.
        assertThrows(IllegalStateException.class, () -> r.rollback(null, 100), "nothing before version 1");
    }

    @Test
    void promoteServesARefusedCandidateAndRollbackRefusesOne() {
        ModelRegistry r = registry();
        ModelVersion forced = r.promote(3, 5);
        assertEquals(4, forced.getVersion());
        assertTrue(!ModelVersions.isCandidate(forced), "a forced promotion is no candidate");
        assertThrows(IllegalArgumentException.class, () -> r.rollback(3L, 5));
        assertThrows(IllegalArgumentException.class, () -> r.promote(42, 5));
    }

    @Test
    void recordsThatCannotBeVersionsAreNotedNotServed() {
        ModelRegistry r = registry();
        r.add(ModelVersion.newBuilder(version(5, false, (byte) 5)).setSha256("00").build());
        assertEquals(2, r.serving().orElseThrow().getVersion());
        assertTrue(r.unusable().get(5L).contains("checksum"));
        assertEquals(5, r.highestVersion(), "its number is taken all the same");
        r.add(version(2, false, (byte) 9));
        assertEquals(version(2, false, (byte) 2).getSha256(), r.all().get(1).getSha256(), "the first record of a number wins");
    }

    /** With a model key, only signed versions count, and a rollback is signed: a forger gains nothing. */
    @Test
    void withAKeyOnlySignedVersionsServeAndRollbacksAreSigned() {
        ModelKey key = new ModelKey("a-secret-of-sixteen-bytes-or-more".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ModelRegistry r = new ModelRegistry("reward", key);
        r.add(key.sign(version(1, false, (byte) 1)));
        r.add(key.sign(version(2, false, (byte) 2)));
        r.add(version(3, false, (byte) 3)); // unsigned: someone else wrote to the topic
        assertEquals(2, r.serving().orElseThrow().getVersion());
        assertTrue(r.unusable().get(3L).startsWith("unsigned-model: "), r.unusable().toString());
        ModelVersion back = r.rollback(null, 99);
        assertTrue(key.problem(back).isEmpty(), "the rollback is signed");
        assertTrue(ModelVersions.verdict(back, key).accepted());
    }
}
