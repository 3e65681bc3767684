package dev.loopline.core.drift;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Reproducible synthetic streams and the shared SEA stream, for the detector tests. */
final class Streams {
    private Streams() {}

    /** {@code n1} draws of Bernoulli(p1), then {@code n2} of Bernoulli(p2). */
    static double[] bernoulli(long seed, int n1, double p1, int n2, double p2) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n1 + n2];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < (i < n1 ? p1 : p2) ? 1 : 0;
        }
        return x;
    }

    /** {@code n1} draws of N(mu1, sd²), then {@code n2} of N(mu2, sd²) (Box-Muller, so no JDK-specific sampler). */
    static double[] gaussian(long seed, int n1, double mu1, int n2, double mu2, double sd) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n1 + n2];
        for (int i = 0; i < x.length; i++) {
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            x[i] = (i < n1 ? mu1 : mu2) + sd * z;
        }
        return x;
    }

    static List<Integer> detections(DriftDetector d, double[] stream) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            if (d.update(stream[i])) {
                hits.add(i);
            }
        }
        return hits;
    }

    /** The SEA stream rows: three attributes and the class label. */
    record Sea(double[][] features, String[] labels) {}

    /** The repository's {@code data/sea_stream.csv} . */
    static Sea sea() throws IOException {
        Path path = dev.loopline.envs.TestData.path("sea_stream.csv");
        List<String> lines = Files.readAllLines(path);
        int n = lines.size() - 1;
        double[][] x = new double[n][3];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int j = 0; j < 3; j++) {
                x[i][j] = Double.parseDouble(f[j]);
            }
            y[i] = f[3].strip();
        }
        return new Sea(x, y);
    }
}
