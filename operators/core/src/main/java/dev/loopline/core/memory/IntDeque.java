package dev.loopline.core.memory;

import java.util.Arrays;

/** A growable ring of ints: one LSH bucket, holding entry slots oldest first. */
final class IntDeque {
    private int[] items;
    private int head;
    private int size;

    IntDeque() {
        items = new int[4];
    }

    IntDeque(IntDeque o) {
        items = o.items.clone();
        head = o.head;
        size = o.size;
    }

    int size() {
        return size;
    }

    /** The i-th item, oldest first. */
    int get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    int first() {
        return items[head];
    }

    void addLast(int value) {
        if (size == items.length) {
            int[] grown = new int[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = get(i);
            }
            items = grown;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    int removeFirst() {
        int v = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    @Override
    public String toString() {
        int[] v = new int[size];
        for (int i = 0; i < size; i++) {
            v[i] = get(i);
        }
        return Arrays.toString(v);
    }
}
