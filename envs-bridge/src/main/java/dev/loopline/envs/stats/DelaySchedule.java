package dev.loopline.envs.stats;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Items due at a time (epoch ms), taken in due-time order. Pure and clock-free: the caller passes the
 * time. Not thread-safe.
 *
 * @param <T> the scheduled item
 */
public final class DelaySchedule<T> {
    private record Entry<T>(long dueAt, long delay, long sequence, T item) {}

    private final PriorityQueue<Entry<T>> queue = new PriorityQueue<>((a, b) -> a.dueAt != b.dueAt
            ? Long.compare(a.dueAt, b.dueAt) : Long.compare(a.sequence, b.sequence));
    private long sequence;

    /** Schedules {@code item}, decided at {@code nowMillis}, to be due {@code delayMillis} later. */
    public void add(long nowMillis, long delayMillis, T item) {
        queue.add(new Entry<>(nowMillis + delayMillis, delayMillis, sequence++, item));
    }

    /** Removes and returns every item due at or before {@code nowMillis}, earliest first. */
    public List<T> takeDue(long nowMillis) {
        List<T> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().dueAt <= nowMillis) {
            due.add(queue.poll().item);
        }
        return due;
    }

    /** Removes and returns every item whose delay exceeds {@code maxDelayMillis}. */
    public List<T> removeDelayedBeyond(long maxDelayMillis) {
        List<T> removed = new ArrayList<>();
        for (Iterator<Entry<T>> it = queue.iterator(); it.hasNext(); ) {
            Entry<T> e = it.next();
            if (e.delay > maxDelayMillis) {
                removed.add(e.item);
                it.remove();
            }
        }
        return removed;
    }

    /** Removes and returns everything. */
    public List<T> clear() {
        List<T> all = new ArrayList<>(queue.size());
        while (!queue.isEmpty()) {
            all.add(queue.poll().item);
        }
        return all;
    }

    /** Due time of the earliest item, or {@link Long#MAX_VALUE} when empty. */
    public long nextDueAt() {
        Entry<T> head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.dueAt;
    }

    public int size() {
        return queue.size();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
