package dev.loopline.core.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.join.FeedbackJoin.Aggregation;
import dev.loopline.core.join.FeedbackJoin.FeedbackVerdict;
import dev.loopline.core.join.FeedbackJoin.Resolution;
import dev.loopline.core.join.FeedbackJoin.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The feedback join's rules over an in-memory store and a hand-driven clock: what the decide-and-learn
 * operator's keyed state and timers do, without Flink. Wait 1,000 ms, timers on a 100 ms grid,
 * tombstones kept 10,000 ms.
 */
class FeedbackJoinContractTest {
    /** The record the store keeps per decision; {@code context} stands for what learning needs. */
    record Pending(String id, long deadline, boolean resolved, boolean context, List<Long> times, double sum) {}

    static final class Records implements FeedbackJoin.Records<Pending> {
        @Override public long deadline(Pending p) { return p.deadline(); }
        @Override public boolean resolved(Pending p) { return p.resolved(); }
        @Override public boolean hasContext(Pending p) { return p.context(); }
        @Override public List<Long> feedbackTimes(Pending p) { return p.times(); }
        @Override public double rewardSum(Pending p) { return p.sum(); }

        @Override
        public Pending withFeedback(Pending p, double reward, long at) {
            List<Long> times = new ArrayList<>(p.times());
            times.add(at);
            return new Pending(p.id(), p.deadline(), p.resolved(), p.context(), times, p.sum() + reward);
        }

        @Override
        public Pending withoutContext(Pending p) {
            return new Pending(p.id(), p.deadline(), p.resolved(), false, p.times(), p.sum());
        }

        @Override
        public Pending tombstone(Pending p, boolean keepContext) {
            return new Pending(p.id(), p.deadline(), true, keepContext, List.of(), 0.0);
        }
    }

    /** A key's state: the pending map and the due lists, plus the timers a Flink store would register. */
    static final class Store implements FeedbackJoin.Store<Pending> {
        final Map<String, Pending> pending = new HashMap<>();
        final Map<Timer, TreeMap<Long, List<String>>> due = Map.of(Timer.DEADLINE, new TreeMap<>(), Timer.EXPIRY, new TreeMap<>());
        final List<Long> timers = new ArrayList<>();

        @Override public Pending get(String id) { return pending.get(id); }
        @Override public void put(String id, Pending p) { pending.put(id, p); }
        @Override public void remove(String id) { pending.remove(id); }

        @Override
        public void schedule(Timer timer, long at, String id) {
            if (!due.get(Timer.DEADLINE).containsKey(at) && !due.get(Timer.EXPIRY).containsKey(at)) {
                timers.add(at);
            }
            due.get(timer).computeIfAbsent(at, t -> new ArrayList<>()).add(id);
        }

        @Override
        public List<String> takeDue(Timer timer, long at) {
            List<String> ids = due.get(timer).remove(at);
            return ids == null ? List.of() : ids;
        }
    }

    /** What the steps did outside the store. */
    static final class Log implements FeedbackJoin.Effects<Pending> {
        final List<String> learned = new ArrayList<>();
        final List<String> emitted = new ArrayList<>();

        @Override
        public void learn(Pending p, double reward, long at) {
            learned.add(p.id() + "=" + reward);
        }

        @Override
        public void emit(Pending p, double reward, Resolution resolution, long at) {
            emitted.add(p.id() + " " + resolution + " " + reward + " @" + at);
        }
    }

    final Store store = new Store();
    final Log log = new Log();

    static FeedbackJoin<Pending> join(Double defaultReward, boolean learnLate, Aggregation aggregation) {
        return new FeedbackJoin<>(new FeedbackJoin.Config(1_000, defaultReward, learnLate, 10_000, aggregation, 100),
                new Records());
    }

    void decide(FeedbackJoin<Pending> join, String id, long at) throws Exception {
        assertFalse(join.known(store, id));
        join.open(store, id, new Pending(id, join.deadline(at), false, true, List.of(), 0.0));
    }

