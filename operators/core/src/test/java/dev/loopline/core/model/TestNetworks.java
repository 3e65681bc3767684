package dev.loopline.core.model;

import java.util.List;
import java.util.SplittableRandom;

/** Hand-made reward networks for tests: reproducible from a seed, no trainer involved. */
public final class TestNetworks {
    private TestNetworks() {}

    /** {@code in -> hidden (ReLU) -> 1} with weights drawn uniformly from [-scale, scale]. */
    public static Mlp random(int in, int hidden, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w1 = new float[hidden * in];
        float[] b1 = new float[hidden];
        float[] w2 = new float[hidden];
        float[] b2 = {(float) r.nextDouble(-scale, scale)};
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) r.nextDouble(-scale, scale);
        }
        for (int i = 0; i < hidden; i++) {
            b1[i] = (float) r.nextDouble(-scale, scale);
            w2[i] = (float) r.nextDouble(-scale, scale);
        }
        return new Mlp(new int[] {in, hidden}, new int[] {hidden, 1}, new float[][] {w1, w2}, new float[][] {b1, b2});
    }

    /** A random two-layer network with {@code outputs} outputs. */
    public static Mlp random(int in, int hidden, int outputs, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] w = {new float[hidden * in], new float[outputs * hidden]};
        float[][] b = {new float[hidden], new float[outputs]};
        for (float[][] layer : new float[][][] {w, b}) {
            for (float[] values : layer) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) r.nextDouble(-scale, scale);
                }
            }
        }
        return new Mlp(new int[] {in, hidden}, new int[] {hidden, outputs}, w, b);
    }

    /** The verdict for a network published under {@code names}, with a correct checksum and format. */
    public static ModelAcceptance.Verdict accept(long version, Mlp network, List<String> names, long examples) {
        byte[] parameters = network.encode();
        return ModelAcceptance.check(version, Mlp.FORMAT, parameters, Checksums.sha256Hex(parameters), names,
                names.size(), examples);
    }
}
