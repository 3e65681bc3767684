package dev.loopline.core.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every policy keeps, whatever it scores with. A subclass wraps one policy and its state
 * in a {@link Subject}; the tests below drive it with reproducible streams of decisions.
 */
abstract class PolicyContractTest {
    static final long SEED = 20_240_601L;
    /** The context features the policies are configured with. */
    static final List<String> CONTEXT = List.of("x0", "x1", "x2", "x3");
    /** Every action id that may be offered; each event offers a random subset in random order. */
    static final List<String> ACTIONS = List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7");
    static final String ACTION_FEATURE = "cost";

    /** One policy and its state, behind the verbs the contract needs. */
    interface Subject {
        Choice choose(DecisionInput input, SplittableRandom random);

        /** Learns from one outcome; a no-op for a policy that learns elsewhere (SquareCB's trainer). */
        void learn(DecisionInput input, int chosen, double reward);

        /** An independent copy of the policy and its state. */
        Subject copy();

        /** The state written out the way it is persisted and read back into a fresh policy. */
        Subject roundTrip();
    }

    /** A fresh policy with its (possibly empty) starting state. */
    protected abstract Subject newSubject();

    /** Whether {@link Subject#learn} changes later decisions. */
    protected abstract boolean learnsOnline();

    // ---- the contract --------------------------------------------------------------------------

    @Test
    void sameSeedAndSameEventIdsGiveIdenticalChoicesAndProbabilities() {
        Subject a = newSubject();
        Subject b = newSubject();
        SplittableRandom stream = new SplittableRandom(1);
        for (int i = 0; i < 2_000; i++) {
            DecisionInput input = randomInput(stream, "e-" + i);
            Choice ca = a.choose(input, Draws.forEvent(SEED, input.eventId()));
            Choice cb = b.choose(input, Draws.forEvent(SEED, input.eventId()));
            assertSameChoice(ca, cb, "event " + i);
            double reward = rewardOf(input, ca.index());
            a.learn(input, ca.index(), reward);
            b.learn(input, cb.index(), reward);
        }
    }

    @Test
    void choosingAndLearningDoNotMutateTheirInputs() {
        Subject subject = warmed();
        SplittableRandom stream = new SplittableRandom(2);
        for (int i = 0; i < 300; i++) {
            DecisionInput input = randomInput(stream, "m-" + i);
            DecisionInput before = deepCopy(input);
            Choice choice = subject.choose(input, Draws.forEvent(SEED, input.eventId()));
            subject.learn(input, choice.index(), rewardOf(input, choice.index()));
            assertEquals(before, input, "event " + i + " was changed by the policy");
        }
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        Subject original = warmed();
        List<DecisionInput> probes = probes(300, 3);
        List<Choice> before = chooseAll(original, probes);

        Subject copy = original.copy();
        assertChoicesEqual(before, chooseAll(copy, probes), "a fresh copy decides like the original");

        // Teach the copy something very different: only the action it likes least pays.
        SplittableRandom stream = new SplittableRandom(4);
        for (int i = 0; i < 1_000; i++) {
            DecisionInput input = randomInput(stream, "c-" + i);
            Choice c = copy.choose(input, Draws.forEvent(SEED, input.eventId()));
            copy.learn(input, c.index(), -5.0);
        }
        assertChoicesEqual(before, chooseAll(original, probes), "learning on the copy changed the original");
        if (learnsOnline()) {
            assertTrue(differ(before, chooseAll(copy, probes)), "the copy learned nothing, so the check proves nothing");
        }

        // And the other way round: learning on the original leaves a second copy alone.
        Subject second = original.copy();
        List<Choice> secondBefore = chooseAll(second, probes);
        for (int i = 0; i < 1_000; i++) {
            DecisionInput input = randomInput(stream, "o-" + i);
            Choice c = original.choose(input, Draws.forEvent(SEED, input.eventId()));
            original.learn(input, c.index(), 5.0);
        }
        assertChoicesEqual(secondBefore, chooseAll(second, probes), "learning on the original changed its copy");
    }