    /** Fires every timer up to {@code watermark}, as event time passing does. */
    FeedbackJoin.Fired advance(FeedbackJoin<Pending> join, long watermark) throws Exception {
        int joined = 0;
        int timedOut = 0;
        List<Long> dueNow = store.timers.stream().filter(t -> t <= watermark).sorted().toList();
        store.timers.removeAll(dueNow);
        for (long t : dueNow) {
            FeedbackJoin.Fired fired = join.fire(store, log, t);
            joined += fired.joined();
            timedOut += fired.timedOut();
        }
        return new FeedbackJoin.Fired(joined, timedOut);
    }

    @Test
    void deadlinesSaturateAndShareTheTimerGrid() {
        FeedbackJoin<Pending> join = join(0.0, false, Aggregation.FIRST);
        assertEquals(2_000, join.deadline(1_000));
        assertEquals(2_100, join.deadline(1_001));
        assertEquals(Long.MAX_VALUE, join.deadline(Long.MAX_VALUE - 10), "a record stamped at the end of time never wraps");
    }

    @Test
    void theFirstFeedbackJoinsAtOnceLearnsOnceAndLeavesATombstoneThatExpires() throws Exception {
        FeedbackJoin<Pending> join = join(0.0, false, Aggregation.FIRST);
        decide(join, "e1", 1_000);
        assertTrue(join.known(store, "e1"), "a second context event with this id is a duplicate");
        assertEquals(FeedbackVerdict.JOINED, join.feedback(store, log, "e1", 1.0, 1_500, 1_400));
        assertEquals(List.of("e1=1.0"), log.learned);
        assertEquals(List.of("e1 JOINED 1.0 @1500"), log.emitted);
        assertTrue(store.pending.get("e1").resolved());
        assertFalse(store.pending.get("e1").context(), "a joined decision keeps no context");

        assertEquals(FeedbackVerdict.LATE, join.feedback(store, log, "e1", 0.7, 1_600, 1_500), "a redelivery");
        assertEquals(List.of("e1=1.0"), log.learned, "counted, never learned twice");
        assertEquals("e1 LATE 0.7 @1600", log.emitted.get(1));

        assertEquals(new FeedbackJoin.Fired(0, 0), advance(join, 2_000), "joined: the deadline resolves nothing");
        advance(join, 11_999);
        assertTrue(join.known(store, "e1"), "the tombstone lasts 10 s after the deadline");
        advance(join, 12_000);
        assertNull(store.pending.get("e1"));
        assertEquals(FeedbackVerdict.UNKNOWN, join.feedback(store, log, "e1", 1.0, 12_100, 12_000));
    }

    @Test
    void withoutFeedbackTheDeadlineTimesOutWithTheDefaultRewardOrWithNothing() throws Exception {
        FeedbackJoin<Pending> withDefault = join(0.25, false, Aggregation.FIRST);
        decide(withDefault, "e1", 1_001);
        assertEquals(new FeedbackJoin.Fired(0, 0), advance(withDefault, 2_099));
        assertEquals(new FeedbackJoin.Fired(0, 1), advance(withDefault, 2_100));
        assertEquals(List.of("e1=0.25"), log.learned);
        assertEquals(List.of("e1 TIMED_OUT 0.25 @2100"), log.emitted);

        FeedbackJoin<Pending> dropping = join(null, false, Aggregation.FIRST);
        decide(dropping, "e2", 3_000);
        assertEquals(new FeedbackJoin.Fired(0, 1), advance(dropping, 4_000));
        assertEquals(1, log.learned.size(), "no default reward: a time-out teaches nothing");
        assertEquals(1, log.emitted.size(), "and hands nothing downstream");
        assertTrue(store.pending.get("e2").resolved());
    }

    @Test
    void feedbackStampedAfterTheDeadlineIsLateEvenBeforeTheTimerFires() throws Exception {
        FeedbackJoin<Pending> join = join(0.0, false, Aggregation.FIRST);
        decide(join, "e1", 1_000);
        assertEquals(FeedbackVerdict.LATE, join.feedback(store, log, "e1", 1.0, 2_050, 1_900));
        assertTrue(log.learned.isEmpty());
        assertEquals(new FeedbackJoin.Fired(0, 1), advance(join, 2_000), "its deadline then times it out");
        assertEquals(List.of("e1=0.0"), log.learned);
    }

