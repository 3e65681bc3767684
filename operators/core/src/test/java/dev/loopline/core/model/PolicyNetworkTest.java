package dev.loopline.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The exported policy in plain Java: arithmetic, the Lipschitz bound and the format. */
class PolicyNetworkTest {
    /**
     * Two features with mean (1, 2) and std (2, 0.5); layer 1 = diag(3, 2) + bias (0, -1), ReLU; layer 2
     * maps the two hidden units to three logits.
     */
    static PolicyNetwork hand() {
        return new PolicyNetwork(List.of("a", "b"), new double[] {1, 2}, new double[] {2, 0.5}, new double[] {-1, 0, 1}, 10,
                new int[] {2, 2}, new int[] {2, 3},
                new float[][] {{3, 0, 0, 2}, {1, 0, 0, 1, 1, 1}},
                new float[][] {{0, -1}, {0, 0, 0.5f}});
    }

    @Test
    void evaluatesStandardisedReluLayers() {
        PolicyNetwork p = hand();
        // z = ((5 - 1) / 2, (3 - 2) / 0.5) = (2, 2); hidden = relu(6, 3) = (6, 3); logits = (6, 3, 9.5)
        assertArrayEquals(new double[] {2, 2}, p.standardise(new double[] {5, 3}), 0.0);
        assertArrayEquals(new double[] {6, 3, 9.5}, p.logits(new double[] {5, 3}), 1e-12);
        assertEquals(2, p.act(new double[] {5, 3}));
        assertEquals(1.0, p.actionValue(2), 0.0);
        double[] probabilities = p.probabilities(new double[] {5, 3});
        assertEquals(1, probabilities[0] + probabilities[1] + probabilities[2], 1e-12);
        assertTrue(probabilities[2] > probabilities[0] && probabilities[0] > probabilities[1]);
        // z = (-1, -2): hidden = relu(-3, -5) = 0; logits = biases; argmax 2
        assertArrayEquals(new double[] {0, 0, 0.5}, p.logits(new double[] {-1, 1}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> p.logits(new double[] {1}));
    }

    @Test
    void lipschitzBoundIsTheProductOfSpectralNorms() {
        PolicyNetwork p = hand();
        // layer 1: diag(3, 2) -> 3; layer 2: [[1,0],[0,1],[1,1]] -> W^T W = [[2,1],[1,2]], lambda 3 -> sqrt 3
        assertArrayEquals(new double[] {3, Math.sqrt(3)}, p.layerSpectralNorms(), 1e-9);
        assertEquals(3 * Math.sqrt(3), p.lipschitzUpperBound(), 1e-9);
        assertEquals(3 * Math.sqrt(3) * 2, p.lipschitzUpperBoundRawUnits(), 1e-9, "std 0.5 stretches by 2");
        double radius = p.certifiedRadius(new double[] {5, 3}, p.lipschitzUpperBound());
        assertEquals((9.5 - 6) / (Math.sqrt(2) * 3 * Math.sqrt(3)), radius, 1e-9);
    }

    @Test
    void encodeDecodeRoundTripsBitForBit() {
        PolicyNetwork p = hand();
        byte[] bytes = p.encode();
        PolicyNetwork back = PolicyNetwork.decode(bytes);
        assertArrayEquals(bytes, back.encode());
        assertEquals(p.featureNames(), back.featureNames());
        assertEquals(10, back.configuredBound(), 0.0);
        assertArrayEquals(p.logits(new double[] {0.3, -7}), back.logits(new double[] {0.3, -7}), 0.0);
        PolicyNetwork unknownAction = new PolicyNetwork(List.of("a"), new double[] {0}, new double[] {1},
                new double[] {1, Double.NaN}, Double.POSITIVE_INFINITY, new int[] {1}, new int[] {2},
                new float[][] {{1, -1}}, new float[][] {{0, 0}});
        PolicyNetwork decoded = PolicyNetwork.decode(unknownAction.encode());
        assertTrue(Double.isNaN(decoded.actionValue(1)));
        assertEquals(Double.POSITIVE_INFINITY, decoded.configuredBound());
    }

    @Test
    void decodeRefusesDamagedBytes() {
        byte[] bytes = hand().encode();
        byte[] magic = bytes.clone();
        magic[0] ^= 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyNetwork.decode(magic)).getMessage().contains("magic"));
        byte[] shortened = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(IllegalArgumentException.class, () -> PolicyNetwork.decode(shortened));
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyNetwork.decode(longer)).getMessage().contains("trailing"));
        assertThrows(IllegalArgumentException.class, () -> PolicyNetwork.decode(new Mlp(new int[] {2}, new int[] {1},
                new float[][] {{1, 1}}, new float[][] {{0}}).encode()), "a reward model is not a policy");
    }

    @Test
    void constructorRefusesInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new PolicyNetwork(List.of("a"), new double[] {0}, new double[] {0},
                new double[] {1, 2}, 1, new int[] {1}, new int[] {2}, new float[][] {{1, 1}}, new float[][] {{0, 0}}), "std 0");
        assertThrows(IllegalArgumentException.class, () -> new PolicyNetwork(List.of("a"), new double[] {0}, new double[] {1},
                new double[] {1, 2, 3}, 1, new int[] {1}, new int[] {2}, new float[][] {{1, 1}}, new float[][] {{0, 0}}), "3 actions, 2 outputs");
        assertThrows(IllegalArgumentException.class, () -> new PolicyNetwork(List.of("a", "b"), new double[] {0, 0}, new double[] {1, 1},
                new double[] {1, 2}, 1, new int[] {1}, new int[] {2}, new float[][] {{1, 1}}, new float[][] {{0, 0}}), "2 features, 1 input");
        assertThrows(IllegalArgumentException.class, () -> new PolicyNetwork(List.of("a"), new double[] {0}, new double[] {1},
                new double[] {1, 2}, 0, new int[] {1}, new int[] {2}, new float[][] {{1, 1}}, new float[][] {{0, 0}}), "bound 0");
    }
}
