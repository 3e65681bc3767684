package dev.loopline.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpTest {
    /** 2 -> 2 (ReLU) -> 1, small enough to score by hand. */
    static Mlp handMade() {
        return new Mlp(new int[] {2, 2}, new int[] {2, 1},
                new float[][] {{1, -1, -1, 1}, {1, 2}},
                new float[][] {{0, 0}, {0.5f}});
    }

    @Test
    void scoresWithReluBetweenLayersAndALinearOutput() {
        Mlp mlp = handMade();
        assertEquals(2, mlp.inputDimension());
        assertEquals(2, mlp.layers());
        // h = relu(3 - 1, -3 + 1) = (2, 0); out = 2 + 0 + 0.5
        assertEquals(2.5, mlp.score(new double[] {3, 1}), 1e-12);
        // h = relu(-2, 2) = (0, 2); out = 4 + 0.5
        assertEquals(4.5, mlp.score(new double[] {-1, 1}), 1e-12);
        // The output layer is linear: it may go negative.
        Mlp negative = new Mlp(new int[] {1}, new int[] {1}, new float[][] {{-2}}, new float[][] {{0}});
        assertEquals(-6.0, negative.score(new double[] {3}), 1e-12);
    }

    @Test
    void decodeOfEncodeIsByteIdenticalAndScoresIdentically() {
        Mlp original = TestNetworks.random(13, 16, 1.0, 3);
        byte[] bytes = original.encode();
        assertEquals(4 + 4 + (8 + 4 * (16 * 13 + 16)) + (8 + 4 * (16 + 1)), bytes.length);
        assertEquals(0x4C4D4C50, ByteBuffer.wrap(bytes).getInt(), "magic LMLP");
        Mlp decoded = Mlp.decode(bytes);
        assertArrayEquals(bytes, decoded.encode());
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 1_000; i++) {
            double[] x = r.doubles(13, -3, 3).toArray();
            assertEquals(original.score(x), decoded.score(x), 0.0, "row " + i);
        }
    }

    @Test
    void decodeRefusesBadMagic() {
        byte[] bytes = handMade().encode();
        bytes[0] ^= 0x01;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.decode(bytes));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    }

    @Test
    void decodeRefusesEveryTruncation() {
        byte[] bytes = handMade().encode();
        for (int len = 0; len < bytes.length; len++) {
            byte[] prefix = Arrays.copyOf(bytes, len);
            assertThrows(IllegalArgumentException.class, () -> Mlp.decode(prefix), "prefix of " + len + " bytes");
        }
    }

    @Test
    void decodeRefusesTrailingBytes() {
        byte[] bytes = handMade().encode();
        for (int extra = 1; extra <= 5; extra++) {
            byte[] longer = Arrays.copyOf(bytes, bytes.length + extra);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.decode(longer));
            assertTrue(e.getMessage().contains(extra + " trailing bytes"), e.getMessage());
        }
    }

    @Test
    void decodeRefusesImpossibleLayerCounts() {
        for (int layers : new int[] {0, -1, 17, Integer.MAX_VALUE}) {
            byte[] bytes = ByteBuffer.allocate(64).putInt(0x4C4D4C50).putInt(layers).array();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.decode(bytes));
            assertTrue(e.getMessage().contains("layer count"), e.getMessage());
        }
    }

    @Test
    void decodeRefusesImpossibleShapes() {
        int[][] shapes = {{0, 1}, {1, 0}, {-4, 1}, {3, -1}, {65_536, 65_536}, {Integer.MAX_VALUE, 2}, {100, 100}};
        for (int[] shape : shapes) {
            byte[] bytes = ByteBuffer.allocate(64).putInt(0x4C4D4C50).putInt(1).putInt(shape[0]).putInt(shape[1]).array();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.decode(bytes),
                    "shape " + Arrays.toString(shape));
            assertTrue(e.getMessage().contains("impossible") || e.getMessage().contains("end early"), e.getMessage());
        }
    }

    @Test
    void decodeRefusesLayersThatDoNotChainOrMoreThanOneOutput() {
        // Layer 1 takes 3 inputs but layer 0 gives 2.
        ByteBuffer chain = ByteBuffer.allocate(4 * (2 + 2 + 2 * 2 + 2 + 2 + 3 + 1));
        chain.putInt(0x4C4D4C50).putInt(2).putInt(2).putInt(2);
        for (int i = 0; i < 6; i++) {
            chain.putFloat(1);
        }
        chain.putInt(3).putInt(1);
        for (int i = 0; i < 4; i++) {
            chain.putFloat(1);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.decode(chain.array()));
        assertTrue(e.getMessage().contains("previous output"), e.getMessage());

        // One layer with two outputs parses (one output per action); which formats may have it is the
        // model acceptance's rule (PerActionHeadsTest).
        ByteBuffer two = ByteBuffer.allocate(4 * (2 + 2 + 2 + 2));
        two.putInt(0x4C4D4C50).putInt(1).putInt(1).putInt(2).putFloat(1).putFloat(2).putFloat(0).putFloat(0.5f);
        Mlp heads = Mlp.decode(two.array());
        assertEquals(2, heads.outputDimension());
        assertArrayEquals(new double[] {3, 6.5}, heads.scores(new double[] {3}), 1e-6);
    }

    @Test
    void foldingTheStandardisationIntoTheFirstLayerReadsRawInputs() {
        Mlp trained = new Mlp(new int[] {2, 3}, new int[] {3, 2},
                new float[][] {{1, -2, 0.5f, 3, 0.25f, -1}, {1, 0, -1, 2, 1, 1}}, new float[][] {{0.1f, -0.2f, 0.3f}, {0, 1}});
        double[] mean = {10, -4};
        double[] std = {2, 0.5};
        Mlp raw = trained.standardising(mean, std);
        double[] x = {13, -3.5};
        double[] z = {(x[0] - mean[0]) / std[0], (x[1] - mean[1]) / std[1]};
        assertArrayEquals(trained.scores(z), raw.scores(x), 1e-5);
        assertArrayEquals(trained.scores(z), raw.standardised(mean, std).scores(z), 1e-5, "standardised undoes it");
    }

    @Test
    void constructorRefusesInconsistentArrays() {
        assertThrows(IllegalArgumentException.class, () -> new Mlp(new int[0], new int[0], new float[0][], new float[0][]));
        assertThrows(IllegalArgumentException.class,
                () -> new Mlp(new int[] {2}, new int[] {1}, new float[][] {{1}}, new float[][] {{0}}));
        assertThrows(IllegalArgumentException.class,
                () -> new Mlp(new int[] {2}, new int[] {1}, new float[][] {{1, 1}}, new float[][] {{0, 0}}));
    }
}
