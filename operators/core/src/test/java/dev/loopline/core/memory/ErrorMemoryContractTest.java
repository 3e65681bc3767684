package dev.loopline.core.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The contract of {@link ErrorMemory}: determinism, independence of copies, snapshots, bounds, eviction. */
class ErrorMemoryContractTest {
    static final ErrorMemoryConfig CONFIG = ErrorMemoryConfig.defaults().withCapacity(200);
    static final int D = 4;

    static double[] gaussian(SplittableRandom random, int d) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            double u1 = 1 - random.nextDouble();
            x[j] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return x;
    }

    /**
     * A fixed script: each step looks up a Gaussian representation (every other step), then remembers
     * a residual of +1 or -1 by the sign of its first coordinate, plus noise. Returns the corrections.
     */
    static List<Correction> script(ErrorMemory memory, long seed, int steps, long start) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Correction> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double[] x = gaussian(random, D);
            if (i % 2 == 0) {
                out.add(memory.correct(x, 0.5, start + i));
            }
            memory.remember(x, (x[0] > 0 ? 1 : -1) + 0.1 * random.nextDouble(), start + i);
        }
        return out;
    }

    @Test
    void sameSeedGivesSameCorrections() {
        List<Correction> a = script(new ErrorMemory(CONFIG), 3, 600, 0);
        List<Correction> b = script(new ErrorMemory(CONFIG), 3, 600, 0);
        assertEquals(a, b);
        assertTrue(a.stream().filter(Correction::hit).count() > 250, "the script must exercise hits");
        assertTrue(a.stream().anyMatch(c -> Math.abs(c.correction()) > 0.3), "and real corrections");
    }

    @Test
    void theSeedChoosesTheHyperplanes() {
        List<Correction> a = script(new ErrorMemory(CONFIG), 3, 600, 0);
        List<Correction> b = script(new ErrorMemory(CONFIG.withSeed(2)), 3, 600, 0);
        assertNotEquals(a.stream().mapToInt(Correction::candidates).boxed().toList(),
                b.stream().mapToInt(Correction::candidates).boxed().toList());
    }

    @Test
    void copyIsIndependentAndBehavesTheSame() {
        ErrorMemory original = new ErrorMemory(CONFIG);
        script(original, 5, 300, 0);
        byte[] before = original.snapshot();
        ErrorMemory copy = original.copy();
        assertArrayEquals(before, copy.snapshot());

        script(copy, 6, 300, 300);
        assertArrayEquals(before, original.snapshot(), "learning in the copy must not touch the original");
        assertEquals(CONFIG.capacity(), copy.size());

        ErrorMemory twin = original.copy();
        assertEquals(script(original, 7, 200, 300), script(twin, 7, 200, 300));
    }

    @Test
    void snapshotRestoreRoundTripIsIdentical() {
        ErrorMemory memory = new ErrorMemory(CONFIG);
        script(memory, 8, 450, 0);
        byte[] bytes = memory.snapshot();
        ErrorMemory restored = ErrorMemory.restore(CONFIG, bytes);
        assertArrayEquals(bytes, restored.snapshot());
        assertEquals(memory.size(), restored.size());
        assertEquals(memory.statistics(), restored.statistics());
        assertEquals(script(memory, 9, 300, 450), script(restored, 9, 300, 450));
        assertArrayEquals(memory.snapshot(), restored.snapshot());
    }

    @Test
    void emptySnapshotRestores() {
        ErrorMemory empty = new ErrorMemory(CONFIG);
        ErrorMemory restored = ErrorMemory.restore(CONFIG, empty.snapshot());
        assertEquals(0, restored.size());
        assertEquals(0, restored.dimension());
        assertEquals(script(empty, 10, 100, 0), script(restored, 10, 100, 0));
    }

    @Test
    void restoreIntoAnotherConfigRehashesAndKeepsTheNewest() {
        ErrorMemory memory = new ErrorMemory(CONFIG);
        script(memory, 11, 200, 0);
        ErrorMemoryConfig smaller = CONFIG.withCapacity(50).withSeed(99);
        ErrorMemory restored = ErrorMemory.restore(smaller, memory.snapshot());
        assertEquals(50, restored.size());
        // The same as a memory of that config fed only the newest 50 remembered entries.
        ErrorMemory fed = new ErrorMemory(smaller);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            double[] x = gaussian(random, D);
            double residual = (x[0] > 0 ? 1 : -1) + 0.1 * random.nextDouble();
            if (i >= 150) {
                fed.remember(x, residual, i);
            }
        }
        SplittableRandom probe = new SplittableRandom(12);
        for (int i = 0; i < 50; i++) {
            double[] q = gaussian(probe, D);
            Correction a = restored.correct(q, 0, 200);
            Correction b = fed.correct(q, 0, 200);
            assertEquals(b.corrected(), a.corrected(), 1e-12);
            assertEquals(b.neighbours(), a.neighbours());
        }
    }

    @Test
    void inputsAreNeitherMutatedNorRetained() {
        SplittableRandom random = new SplittableRandom(13);
        ErrorMemory memory = new ErrorMemory(CONFIG);
        ErrorMemory reference = new ErrorMemory(CONFIG);
        for (int i = 0; i < 100; i++) {
            double[] x = gaussian(random, D);
            double[] kept = x.clone();
            memory.correct(x, 0.2, i);
            memory.remember(x, 1.0, i);
            assertArrayEquals(kept, x);
            reference.correct(kept.clone(), 0.2, i);
            reference.remember(kept.clone(), 1.0, i);
            Arrays.fill(x, 7.0); // a caller reusing its buffer must not change what was remembered
        }
        assertArrayEquals(reference.snapshot(), memory.snapshot());
    }

    @Test
    void entriesOlderThanTheTtlAreEvictedAndNeverUsed() {
        ErrorMemory memory = new ErrorMemory(CONFIG.withTtlMillis(100));
        double[] x = {1, 0, 0, 0};
        memory.remember(x, 1.0, 0);
        assertTrue(memory.correct(x, 0, 100).hit(), "an entry exactly ttl old is still used");
        Correction late = memory.correct(x, 0, 101);
        assertFalse(late.hit());
        assertEquals(0, memory.size(), "and it was evicted");
        assertEquals(0.0, late.correction());
    }

    @Test
    void anOutOfOrderExpiredEntryWaitsButIsNeverUsed() {
        ErrorMemory memory = new ErrorMemory(CONFIG.withTtlMillis(100));
        double[] a = {1, 0, 0, 0};
        double[] b = {0, 1, 0, 0};
        memory.remember(a, 1.0, 500);
        memory.remember(b, -1.0, 0); // event time older than the entry before it
        Correction c = memory.correct(b, 0, 150);
        assertFalse(c.hit(), "b expired at 100 and a is orthogonal");
        assertEquals(2, memory.size(), "b waits behind the younger a");
        memory.expire(601);
        assertEquals(0, memory.size());
    }

    @Test
    void sizeIsBoundedAndTheOldestGoFirst() {
        ErrorMemoryConfig config = CONFIG.withCapacity(10).withWeighting(1, 0.2, 0.9999, 0);
        ErrorMemory memory = new ErrorMemory(config);
        List<double[]> xs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 25; i++) {
            double[] x = gaussian(random, D);
            xs.add(x);
            memory.remember(x, i, i);
            assertEquals(Math.min(i + 1, 10), memory.size());
        }
        for (int i = 0; i < 25; i++) {
            Correction c = memory.correct(xs.get(i), 0, 25);
            if (i < 15) {
                assertFalse(c.hit(), "entry " + i + " was evicted");
            } else {
                assertTrue(c.hit(), "entry " + i + " is kept");
                assertEquals(i, c.corrected(), 1e-9, "its own residual, as the only near neighbour");
            }
        }
    }

    @Test
    void noCloseNeighbourMeansNoCorrection() {
        ErrorMemory memory = new ErrorMemory(CONFIG);
        Correction empty = memory.correct(new double[] {1, 2, 3, 4}, 0.25, 0);
        assertEquals(Correction.none(0.25, 0), empty);
        assertFalse(empty.hit());
        assertTrue(Double.isNaN(empty.topSimilarity()));
        for (int i = 0; i < 50; i++) {
            memory.remember(new double[] {1, 1, 0, 0}, 5.0, i);
        }
        Correction opposite = memory.correct(new double[] {-1, -1, 0, 0}, 0.25, 50);
        assertFalse(opposite.hit(), "cosine -1 is below the minimum similarity");
        assertEquals(0.25, opposite.corrected());
        assertEquals(0, opposite.neighbours());
        assertTrue(memory.correct(new double[] {2, 2, 0, 0}, 0.25, 50).hit(), "the same direction is a neighbour");
    }

    /**
     * A new residual in a region the memory has not seen: with n identical neighbours of weight 1 the
     * correction is exactly {@code n / (n + shrinkage)} of it (shrinkage 8: 0.38 after 5 events, 0.56
     * after 10, 0.67 after 16). Identical representations share every bucket, so from then on the 16
     * newest (the bucket capacity) are the candidates and the correction stays at 16 / 24.
     */
    @Test
    void aConstantResidualInANewRegionIsLearnedWithinAFewEvents() {
        ErrorMemory memory = new ErrorMemory(CONFIG);
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 100; i++) {
            double[] x = gaussian(random, D);
            x[0] = -Math.abs(x[0]) - 1; // elsewhere: first coordinate below -1
            memory.remember(x, 0.0, i);
        }
        double[] region = {2, 0.1, -0.1, 0};
        int cap = CONFIG.bucketCapacity();
        for (int n = 1; n <= 2 * cap; n++) {
            memory.remember(region, 1.0, 100 + n);
            Correction c = memory.correct(region, 0.0, 100 + n);
            int used = Math.min(n, cap);
            assertEquals(used, c.neighbours());
            assertEquals(used / (used + CONFIG.shrinkage()), c.correction(), 1e-9, "after " + n + " events");
        }
    }

    /**
     * A shift everywhere: residual 0 for a full memory, then 1 for every input. The memory forgets the
     * old residuals in insertion order, so the correction follows the share of new entries among the
     * neighbours; once the memory has turned over (capacity 200 events) the plain weighted mean
     * (shrinkage 0) corrects by exactly 1 on every hit. With the default shrinkage 8 the correction is
     * damped by {@code Σw / (Σw + 8)}. Measured (seed 16), mean correction per block of 50 events:
     * shrinkage 0: 0.12, 0.40, 0.67, 0.90, then 1.00; shrinkage 8: 0.06, 0.21, 0.34, 0.46, then 0.51 to
     * 0.52. Asserted with margins.
     */
    @Test
    void aShiftedConstantResidualIsLearnedAsTheMemoryTurnsOver() {
        for (double shrinkage : new double[] {0, CONFIG.shrinkage()}) {
            ErrorMemory memory = new ErrorMemory(CONFIG.withWeighting(1, CONFIG.temperature(), CONFIG.minSimilarity(),
                    shrinkage));
            SplittableRandom random = new SplittableRandom(16);
            for (int i = 0; i < 400; i++) {
                memory.remember(gaussian(random, D), 0.0, i);
            }
            double[] means = new double[8];
            for (int i = 0; i < 400; i++) {
                double[] x = gaussian(random, D);
                Correction c = memory.correct(x, 0, 400 + i);
                means[i / 50] += c.correction() / 50;
                if (shrinkage == 0 && i >= CONFIG.capacity() && c.hit()) {
                    assertEquals(1.0, c.correction(), 1e-12, "turned over, event " + i);
                }
                memory.remember(x, 1.0, 400 + i);
            }
            String all = "shrinkage " + shrinkage + ": " + Arrays.toString(means);
            for (int b = 1; b < 4; b++) {
                assertTrue(means[b] > means[b - 1], "the correction grows as the memory turns over: " + all);
            }
            assertTrue(means[0] < 0.15, all);
            double turnedOver = shrinkage == 0 ? 0.95 : 0.45;
            for (int b = 4; b < 8; b++) {
                assertTrue(means[b] > turnedOver, all);
            }
        }
    }

    @Test
    void aLookUpExaminesAtMostTablesTimesBucketCapacityCandidates() {
        ErrorMemory memory = new ErrorMemory(CONFIG.withCapacity(5000));
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 5000; i++) {
            memory.remember(gaussian(random, D), 0.1, i);
        }
        int bound = CONFIG.tables() * CONFIG.bucketCapacity();
        for (int i = 0; i < 200; i++) {
            Correction c = memory.correct(gaussian(random, D), 0, 5000);
            assertTrue(c.candidates() <= bound, c.candidates() + " > " + bound);
            assertTrue(c.neighbours() <= CONFIG.k());
        }
        ErrorMemory same = new ErrorMemory(CONFIG.withCapacity(5000));
        for (int i = 0; i < 1000; i++) {
            same.remember(new double[] {1, 2, 3, 4}, 0.1, i);
        }
        assertEquals(CONFIG.bucketCapacity(), same.correct(new double[] {1, 2, 3, 4}, 0, 1000).candidates(),
                "identical entries share every bucket: only the newest bucketCapacity are candidates");
    }

    @Test
    void statisticsCountLookUpsHitsAndResiduals() {
        ErrorMemory memory = new ErrorMemory(CONFIG.withWeighting(1, 0.2, 0.6, 0));
        double[] x = {1, 0, 0, 0};
        Correction miss = memory.correct(x, 0.5, 0);
        memory.learn(x, 1.0, miss, 0); // residual 0.5 before and after
        Correction hit = memory.correct(x, 0.5, 1); // corrected to 1.0
        assertEquals(1.0, hit.corrected(), 1e-12);
        memory.learn(x, 0.9, hit, 1); // residual 0.4 before, -0.1 after
        ErrorMemoryStats s = memory.statistics();
        assertEquals(2, s.lookups());
        assertEquals(1, s.hits());
        assertEquals(0.5, s.hitRate());
        assertEquals(0.5, s.meanAbsCorrection(), 1e-12);
        assertEquals(2, s.outcomes());
        assertEquals(0.45, s.residualMeanBefore(), 1e-12);
        assertEquals(0.2, s.residualMeanAfter(), 1e-12);
        assertEquals((0.25 + 0.16) / 2, s.squaredErrorBefore(), 1e-12);
        assertEquals((0.25 + 0.01) / 2, s.squaredErrorAfter(), 1e-12);
        assertEquals(2, s.size());
        assertEquals(2.0 / CONFIG.capacity(), s.occupancy(), 1e-12);
    }

    @Test
    void badInputsAreRejectedWithAReason() {
        ErrorMemory memory = new ErrorMemory(CONFIG);
        memory.remember(new double[] {1, 2, 3}, 0.1, 0);
        assertEquals(3, memory.dimension());
        IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                () -> memory.correct(new double[] {1, 2}, 0, 1));
        assertTrue(wrongSize.getMessage().contains("2 values"), wrongSize.getMessage());
        assertThrows(IllegalArgumentException.class, () -> memory.remember(new double[] {1, Double.NaN, 3}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> memory.remember(new double[] {1, 2, 3}, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> memory.correct(new double[] {1, 2, 3}, Double.POSITIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> memory.correct(null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> memory.correct(new double[0], 0, 1));
        assertEquals(1, memory.size(), "rejected calls change nothing");
    }

    @Test
    void corruptOrUnknownSnapshotsAreRejected() {
        ErrorMemory memory = new ErrorMemory(CONFIG);
        script(memory, 18, 50, 0);
        byte[] bytes = memory.snapshot();
        assertThrows(IllegalArgumentException.class, () -> ErrorMemory.restore(CONFIG, new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> ErrorMemory.restore(CONFIG, Arrays.copyOf(bytes, bytes.length - 9)));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> ErrorMemory.restore(CONFIG, longer));
        byte[] future = bytes.clone();
        future[4] = (byte) (ErrorMemory.FORMAT_VERSION + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ErrorMemory.restore(CONFIG, future));
        assertTrue(e.getMessage().contains("format"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ErrorMemory.restore(CONFIG, null));
    }
}
