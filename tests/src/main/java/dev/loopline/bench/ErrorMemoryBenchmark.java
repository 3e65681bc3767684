package dev.loopline.bench;

import dev.loopline.core.memory.Correction;
import dev.loopline.core.memory.ErrorMemory;
import dev.loopline.core.memory.ErrorMemoryConfig;
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
 * Nanoseconds per error-memory look-up ({@link ErrorMemory#correct}) as the memory holds 1k, 10k and
 * 100k entries: the default config (cosine LSH, 8 tables of 6 bits, 16 entries per bucket, k 16) with
 * the capacity set to the size, d = 16 Gaussian representations with a residual each, queried by
 * fresh Gaussian vectors. The buckets are capped, so a look-up examines at most 8 × 16 candidates
 * whatever the size; {@code remember} is measured beside it (one insertion plus one eviction of a
 * full memory). Run {@link #main} (about a minute), or pass JMH options to {@code org.openjdk.jmh.Main}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class ErrorMemoryBenchmark {
    static final int D = 16;
    static final int QUERIES = 4096;

    @Param({"1000", "10000", "100000"})
    public int size;

    private ErrorMemory memory;
    private double[][] queries;
    private double[] residuals;
    private int next;
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        memory = new ErrorMemory(ErrorMemoryConfig.defaults().withCapacity(size));
        for (int i = 0; i < size; i++) {
            memory.remember(gaussian(random), random.nextDouble() - 0.5, now++);
        }
        queries = new double[QUERIES][];
        residuals = new double[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            queries[i] = gaussian(random);
            residuals[i] = random.nextDouble() - 0.5;
        }
    }

    private static double[] gaussian(SplittableRandom random) {
        double[] x = new double[D];
        for (int j = 0; j < D; j++) {
            double u1 = 1 - random.nextDouble();
            x[j] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return x;
    }

    /** One look-up: hash, gather candidates from every table, exact similarity, top-k, weighted mean. */
    @Benchmark
    public Correction lookUp() {
        return memory.correct(queries[next++ & (QUERIES - 1)], 0.5, now);
    }

    /** One insertion into the full memory, which evicts the oldest entry. */
    @Benchmark
    public int remember() {
        int i = next++ & (QUERIES - 1);
        memory.remember(queries[i], residuals[i], now++);
        return memory.size();
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(ErrorMemoryBenchmark.class.getName()).build();
        new Runner(options).run();
    }
}
