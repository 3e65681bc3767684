package dev.loopline.core.join;

import dev.loopline.core.time.Instants;
import java.io.Serializable;
import java.util.List;

/**
 * The join of decisions with the feedback that arrives later, as a state machine over one key's pending
 * decisions. The operator around it supplies the store (keyed state), the record type it keeps per
 * decision ({@link Records}) and what a step does outside the store ({@link Effects}: learn, emit the
 * joined example); this class holds every rule.
 *
 * <p>A decision is <em>open</em> from {@link #open} until its deadline ({@code decision time + wait},
 * rounded up to the timer grid so decisions share timers). Feedback for an open decision is
 * {@link Resolution#JOINED} at once ({@code first}) or summed and joined when the window closes ({@code
 * sum}). At the deadline a decision without feedback is {@link Resolution#TIMED_OUT} (and learns the
 * default reward, if there is one). A resolved decision leaves a <em>tombstone</em> for {@code
 * tombstoneMillis} after its deadline, so later feedback counts as {@link Resolution#LATE}, not unknown;
 * a timed-out decision with late learning on keeps its context until its late outcome is learned once.
 * Feedback after the deadline but before the deadline's timer fired is late too: event time decides.
 *
 * @param <P> the operator's record of a pending decision
 */
public final class FeedbackJoin<P> {
    /** How several feedback events for one decision count. */
    public enum Aggregation {
        FIRST, SUM;