    @Test
    void lateLearningTeachesATimedOutDecisionOnceAndAJoinedOneNever() throws Exception {
        FeedbackJoin<Pending> join = join(0.0, true, Aggregation.FIRST);
        decide(join, "e1", 1_000);
        decide(join, "e2", 1_000);
        join.feedback(store, log, "e1", 1.0, 1_200, 1_100);
        advance(join, 2_000);
        assertEquals(List.of("e1=1.0", "e2=0.0"), log.learned);
        assertTrue(store.pending.get("e2").context(), "a timed-out decision keeps its context for a late outcome");

        assertEquals(FeedbackVerdict.LATE, join.feedback(store, log, "e1", 0.5, 2_100, 2_000));
        assertEquals(FeedbackVerdict.LATE, join.feedback(store, log, "e2", 0.9, 2_200, 2_000));
        assertEquals(FeedbackVerdict.LATE, join.feedback(store, log, "e2", 0.9, 2_200, 2_000));
        assertEquals(List.of("e1=1.0", "e2=0.0", "e2=0.9"), log.learned, "e2's late outcome once, e1's never");
        assertFalse(store.pending.get("e2").context());
    }

    @Test
    void summedFeedbackIsLearnedOnceWhenTheWindowClosesAndRedeliveriesCountOnce() throws Exception {
        FeedbackJoin<Pending> join = join(0.0, false, Aggregation.SUM);
        decide(join, "e1", 1_000);
        assertEquals(FeedbackVerdict.SUMMED, join.feedback(store, log, "e1", 0.25, 1_200, 1_100));
        assertEquals(FeedbackVerdict.SUMMED, join.feedback(store, log, "e1", 0.5, 1_400, 1_300));
        assertEquals(FeedbackVerdict.SUMMED, join.feedback(store, log, "e1", 0.5, 1_400, 1_300));
        assertTrue(log.learned.isEmpty(), "nothing before the window closes");
        assertEquals(new FeedbackJoin.Fired(1, 0), advance(join, 2_000));
        assertEquals(List.of("e1=0.75"), log.learned);
        assertEquals(List.of("e1 JOINED 0.75 @2000"), log.emitted);
    }

    @Test
    void feedbackForADecisionNeverMadeIsUnknown() throws Exception {
        FeedbackJoin<Pending> join = join(0.0, false, Aggregation.FIRST);
        assertEquals(FeedbackVerdict.UNKNOWN, join.feedback(store, log, "nope", 1.0, 1_000, 900));
        assertTrue(log.learned.isEmpty() && log.emitted.isEmpty());
    }

    @Test
    void decisionsDueAtOneInstantShareOneTimer() throws Exception {
        FeedbackJoin<Pending> join = join(0.0, false, Aggregation.FIRST);
        decide(join, "e1", 1_010);
        decide(join, "e2", 1_020);
        decide(join, "e3", 1_090);
        assertEquals(List.of(2_100L), store.timers);
        assertEquals(new FeedbackJoin.Fired(0, 3), advance(join, 2_100));
    }

    @Test
    void configurationsOutsideTheirRangeAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> new FeedbackJoin.Config(0, 0.0, false, 0, Aggregation.FIRST, 100));
        assertThrows(IllegalArgumentException.class,
                () -> new FeedbackJoin.Config(1_000, Double.NaN, false, 0, Aggregation.FIRST, 100));
        assertThrows(IllegalArgumentException.class, () -> new FeedbackJoin.Config(1_000, 0.0, false, -1, Aggregation.FIRST, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aggregation.parse("mean"));
        assertTrue(e.getMessage().contains("'mean' is unknown"), e.getMessage());
        assertEquals(Aggregation.SUM, Aggregation.parse("sum"));
    }
}
