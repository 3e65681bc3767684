package dev.loopline.bench;

import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.DecisionInput;
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
import org.openjdk.jmh.annotations.Level;
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
 * Decide-and-learn throughput of each bandit policy: one {@code choose} and one {@code learn} per
 * operation, d = 20 context features, 10 actions, a linear Bernoulli problem, after 2,000 warm-up
 * events so the models are in their steady state. Run {@link #main} (about a minute), or pass JMH
 * options to {@code org.openjdk.jmh.Main}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC"})
public class PolicyBenchmark {
    static final int D = 20;
    static final int K = 10;
    static final int EVENTS = 4096;

    @Param({"greedy", "epsilon-greedy", "softmax", "linucb", "linucb-hybrid", "lin-ts", "squarecb-linear", "bagging-ts",
            "regcb-opt", "uniform"})
    public String policy;

    private BanditPolicy bandit;
    private DecisionInput[] inputs;
    private double[][] rewards;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        double[][] theta = new double[K][D];
        for (double[] t : theta) {
            for (int i = 0; i < D; i++) {
                t[i] = random.nextGaussian() / Math.sqrt(D);
            }
        }
        List<String> actions = new ArrayList<>();
        for (int a = 0; a < K; a++) {
            actions.add("a" + a);
        }
        List<Map<String, Double>> noFeatures = Collections.nCopies(K, Map.of());
        inputs = new DecisionInput[EVENTS];
        rewards = new double[EVENTS][K];
        for (int e = 0; e < EVENTS; e++) {
            double[] x = new double[D];
            Map<String, Double> context = new LinkedHashMap<>();
            for (int i = 0; i < D; i++) {
                x[i] = random.nextGaussian();
                context.put("x" + i, x[i]);
            }
            for (int a = 0; a < K; a++) {
                double s = 0;
                for (int i = 0; i < D; i++) {
                    s += theta[a][i] * x[i];
                }
                rewards[e][a] = random.nextDouble() < 1 / (1 + Math.exp(-s)) ? 1.0 : 0.0;
            }
            inputs[e] = new DecisionInput("e" + e, Map.copyOf(context), actions, noFeatures);
        }
        bandit = PolicyFactory.create(policy, 1);
        for (int i = 0; i < 2_000; i++) {
            decideAndLearn();
        }
    }

    @Benchmark
    public BanditDecision decideAndLearn() {
        int e = next++ & (EVENTS - 1);
        DecisionInput input = inputs[e];
        BanditDecision decision = bandit.choose(input);
        bandit.learn(input, decision.index(), rewards[e][decision.index()]);
        return decision;
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(PolicyBenchmark.class.getName()).build();
        new Runner(options).run();
    }
}
