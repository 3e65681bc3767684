package dev.loopline.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelAcceptanceTest {
    static final List<String> NAMES = List.of("x0", "x1", "a:cost", "action=a", "action=b");
    static final Mlp NETWORK = TestNetworks.random(NAMES.size(), 4, 1.0, 9);
    static final byte[] PARAMETERS = NETWORK.encode();
    static final String SHA = Checksums.sha256Hex(PARAMETERS);

    static ModelAcceptance.Verdict check(long version, String format, byte[] parameters, String sha,
            List<String> names, int dimension) {
        return ModelAcceptance.check(version, format, parameters, sha, names, dimension, 1_234);
    }

    static void assertRefused(ModelAcceptance.Verdict verdict, String reasonPart) {
        assertFalse(verdict.accepted(), "expected a refusal mentioning '" + reasonPart + "'");
        assertNull(verdict.model());
        assertTrue(verdict.refusal().contains(reasonPart), verdict.refusal());
    }

    @Test
    void acceptsAConsistentVersion() {
        ModelAcceptance.Verdict verdict = check(7, Mlp.FORMAT, PARAMETERS, SHA, NAMES, NAMES.size());
        assertTrue(verdict.accepted(), verdict.refusal());
        assertNull(verdict.refusal());
        ServingModel model = verdict.model();
        assertEquals(7, model.version());
        assertEquals(1_234, model.trainedExamples());
        assertEquals(NAMES, model.layout().names());
        Map<String, Double> ctx = Map.of("x0", 0.5, "x1", -1.0);
        double expected = NETWORK.score(new double[] {0.5, -1.0, 2.0, 0, 1});
        assertEquals(expected, model.score(ctx, "b", Map.of("cost", 2.0)), 0.0);
    }

    @Test
    void acceptsAnUpperCaseChecksum() {
        assertTrue(check(1, Mlp.FORMAT, PARAMETERS, SHA.toUpperCase(), NAMES, NAMES.size()).accepted());
    }

    @Test
    void refusesANonPositiveVersion() {
        assertRefused(check(0, Mlp.FORMAT, PARAMETERS, SHA, NAMES, NAMES.size()), "version 0 is not positive");
        assertRefused(check(-3, Mlp.FORMAT, PARAMETERS, SHA, NAMES, NAMES.size()), "not positive");
    }

    @Test
    void refusesABadChecksum() {
        String wrong = Checksums.sha256Hex(new byte[] {1, 2, 3});
        assertRefused(check(2, Mlp.FORMAT, PARAMETERS, wrong, NAMES, NAMES.size()), "checksum mismatch");
        assertRefused(check(2, Mlp.FORMAT, PARAMETERS, null, NAMES, NAMES.size()), "checksum mismatch");
        assertRefused(check(2, Mlp.FORMAT, PARAMETERS, "", NAMES, NAMES.size()), "checksum mismatch");
        byte[] tampered = PARAMETERS.clone();
        tampered[tampered.length - 1] ^= 0x10;
        assertRefused(check(2, Mlp.FORMAT, tampered, SHA, NAMES, NAMES.size()), "checksum mismatch");
    }

    @Test
    void refusesAnUnknownFormat() {
        assertRefused(check(2, "onnx", PARAMETERS, SHA, NAMES, NAMES.size()), "unknown format 'onnx'");
        assertRefused(check(2, null, PARAMETERS, SHA, NAMES, NAMES.size()), "unknown format");
    }

    @Test
    void refusesFeatureNamesThatDisagreeWithTheDeclaredDimension() {
        assertRefused(check(2, Mlp.FORMAT, PARAMETERS, SHA, NAMES.subList(0, 4), NAMES.size()),
                "names 4 features but declares dimension 5");
    }

    @Test
    void refusesAnInputSchemaThatDisagreesWithTheNetwork() {
        List<String> six = List.of("x0", "x1", "x2", "a:cost", "action=a", "action=b");
        assertRefused(check(2, Mlp.FORMAT, PARAMETERS, SHA, six, six.size()),
                "network takes 5 inputs but the input schema has dimension 6");
    }

    @Test
    void refusesParametersThatDoNotParseEvenWithAMatchingChecksum() {
        byte[] junk = {1, 2, 3, 4, 5, 6, 7, 8};
        assertRefused(check(2, Mlp.FORMAT, junk, Checksums.sha256Hex(junk), NAMES, NAMES.size()), "do not parse");
    }

    @Test
    void verdictHelperAgrees() {
        ModelAcceptance.Verdict verdict = TestNetworks.accept(4, NETWORK, NAMES, 10);
        assertTrue(verdict.accepted());
        assertSame(verdict.model().network().getClass(), Mlp.class);
    }
}
