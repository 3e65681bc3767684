package dev.loopline.core.bandit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every bandit policy keeps, whatever its scorer and strategy. A subclass names the
 * policy's config; the tests drive it with reproducible streams in which actions come and go, new
 * actions and new features appear, features go missing and a few values are not even finite.
 */
abstract class BanditPolicyContractTest {
    static final long SEED = 20_251_125L;
    static final int EVENTS = 1_500;
    static final List<String> CONTEXT = List.of("x0", "x1", "x2", "x3", "x4");

    /** The policy under test. */
    protected abstract PolicyConfig config();

    /** Run-time wiring a fresh or restored policy needs (a served model); none by default. */
    protected void prepare(BanditPolicy policy) {
    }

    /** Whether learning changes later decisions. */
    protected boolean learns() {
        return true;
    }

    final BanditPolicy fresh() {
        BanditPolicy p = PolicyFactory.create(config());
        prepare(p);
        return p;
    }

    // ---- the contract --------------------------------------------------------------------------

    @Test
    void sameSeedAndEventsGiveIdenticalDecisions() {
        BanditPolicy a = fresh();
        BanditPolicy b = fresh();
        SplittableRandom stream = new SplittableRandom(1);
        for (int i = 0; i < EVENTS; i++) {
            DecisionInput input = input(stream, i, "s-" + i);
            BanditDecision da = a.choose(input);
            BanditDecision db = b.choose(input);
            assertSame(da, db, "event " + i);
            a.learn(input, da.index(), reward(input, da.index()));
            b.learn(input, db.index(), reward(input, db.index()));
        }
    }

    @Test
    void aDifferentSeedGivesDifferentDrawsWhereTheStrategyRandomises() {
        BanditPolicy a = fresh();
        BanditPolicy b = PolicyFactory.create(config().withSeed(SEED + 1));
        prepare(b);
        SplittableRandom stream = new SplittableRandom(11);
        int differ = 0;
        int randomised = 0;
        for (int i = 0; i < 300; i++) {
            DecisionInput input = input(stream, i, "d-" + i);
            BanditDecision da = a.choose(input);
            BanditDecision db = b.choose(input);
            if (!da.deterministic()) {
                randomised++;
                differ += da.index() != db.index() ? 1 : 0;
            }
            a.learn(input, da.index(), reward(input, da.index()));
            b.learn(input, db.index(), reward(input, db.index()));
        }
        if (randomised > 50) {
            assertTrue(differ > 0, "the seed does not reach the draws");
        }
    }

    @Test
    void choosingAndLearningDoNotMutateTheirInputs() {
        BanditPolicy policy = warmed(400);
        SplittableRandom stream = new SplittableRandom(2);
        for (int i = 0; i < 300; i++) {
            DecisionInput immutable = input(stream, 400 + i, "m-" + i);
            DecisionInput mutable = mutableCopy(immutable);
            BanditDecision d = policy.choose(mutable);
            policy.learn(mutable, d.index(), reward(mutable, d.index()));
            policy.learnAll(mutable, rewards(mutable));
            assertEquals(immutable, mutable, "event " + i + " was changed by the policy");
            // Immutable inputs throw on any attempt to change them.
            BanditDecision again = policy.choose(immutable);
            policy.learn(immutable, again.index(), 0.0);
        }
    }

    @Test
    void decidingChangesNoState() {
        BanditPolicy policy = warmed(300);
        byte[] before = policy.snapshot();
        SplittableRandom stream = new SplittableRandom(8);
        for (int i = 0; i < 200; i++) {
            policy.choose(input(stream, 300 + i, "n-" + i));
        }
        assertArrayEquals(before, policy.snapshot());
    }

    @Test
    void everyDistributionIsValidAndThePropensityIsRecorded() {
        BanditPolicy policy = fresh();
        SplittableRandom stream = new SplittableRandom(3);
        for (int i = 0; i < EVENTS; i++) {
            DecisionInput input = input(stream, i, "p-" + i);
            BanditDecision d = policy.choose(input);
            double[] p = d.probabilities();
            assertEquals(input.size(), p.length, "one probability per offered action");
            double sum = 0;
            for (double v : p) {
                assertTrue(v >= 0 && v <= 1, "probability " + v + " at event " + i);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-9, "event " + i);
            assertEquals(p[d.index()], d.propensity(), 0.0);
            assertTrue(d.propensity() > 0, "the chosen action had probability 0 at event " + i);
            assertEquals(!d.propensityEstimated() && d.propensity() == 1.0, d.deterministic(), "event " + i);
            assertEquals(config().name(), d.policy());
            policy.learn(input, d.index(), reward(input, d.index()));
        }
    }

