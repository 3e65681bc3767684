package dev.loopline.envs.kafka;

import dev.loopline.schemas.ContextEvent;

/**
 * A sent context event waiting for (or having had) its decision. Pairs the context append time from
 * the send acknowledgement with the decision's append time, whichever arrives first. Thread-safe.
 */
final class Tracked {
    /** The first decision for an event: the event, and the latency when already known (else -1). */
    record First(ContextEvent event, long latencyMillis) {}

    private ContextEvent event;
    private long contextAppendTime = -1;
    private long decisionAppendTime = -1;
    private boolean decided;

    Tracked(ContextEvent event) {
        this.event = event;
    }

    /**
     * Records the context append time; returns the latency when the decision was already seen
     * without it, else -1.
     */
    synchronized long contextAppended(long appendTime) {
        contextAppendTime = appendTime;
        return decisionAppendTime >= 0 ? Math.max(0, decisionAppendTime - appendTime) : -1;
    }

    /** Marks the event decided; null when it already was (a duplicate decision). */
    synchronized First decide(long decisionAppendTime) {
        if (decided) {
            return null;
        }
        decided = true;
        ContextEvent e = event;
        event = null;
        if (contextAppendTime >= 0) {
            return new First(e, Math.max(0, decisionAppendTime - contextAppendTime));
        }
        this.decisionAppendTime = decisionAppendTime;
        return new First(e, -1);
    }

    /** Marks a never-sent event as settled; false when a decision already settled it. */
    synchronized boolean abandon() {
        if (decided) {
            return false;
        }
        decided = true;
        event = null;
        return true;
    }
}
