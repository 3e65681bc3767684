package dev.loopline.core.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One memory per key, kept as bytes the way a keyed operator keeps it in a {@code ValueState<byte[]>}. */
class KeyedErrorMemoryTest {
    static final ErrorMemoryConfig CONFIG = ErrorMemoryConfig.defaults().withWeighting(1, 0.2, 0.6, 0);

    @Test
    void keysDoNotSeeEachOthersMemories() {
        KeyedErrorMemory keyed = new KeyedErrorMemory(CONFIG);
        Map<String, byte[]> state = new HashMap<>();
        double[] x = {1, 0.5, -0.2};
        for (int i = 0; i < 20; i++) {
            ErrorMemory a = keyed.load(state.get("route-a"));
            Correction served = keyed.correct(a, x, 0.5, i);
            keyed.learn(a, x, 0.9, served, i); // route-a: residual +0.4
            state.put("route-a", keyed.save(a));
        }
        ErrorMemory b = keyed.load(state.get("route-b"));
        assertEquals(0, b.size());
        assertFalse(keyed.correct(b, x, 0.5, 20).hit(), "route-b has no memory of route-a's mistakes");
        Correction a = keyed.correct(keyed.load(state.get("route-a")), x, 0.5, 20);
        assertTrue(a.hit());
        assertEquals(0.4, a.correction(), 1e-9);
    }

    @Test
    void saveThenLoadIsTheSameMemory() {
        KeyedErrorMemory keyed = new KeyedErrorMemory(CONFIG);
        ErrorMemory memory = keyed.load(null);
        ErrorMemoryContractTest.script(memory, 21, 300, 0);
        byte[] bytes = keyed.save(memory);
        ErrorMemory loaded = keyed.load(bytes);
        assertArrayEquals(bytes, loaded.snapshot());
        assertEquals(ErrorMemoryContractTest.script(memory.copy(), 22, 100, 300),
                ErrorMemoryContractTest.script(loaded, 22, 100, 300));
        // A memory saved by one operator instance loads in another (after a rescale or a restart).
        ErrorMemory elsewhere = new KeyedErrorMemory(CONFIG).load(bytes);
        assertEquals(ErrorMemoryContractTest.script(memory, 23, 100, 300),
                ErrorMemoryContractTest.script(elsewhere, 23, 100, 300));
        assertEquals(0, keyed.load(new byte[0]).size());
    }

    /**
     * The operator's entry-by-entry form: after every outcome only the newest entry (under slot
     * seq % capacity, replacing the evicted one) and the progress record are written. Rebuilt from that,
     * the memory behaves exactly like the one that never left memory, wrap-around of the ring included.
     */
    @Test
    void entryByEntryStateRebuildsTheSameMemory() {
        ErrorMemoryConfig small = CONFIG.withCapacity(50);
        KeyedErrorMemory keyed = new KeyedErrorMemory(small);
        ErrorMemory memory = keyed.load(null);
        Map<String, byte[]> state = new HashMap<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 173; i++) {
            double[] x = ErrorMemoryContractTest.gaussian(random, ErrorMemoryContractTest.D);
            Correction served = keyed.correct(memory, x, 0.5, i);
            keyed.learn(memory, x, x[0] > 0 ? 1.0 : 0.0, served, i);
            ErrorMemory.Entry newest = memory.newest();
            ErrorMemory.Entry decoded = ErrorMemory.Entry.decode(newest.encode());
            assertEquals(newest.seq(), decoded.seq());
            assertEquals(newest.time(), decoded.time());
            assertEquals(newest.residual(), decoded.residual());
            assertArrayEquals(newest.representation(), decoded.representation());
            state.put("slot-" + newest.seq() % small.capacity(), newest.encode());
            state.put("progress", memory.progress());
        }
        assertEquals(50, state.size() - 1, "the ring holds capacity slots");
        java.util.List<ErrorMemory.Entry> entries = state.entrySet().stream().filter(e -> e.getKey().startsWith("slot-"))
                .map(e -> ErrorMemory.Entry.decode(e.getValue())).toList();
        ErrorMemory rebuilt = new KeyedErrorMemory(small).rebuild(entries, state.get("progress"));
        assertEquals(memory.size(), rebuilt.size());
        assertEquals(memory.statistics(), rebuilt.statistics());
        assertArrayEquals(memory.snapshot(), rebuilt.snapshot());
        assertEquals(ErrorMemoryContractTest.script(memory, 24, 100, 200),
                ErrorMemoryContractTest.script(rebuilt, 24, 100, 200));
        assertEquals(0, keyed.rebuild(java.util.List.of(), null).size());
    }

    @Test
    void totalsAddUpAcrossKeys() {
        KeyedErrorMemory keyed = new KeyedErrorMemory(CONFIG);
        double[] x = {0, 1};
        ErrorMemory a = keyed.load(null);
        ErrorMemory b = keyed.load(null);
        Correction first = keyed.correct(a, x, 0.0, 0);
        keyed.learn(a, x, 1.0, first, 0);
        Correction second = keyed.correct(a, x, 0.0, 1);
        Correction other = keyed.correct(b, x, 0.0, 1);
        keyed.learn(b, x, -1.0, other, 1);
        keyed.save(a);
        keyed.save(b);
        ErrorMemoryStats totals = keyed.totals();
        assertEquals(3, totals.lookups());
        assertEquals(1, totals.hits());
        assertEquals(1.0, second.correction(), 1e-12);
        assertEquals(2, totals.outcomes());
        assertEquals(0.0, totals.residualMeanBefore(), 1e-12);
        assertEquals(1, totals.size(), "the last saved memory's size");
        assertEquals(1.0 / CONFIG.capacity(), totals.occupancy(), 1e-12);
        assertEquals(2, a.statistics().lookups(), "each memory keeps its own figures too");
        assertEquals(1, b.statistics().lookups());
    }
}