    @Test
    void neverChoosesAnActionThatIsNotOffered() {
        BanditPolicy policy = fresh();
        SplittableRandom stream = new SplittableRandom(4);
        for (int i = 0; i < EVENTS; i++) {
            DecisionInput input = input(stream, i, "o-" + i);
            BanditDecision d = policy.choose(input);
            assertTrue(d.index() >= 0 && d.index() < input.size());
            assertEquals(input.actionIds().get(d.index()), d.actionId());
            policy.learn(input, d.index(), reward(input, d.index()));
        }
        // A single offered action, never seen before, is the only possible choice.
        DecisionInput single = new DecisionInput("single", Map.of("x0", 1.0), List.of("brand-new"), List.of(Map.of()));
        BanditDecision d = policy.choose(single);
        assertEquals("brand-new", d.actionId());
        assertEquals(1.0, d.propensity(), 1e-12);
    }

    @Test
    void missingNewAndNonFiniteFeaturesDoNotCrash() {
        BanditPolicy policy = warmed(300);
        List<Map<String, Double>> contexts = List.of(Map.of(), Map.of("never-seen", 3.0),
                nan("x0"), Map.of("x1", Double.POSITIVE_INFINITY, "x2", 1e300), Map.of("x0", -1e12));
        for (int i = 0; i < contexts.size(); i++) {
            List<String> actions = List.of("a0", "a1", "new-" + i);
            List<Map<String, Double>> features = List.of(Map.of("cost", Double.NaN), Map.of(), Map.of("brand", 1.0));
            DecisionInput input = new DecisionInput("f-" + i, contexts.get(i), actions, features);
            BanditDecision d = policy.choose(input);
            assertValid(d, input);
            policy.learn(input, d.index(), 1.0);
            assertValid(policy.choose(input), input);
        }
    }

    @Test
    void copyIsDeepAndIndependent() {
        BanditPolicy original = warmed(500);
        BanditPolicy copy = original.copy();
        BanditPolicy reference = original.copy();
        SplittableRandom stream = new SplittableRandom(5);
        // Train the copy hard on the opposite rewards; the original must not notice.
        for (int i = 0; i < 500; i++) {
            DecisionInput input = input(stream, 500 + i, "c-" + i);
            BanditDecision d = copy.choose(input);
            copy.learn(input, d.index(), 1.0 - reward(input, d.index()));
        }
        assertEquals(original.learns() ? 500 : 0, original.learned());
        assertEquals(copy.learns() ? 1000 : 0, copy.learned());
        SplittableRandom probe = new SplittableRandom(6);
        int differ = 0;
        for (int i = 0; i < 200; i++) {
            DecisionInput input = input(probe, 1000 + i, "q-" + i);
            BanditDecision fromOriginal = original.choose(input);
            assertSame(reference.choose(input), fromOriginal, "probe " + i);
            differ += copy.choose(input).index() != fromOriginal.index() ? 1 : 0;
        }
        if (learns()) {
            assertTrue(differ > 0, "learning on the copy changed nothing: is learn a no-op?");
        }
        assertArrayEquals(reference.snapshot(), original.snapshot());
    }

    @Test
    void snapshotAndRestoreGiveIdenticalLaterDecisions() {
        BanditPolicy original = warmed(700);
        byte[] bytes = original.snapshot();
        BanditPolicy restored = fresh();
        restored.restore(bytes);
        assertArrayEquals(bytes, restored.snapshot(), "the round trip changed the state");
        SplittableRandom stream = new SplittableRandom(7);
        for (int i = 0; i < 500; i++) {
            DecisionInput input = input(stream, 700 + i, "r-" + i);
            BanditDecision a = original.choose(input);
            BanditDecision b = restored.choose(input);
            assertSame(a, b, "event " + i + " after restore");
            original.learn(input, a.index(), reward(input, a.index()));
            restored.learn(input, b.index(), reward(input, b.index()));
        }
        assertArrayEquals(original.snapshot(), restored.snapshot());
    }

    @Test
    void restoreRefusesDamagedOrForeignSnapshotsAndKeepsItsState() {
        BanditPolicy policy = warmed(200);
        byte[] before = policy.snapshot();
        assertThrows(IllegalArgumentException.class, () -> policy.restore(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> policy.restore(java.util.Arrays.copyOf(before, before.length - 5)));
        byte[] longer = java.util.Arrays.copyOf(before, before.length + 1);
        assertThrows(IllegalArgumentException.class, () -> policy.restore(longer));
        String other = config().name().equals(PolicyFactory.UNIFORM) ? PolicyFactory.GREEDY : PolicyFactory.UNIFORM;
        byte[] foreign = PolicyFactory.create(other, SEED).snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy.restore(foreign));
        assertTrue(e.getMessage().contains(other), e.getMessage());
        assertArrayEquals(before, policy.snapshot(), "a refused restore changed the state");
    }