        /** {@code first} or {@code sum}, as written in {@code loop.yaml}. */
        public static Aggregation parse(String name) {
            for (Aggregation a : values()) {
                if (a.name().equalsIgnoreCase(name)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("feedback aggregation '" + name + "' is unknown; use one of [first, sum]");
        }
    }

    /** How a decision's wait ended, or what a feedback event was to it. */
    public enum Resolution { JOINED, LATE, TIMED_OUT }

    /** The two kinds of timers a key keeps: a decision's deadline and its tombstone's expiry. */
    public enum Timer { DEADLINE, EXPIRY }

    /**
     * @param waitMillis      how long (event time) a decision waits for its feedback, in [1 ms, 7 days]
     * @param defaultReward   reward learned when the wait ends without feedback; null: such decisions teach nothing
     * @param learnLate       whether feedback after the wait still teaches, once
     * @param tombstoneMillis how long a resolved decision is remembered after its deadline
     * @param aggregation     first feedback joins at once, or every feedback in the window is summed
     * @param timerGridMillis deadlines and expiries are rounded up to this grid, so decisions share timers
     */
    public record Config(long waitMillis, Double defaultReward, boolean learnLate, long tombstoneMillis,
            Aggregation aggregation, long timerGridMillis) implements Serializable {
        public static final long DEFAULT_TIMER_GRID_MILLIS = 100;

        public Config {
            if (waitMillis < 1 || waitMillis > 7L * 24 * 3600 * 1000) {
                throw new IllegalArgumentException("reward wait " + waitMillis + " ms is outside [1 ms, 7 days]");
            }
            if (defaultReward != null && !Double.isFinite(defaultReward)) {
                throw new IllegalArgumentException("default reward must be a finite number or absent (drop), not " + defaultReward);
            }
            if (tombstoneMillis < 0) {
                throw new IllegalArgumentException("tombstone retention " + tombstoneMillis + " ms must not be negative");
            }
            if (aggregation == null) {
                throw new IllegalArgumentException("feedback aggregation is missing; use first or sum");
            }
            if (timerGridMillis < 1) {
                throw new IllegalArgumentException("timer grid " + timerGridMillis + " ms must be positive");
            }
        }
    }

    /** One key's pending decisions and its due lists, as the operator keeps them. */
    public interface Store<P> {
        P get(String id) throws Exception;

        void put(String id, P pending) throws Exception;

        void remove(String id) throws Exception;

        /** Adds {@code id} to what is due at {@code at}; the store sets a timer when {@code at} had nothing due yet. */
        void schedule(Timer timer, long at, String id) throws Exception;

        /** Removes and returns what was due at {@code at} (empty when nothing). */
        List<String> takeDue(Timer timer, long at) throws Exception;
    }

    /** How the operator's record of a pending decision reads and changes; records are values. */
    public interface Records<P> {
        long deadline(P pending);

        boolean resolved(P pending);

        /** Whether the record still holds what learning needs (a tombstone usually does not). */
        boolean hasContext(P pending);

        /** Event times of the feedback summed so far ({@code sum} aggregation). */
        List<Long> feedbackTimes(P pending);

        double rewardSum(P pending);

        P withFeedback(P pending, double reward, long at);

        P withoutContext(P pending);

        /** The record left once resolved; it keeps what learning needs only when {@code keepContext}. */
        P tombstone(P pending, boolean keepContext);
    }

    /** What a join step does outside the store. */
    public interface Effects<P> {
        /** Teach the policy (and the error memory) that the decision earned {@code reward}. */
        void learn(P pending, double reward, long at) throws Exception;

        /** Hand the joined example downstream (analysts, trainer). */
        void emit(P pending, double reward, Resolution resolution, long at) throws Exception;
    }

    /** What became of a feedback event. */
    public enum FeedbackVerdict {
        /** Learned and resolved ({@code first}). */
        JOINED,
        /** Added to the window's sum ({@code sum}), or a redelivery of one already summed. */
        SUMMED,
        /** After the deadline or for a resolved decision: counted, learned at most once. */
        LATE,
        /** No decision with that id (never made, or its tombstone expired). */
        UNKNOWN
    }

    private final Config config;
    private final Records<P> records;

    public FeedbackJoin(Config config, Records<P> records) {
        this.config = config;
        this.records = records;
    }

    public Config config() {
        return config;
    }

    /** Where a decision made at {@code decidedAt} stops waiting. */
    public long deadline(long decidedAt) {
        return Instants.ceilTo(Instants.plus(decidedAt, config.waitMillis()), config.timerGridMillis());
    }

    /** Whether a decision with this id is pending or remembered: its context event would be a duplicate. */
    public boolean known(Store<P> store, String id) throws Exception {
        return store.get(id) != null;
    }

    /** Starts waiting for {@code id}'s feedback; {@code pending}'s deadline is {@link #deadline} of its decision time. */
    public void open(Store<P> store, String id, P pending) throws Exception {
        store.put(id, pending);
        store.schedule(Timer.DEADLINE, records.deadline(pending), id);
    }

    /** One feedback event for decision {@code id}, stamped {@code at}, with {@code watermark} the key's event time now. */
    public FeedbackVerdict feedback(Store<P> store, Effects<P> effects, String id, double reward, long at,
            long watermark) throws Exception {
        P waiting = store.get(id);
        if (waiting == null) {
            return FeedbackVerdict.UNKNOWN;
        }
        boolean resolved = records.resolved(waiting);
        if (resolved || at > records.deadline(waiting)) {
            effects.emit(waiting, reward, Resolution.LATE, at);
            if (resolved && records.hasContext(waiting) && config.learnLate()) {
                // A timed-out decision learns its late outcome once; the tombstone then forgets the context,
                // so a redelivered copy of this feedback is counted but never learned twice.
                effects.learn(waiting, reward, at);
                store.put(id, records.withoutContext(waiting));
            }
            return FeedbackVerdict.LATE;
        }
        if (config.aggregation() == Aggregation.SUM) {
            // Summed feedback is learned when the window closes. A feedback event carries no id of its own, so
            // one with the event time of an event already summed is taken as its redelivery.
            if (!records.feedbackTimes(waiting).contains(at)) {
                store.put(id, records.withFeedback(waiting, reward, at));
            }
            return FeedbackVerdict.SUMMED;
        }
        effects.learn(waiting, reward, at);
        effects.emit(waiting, reward, Resolution.JOINED, at);
        resolve(store, id, waiting, watermark, false);
        return FeedbackVerdict.JOINED;
    }

    /** What the timers of one instant resolved. */
    public record Fired(int joined, int timedOut) {}

    /**
     * The timers of {@code at} fired: decisions whose deadline it is are joined (a sum) or time out, and
     * tombstones whose time is over are forgotten.
     */
    public Fired fire(Store<P> store, Effects<P> effects, long at) throws Exception {
        int joined = 0;
        int timedOut = 0;
        for (String id : store.takeDue(Timer.DEADLINE, at)) {
            P waiting = store.get(id);
            if (waiting == null || records.resolved(waiting)) {
                continue;
            }
            if (!records.feedbackTimes(waiting).isEmpty()) {
                double sum = records.rewardSum(waiting);
                effects.learn(waiting, sum, at);
                effects.emit(waiting, sum, Resolution.JOINED, at);
                resolve(store, id, waiting, at, false);
                joined++;
                continue;
            }
            timedOut++;
            if (config.defaultReward() != null) {
                effects.learn(waiting, config.defaultReward(), at);
                effects.emit(waiting, config.defaultReward(), Resolution.TIMED_OUT, at);
            }
            resolve(store, id, waiting, at, true);
        }
        for (String id : store.takeDue(Timer.EXPIRY, at)) {
            store.remove(id);
        }
        return new Fired(joined, timedOut);
    }

    private void resolve(Store<P> store, String id, P waiting, long now, boolean timedOut) throws Exception {
        // The context (the bulk of the state) stays only where a late outcome may still be learned: a timed-out
        // decision, with late learning on. A joined decision has learned its outcome already.
        store.put(id, records.tombstone(waiting, timedOut && config.learnLate()));
        long expiry = Instants.ceilTo(Instants.plus(Math.max(now, records.deadline(waiting)), config.tombstoneMillis()),
                config.timerGridMillis());
        store.schedule(Timer.EXPIRY, expiry, id);
    }
}
