package dev.loopline.bench;

import dev.loopline.core.features.FeatureLayout;
import dev.loopline.core.model.Mlp;
import dev.loopline.core.model.ServingModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Scoring every offered action with the served reward network (one-output-per-action format, 64 hidden
 * units), as the decision operator does once per event. {@code payments}: 16 context features, 5 actions
 * that each carry 3 features of their own; {@code digits}: 64 context features, 10 actions without
 * features. {@code network} is the whole network run per distinct set of action features (the baseline
 * of the same run); {@code scoreAll} is what the decision operator calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ServingModelBenchmark {
    static final int HIDDEN = 64;
    static final int EVENTS = 1024;

    @Param({"payments", "digits"})
    public String shape;

    private ServingModel model;
    private List<Map<String, Double>> contexts;
    private List<String> actionIds;
    private List<Map<String, Double>> actionFeatures;
    private double[][] rows;
    private int next;

    @Setup
    public void setUp() {
        boolean payments = shape.equals("payments");
        int contextCount = payments ? 16 : 64;
        int actionFeatureCount = payments ? 3 : 0;
        int actions = payments ? 5 : 10;
        SplittableRandom random = new SplittableRandom(1);
        List<String> contextNames = new ArrayList<>();
        for (int i = 0; i < contextCount; i++) {
            contextNames.add("x" + i);
        }
        List<String> actionFeatureNames = new ArrayList<>();
        for (int i = 0; i < actionFeatureCount; i++) {
            actionFeatureNames.add("f" + i);
        }
        actionIds = new ArrayList<>();
        actionFeatures = new ArrayList<>();
        for (int a = 0; a < actions; a++) {
            actionIds.add("a" + a);
            Map<String, Double> own = new LinkedHashMap<>();
            for (String name : actionFeatureNames) {
                own.put(name, random.nextDouble());
            }
            actionFeatures.add(own.isEmpty() ? Map.of() : own);
        }
        FeatureLayout layout = FeatureLayout.ofContextAndActions(contextNames, actionFeatureNames, actionIds);
        int inputs = layout.inputDimension();
        int outputs = actions + 1;
        Mlp network = new Mlp(new int[] {inputs, HIDDEN}, new int[] {HIDDEN, outputs},
                new float[][] {gaussian(random, inputs * HIDDEN), gaussian(random, HIDDEN * outputs)},
                new float[][] {gaussian(random, HIDDEN), gaussian(random, outputs)});
        model = new ServingModel(1, layout, network, 10_000);
        contexts = new ArrayList<>();
        rows = new double[EVENTS][inputs];
        for (int e = 0; e < EVENTS; e++) {
            Map<String, Double> context = new LinkedHashMap<>();
            for (String name : contextNames) {
                context.put(name, random.nextGaussian());
            }
            contexts.add(Map.copyOf(context));
            layout.vectorizeInputs(context, actionFeatures.get(0), rows[e]);
        }
        if (actionFeatureCount == 0) {
            actionFeatures = Collections.nCopies(actions, Map.of());
        }
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (random.nextGaussian() * 0.2);
        }
        return w;
    }

    @Benchmark
    public double[] scoreAll() {
        return model.scoreAll(contexts.get(next++ & (EVENTS - 1)), actionIds, actionFeatures);
    }

    /** The whole network once per distinct set of action features, on vectors built beforehand. */
    @Benchmark
    public double network() {
        double[] row = rows[next++ & (EVENTS - 1)];
        int passes = shape.equals("payments") ? actionIds.size() : 1;
        double sum = 0;
        for (int p = 0; p < passes; p++) {
            sum += model.network().scores(row)[0];
        }
        return sum;
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(ServingModelBenchmark.class.getName()).build();
        new Runner(options).run();
    }
}