    @Test
    void learningCountsOutcomesAndRejectsImpossibleOnes() {
        BanditPolicy policy = fresh();
        DecisionInput input = new DecisionInput("e", Map.of("x0", 1.0), List.of("a", "b"), List.of(Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> policy.learn(input, 2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> policy.learn(input, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> policy.learn(input, "c", 1.0));
        assertEquals(0, policy.learned());
        policy.learn(input, "b", 1.0);
        assertEquals(policy.learns() ? 1 : 0, policy.learned(), "a policy serving a model trained elsewhere counts nothing");
    }

    // ---- streams ---------------------------------------------------------------------------------

    BanditPolicy warmed(int events) {
        BanditPolicy policy = fresh();
        SplittableRandom stream = new SplittableRandom(99);
        for (int i = 0; i < events; i++) {
            DecisionInput input = input(stream, i, "w-" + i);
            BanditDecision d = policy.choose(input);
            policy.learn(input, d.index(), reward(input, d.index()));
        }
        return policy;
    }

    /**
     * Event {@code t} of a stream: up to six of the actions available at {@code t} in random order.
     * Actions {@code a0..a9} are offered from the start, {@code a0} and {@code a1} are withdrawn at
     * {@code t = 800}, {@code n0..n3} arrive at {@code t = 400}. Context features are missing 15 % of
     * the time; {@code late} appears at {@code t = 300}; action feature {@code cost} is there 70 % of
     * the time. Inputs are immutable.
     */
    static DecisionInput input(SplittableRandom stream, int t, String eventId) {
        List<String> available = new ArrayList<>();
        for (int a = t >= 800 ? 2 : 0; a < 10; a++) {
            available.add("a" + a);
        }
        if (t >= 400) {
            for (int a = 0; a < 4; a++) {
                available.add("n" + a);
            }
        }
        Collections.shuffle(available, new java.util.Random(stream.nextLong()));
        int k = 1 + stream.nextInt(Math.min(6, available.size()));
        List<String> actions = List.copyOf(available.subList(0, k));
        Map<String, Double> context = new HashMap<>();
        for (int i = 0; i < CONTEXT.size(); i++) {
            if (stream.nextDouble() < 0.85) {
                context.put(CONTEXT.get(i), 100.0 * i + (1 + i) * stream.nextGaussian());
            }
        }
        if (t >= 300) {
            context.put("late", stream.nextDouble());
        }
        List<Map<String, Double>> features = new ArrayList<>();
        for (String a : actions) {
            features.add(stream.nextDouble() < 0.7 ? Map.of("cost", (double) (a.hashCode() % 7)) : Map.of());
        }
        return new DecisionInput(eventId, Map.copyOf(context), actions, List.copyOf(features));
    }

    /** A reward that depends on context and action, drawn from the event's own stream (deterministic). */
    static double reward(DecisionInput input, int index) {
        String action = input.actionIds().get(index);
        double x0 = input.context().getOrDefault("x0", 0.0);
        double mean = (action.hashCode() & 1) == (x0 > 0.3 ? 1 : 0) ? 0.8 : 0.2;
        return Draws.forEvent(7, input.eventId() + "/" + action).nextDouble() < mean ? 1.0 : 0.0;
    }

    static double[] rewards(DecisionInput input) {
        double[] r = new double[input.size()];
        for (int a = 0; a < r.length; a++) {
            r[a] = reward(input, a);
        }
        return r;
    }

    private static Map<String, Double> nan(String name) {
        Map<String, Double> m = new HashMap<>();
        m.put(name, Double.NaN);
        m.put("x3", null);
        return Collections.unmodifiableMap(m);
    }

    private static DecisionInput mutableCopy(DecisionInput in) {
        List<Map<String, Double>> features = new ArrayList<>();
        for (Map<String, Double> f : in.actionFeatures()) {
            features.add(new HashMap<>(f));
        }
        return new DecisionInput(in.eventId(), new HashMap<>(in.context()), new ArrayList<>(in.actionIds()), features);
    }

    static void assertSame(BanditDecision a, BanditDecision b, String where) {
        BanditContract.assertSameDecision(a, b, where);
    }

    private static void assertValid(BanditDecision d, DecisionInput input) {
        double sum = 0;
        for (double p : d.probabilities()) {
            assertFalse(Double.isNaN(p));
            sum += p;
        }
        assertEquals(1.0, sum, 1e-9);
        for (double s : d.scores()) {
            assertTrue(Double.isFinite(s), "score " + s);
        }
        assertTrue(input.actionIds().contains(d.actionId()));
        assertNotEquals(0.0, d.propensity());
    }
}
