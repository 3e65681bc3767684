package dev.loopline.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract every simulator meets, applied to each by a subclass: same seed gives the same events
 * and outcomes, a replayed decision gets the same outcome, every event names its features and offers
 * valid actions, the oracle covers exactly the offered actions, outcomes refuse an action that was not
 * offered and survive the Avro round trip, and the generation rate is printed (not asserted).
 */
public abstract class EnvironmentContractTest {
    protected static final long T0 = 1_700_000_000_000L;

    /** A fresh environment with the given seed (drift as configured by default). */
    protected abstract Environment create(long seed);

    /** Events per test; the subclass may lower it for slow environments. */
    protected int events() {
        return 5_000;
    }

    /** Event time of event i: 1 ms apart unless a subclass says otherwise. */
    protected long time(int i) {
        return T0 + i;
    }

    @Test
    void sameSeedGivesSameEventsAndOutcomes() {
        Environment a = create(7);
        Environment b = create(7);
        Environment c = create(8);
        boolean anyDifferent = false;
        for (int i = 0; i < events(); i++) {
            ContextEvent ea = a.next(time(i));
            ContextEvent eb = b.next(time(i));
            assertEquals(ea, eb, "event " + i);
            anyDifferent |= !ea.getFeatures().equals(c.next(time(i)).getFeatures());
            for (Action action : ea.getActions()) {
                Outcome oa = a.outcome(ea, action.getActionId());
                assertEquals(oa, b.outcome(eb, action.getActionId()));
                assertEquals(oa, a.outcome(ea, action.getActionId()), "a replayed decision gets the same outcome");
            }
        }
        assertTrue(anyDifferent, "another seed must give other events");
    }

    @Test
    void eventsNameTheirFeaturesAndTheOracleCoversExactlyTheOfferedActions() {
        Environment env = create(3);
        Set<String> entities = new HashSet<>();
        for (int i = 0; i < events(); i++) {
            ContextEvent e = env.next(time(i));
            assertEquals(env.name(), e.getDomain());
            assertEquals(Set.copyOf(env.contextFeatureNames()), e.getFeatures().keySet());
            e.getFeatures().values().forEach(v -> assertTrue(Double.isFinite(v), "feature " + v));
            assertFalse(e.getActions().isEmpty());
            Set<String> offered = e.getActions().stream().map(Action::getActionId).collect(Collectors.toSet());
            assertEquals(e.getActions().size(), offered.size(), "action ids are unique");
            for (Action a : e.getActions()) {
                assertEquals(Set.copyOf(env.actionFeatureNames()), a.getFeatures().keySet());
                a.getFeatures().values().forEach(v -> assertTrue(Double.isFinite(v), "action feature " + v));
            }
            assertNotNull(e.getOracleRewards());
            assertEquals(offered, e.getOracleRewards().keySet());
            e.getOracleRewards().values().forEach(v -> assertTrue(v >= 0.0 && v <= 1.0, "oracle " + v));
            entities.add(e.getEntityId());
        }
        assertTrue(entities.size() > 1, "several entities: " + entities);
        ContextEvent e = env.next(time(events()));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> env.outcome(e, "not-an-action"));
        assertTrue(refused.getMessage().contains("not-an-action"), refused.getMessage());
    }

    @Test
    void outcomesOfDecodedEventsEqualOutcomesOfTheOriginals() throws Exception {
        Environment env = create(5);
        SingleObjectCodec<ContextEvent> codec = Codecs.context();
        for (int i = 0; i < 500; i++) {
            ContextEvent e = env.next(time(i));
            ContextEvent decoded = codec.decode(codec.encode(e));
            String first = e.getActions().get(0).getActionId();
            assertEquals(env.outcome(e, first), env.outcome(decoded, first));
        }
    }

    /**
     * Prints the generation rate over 3 rounds of 200,000 events after a 200,000-event warm-up (best and
     * median round), with and without Avro encoding. Printed, not asserted: the build machine is shared.
     */
    @Test
    void generationRate() {
        Environment env = create(1);
        SingleObjectCodec<ContextEvent> codec = Codecs.context();
        int n = 200_000;
        int t = 0;
        long sink = 0;
        for (int i = 0; i < n; i++) { // warm-up
            sink += env.next(time(t++)).getActions().size();
        }
        double[] rates = new double[3];
        for (int round = 0; round < rates.length; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += env.next(time(t++)).getActions().size();
            }
            rates[round] = n / ((System.nanoTime() - t0) / 1e9);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += codec.encode(env.next(time(t++))).length;
        }
        double encoded = n / ((System.nanoTime() - t1) / 1e9);
        java.util.Arrays.sort(rates);
        System.out.printf("%s generation: best %.0f, median %.0f events/s (next only, 3 rounds of %d events); "
                        + "%.0f events/s (next + Avro encode)%n", env.name(), rates[2], rates[1], n, encoded);
        assertNotEquals(0, sink);
    }

    /** Mean expected (oracle) reward of a policy, the oracle-greedy policy and uniform random. */
    public record Means(double policy, double oracle, double uniform, double realizedPolicy) {}

    /** Measures {@code policy} against the oracle and uniform random over events {@code from..from+n}. */
    protected static Means measure(Environment env, int n, Function<ContextEvent, String> policy,
            java.util.function.IntToLongFunction time) {
        double p = 0;
        double o = 0;
        double u = 0;
        double realized = 0;
        for (int i = 0; i < n; i++) {
            ContextEvent e = env.next(time.applyAsLong(i));
            Map<String, Double> oracle = e.getOracleRewards();
            String chosen = policy.apply(e);
            p += oracle.get(chosen);
            o += oracle.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            u += oracle.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            realized += env.outcome(e, chosen).reward();
        }
        return new Means(p / n, o / n, u / n, realized / n);
    }

    /** The offered action with the highest oracle reward. */
    protected static String oracleBest(ContextEvent e) {
        return e.getOracleRewards().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    protected static List<String> offered(ContextEvent e) {
        return e.getActions().stream().map(Action::getActionId).toList();
    }
}
