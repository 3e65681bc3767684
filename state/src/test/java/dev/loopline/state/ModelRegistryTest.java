package dev.loopline.state;

import dev.loopline.core.model.Checksums;
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
    private static ModelVersion version(long v, boolean candidate, byte marker) {
        byte[] parameters = {marker, 1, 2};
        Map<String, Double> metrics = new HashMap<>();
        if (candidate) {
            metrics.put(ModelVersions.CANDIDATE, 1.0);
        }
        return ModelVersion.newBuilder().setModelId("reward").setVersion(v).setParentVersion(v - 1)
                .setAlgorithm("reward-mlp").setCreatedAt(v).setFormat("f").setParameters(ByteBuffer.wrap(parameters))
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
        assertEquals(1, back.getParameters().get(0), "the parameters of version 1");
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
        assertEquals(2, r.all().get(1).getParameters().get(0), "the first record of a number wins");
    }
}