    @Test
    void stateRoundTripGivesIdenticalDecisions() {
        Subject original = warmed();
        Subject restored = original.roundTrip();
        List<DecisionInput> probes = probes(500, 5);
        assertChoicesEqual(chooseAll(original, probes), chooseAll(restored, probes), "after a state round trip");
        // Both keep learning the same way.
        SplittableRandom stream = new SplittableRandom(6);
        for (int i = 0; i < 200; i++) {
            DecisionInput input = randomInput(stream, "r-" + i);
            Choice a = original.choose(input, Draws.forEvent(SEED, input.eventId()));
            Choice b = restored.choose(input, Draws.forEvent(SEED, input.eventId()));
            assertSameChoice(a, b, "learning step " + i);
            original.learn(input, a.index(), rewardOf(input, a.index()));
            restored.learn(input, b.index(), rewardOf(input, b.index()));
        }
    }

    @Test
    void distributionIsValidAndTheChoiceIsOfferedOverThousandsOfRandomActionSubsets() {
        Subject subject = newSubject();
        SplittableRandom stream = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            DecisionInput input = randomInput(stream, "s-" + i);
            Choice choice = subject.choose(input, Draws.forEvent(SEED, input.eventId()));
            int k = input.size();
            assertTrue(choice.index() >= 0 && choice.index() < k,
                    "event " + i + " chose index " + choice.index() + " of " + k + " offered actions");
            assertEquals(k, choice.probabilities().length, "one probability per offered action");
            assertEquals(k, choice.scores().length, "one score per offered action");
            double sum = 0;
            for (double p : choice.probabilities()) {
                assertTrue(p >= 0 && p <= 1 + 1e-12, "probability " + p + " outside [0, 1] at event " + i);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-9, "probabilities of event " + i + " sum to " + sum);
            assertTrue(choice.propensity() > 0, "the chosen action must have positive probability");
            assertEquals(choice.probabilities()[choice.index()], choice.propensity());
            if (i % 3 == 0) {
                subject.learn(input, choice.index(), rewardOf(input, choice.index()));
            }
        }
    }

    @Test
    void aSingleOfferedActionIsChosenWithProbabilityOne() {
        Subject subject = warmed();
        for (String action : ACTIONS) {
            DecisionInput input = new DecisionInput("single-" + action, context(0.3, -0.2, 0.9, 0.1),
                    List.of(action), List.of(Map.of(ACTION_FEATURE, 0.5)));
            Choice choice = subject.choose(input, Draws.forEvent(SEED, input.eventId()));
            assertEquals(0, choice.index());
            assertEquals(1.0, choice.propensity(), 1e-12);
        }
    }

    @Test
    void aMissingFeatureReadsAsZeroAndAnUnknownFeatureIsIgnored() {
        Subject subject = warmed();
        for (DecisionInput input : probes(200, 8)) {
            Map<String, Double> zeroed = new HashMap<>(input.context());
            zeroed.put("x2", 0.0);
            Map<String, Double> missing = new HashMap<>(input.context());
            missing.remove("x2");
            Choice withZero = subject.choose(withContext(input, zeroed), Draws.forEvent(SEED, input.eventId()));
            Choice withMissing = subject.choose(withContext(input, missing), Draws.forEvent(SEED, input.eventId()));
            assertSameChoice(withZero, withMissing, "a missing x2 must read as 0");

            Map<String, Double> extra = new HashMap<>(input.context());
            extra.put("brand-new-feature", 123.0);
            List<Map<String, Double>> extraActionFeatures = new ArrayList<>();
            for (Map<String, Double> f : input.actionFeatures()) {
                Map<String, Double> g = new HashMap<>(f);
                g.put("unknown-action-feature", -7.0);
                extraActionFeatures.add(g);
            }
            DecisionInput widened = new DecisionInput(input.eventId(), extra, input.actionIds(), extraActionFeatures);
            Choice plain = subject.choose(input, Draws.forEvent(SEED, input.eventId()));
            Choice withExtra = subject.choose(widened, Draws.forEvent(SEED, input.eventId()));
            assertSameChoice(plain, withExtra, "an unknown feature must be ignored");
            subject.learn(widened, withExtra.index(), 1.0); // learning with it does not crash either
        }
        // No features at all, and no action features at all.
        List<Map<String, Double>> none = new ArrayList<>();
        for (int i = 0; i < ACTIONS.size(); i++) {
            none.add(Map.of());
        }
        DecisionInput bare = new DecisionInput("bare", Map.of(), ACTIONS, none);
        Choice choice = subject.choose(bare, Draws.forEvent(SEED, "bare"));
        assertNotNull(choice);
        subject.learn(bare, choice.index(), 0.5);
    }

    // ---- shared fixtures -----------------------------------------------------------------------

    /** A policy that has seen 500 outcomes of {@link #rewardOf}. */
    Subject warmed() {
        Subject subject = newSubject();
        SplittableRandom stream = new SplittableRandom(99);
        for (int i = 0; i < 500; i++) {
            DecisionInput input = randomInput(stream, "w-" + i);
            Choice c = subject.choose(input, Draws.forEvent(SEED, input.eventId()));
            subject.learn(input, c.index(), rewardOf(input, c.index()));
        }
        return subject;
    }

    /** A deterministic reward that depends on context and action, so learning has something to find. */
    static double rewardOf(DecisionInput input, int index) {
        int a = Integer.parseInt(input.actionIds().get(index).substring(1));
        Map<String, Double> x = input.context();
        double v = 0.1 * a;
        v += (a % 2 == 0 ? 1 : -1) * x.getOrDefault("x0", 0.0);
        v += (a % 3 == 0 ? 0.5 : -0.25) * x.getOrDefault("x1", 0.0);
        return v;
    }

    /** Random context and a random non-empty subset of {@link #ACTIONS} in random order; all collections mutable. */
    static DecisionInput randomInput(SplittableRandom r, String eventId) {
        Map<String, Double> ctx = new HashMap<>();
        for (String name : CONTEXT) {
            ctx.put(name, r.nextDouble(-1, 1));
        }
        List<String> ids = new ArrayList<>(ACTIONS);
        Collections.shuffle(ids, new java.util.Random(r.nextLong()));
        ids = new ArrayList<>(ids.subList(0, 1 + r.nextInt(ACTIONS.size())));
        List<Map<String, Double>> features = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Double> f = new HashMap<>();
            f.put(ACTION_FEATURE, r.nextDouble());
            features.add(f);
        }
        return new DecisionInput(eventId, ctx, ids, features);
    }

    static Map<String, Double> context(double... values) {
        Map<String, Double> ctx = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            ctx.put(CONTEXT.get(i), values[i]);
        }
        return ctx;
    }

    static List<DecisionInput> probes(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<DecisionInput> probes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            probes.add(randomInput(r, "p-" + seed + "-" + i));
        }
        return probes;
    }

    static List<Choice> chooseAll(Subject subject, List<DecisionInput> inputs) {
        List<Choice> out = new ArrayList<>();
        for (DecisionInput input : inputs) {
            out.add(subject.choose(input, Draws.forEvent(SEED, input.eventId())));
        }
        return out;
    }

    static DecisionInput withContext(DecisionInput input, Map<String, Double> context) {
        return new DecisionInput(input.eventId(), context, input.actionIds(), input.actionFeatures());
    }

    static DecisionInput deepCopy(DecisionInput input) {
        List<Map<String, Double>> features = new ArrayList<>();
        for (Map<String, Double> f : input.actionFeatures()) {
            features.add(new HashMap<>(f));
        }
        return new DecisionInput(input.eventId(), new HashMap<>(input.context()), new ArrayList<>(input.actionIds()),
                features);
    }

    static void assertSameChoice(Choice expected, Choice actual, String where) {
        assertEquals(expected.index(), actual.index(), where + ": index");
        assertArrayEquals(expected.probabilities(), actual.probabilities(), where + ": probabilities");
        assertArrayEquals(expected.scores(), actual.scores(), where + ": scores");
        assertEquals(expected.explored(), actual.explored(), where + ": explored");
        assertEquals(expected.modelVersion(), actual.modelVersion(), where + ": model version");
        assertEquals(expected.policy(), actual.policy(), where + ": policy");
    }

    static void assertChoicesEqual(List<Choice> expected, List<Choice> actual, String what) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSameChoice(expected.get(i), actual.get(i), what + ", probe " + i);
        }
    }

    static boolean differ(List<Choice> a, List<Choice> b) {
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).index() != b.get(i).index()
                    || !java.util.Arrays.equals(a.get(i).scores(), b.get(i).scores())) {
                return true;
            }
        }
        return false;
    }
}
