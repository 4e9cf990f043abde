package dev.tinyforge.tokenizer;

import java.util.Arrays;

/**
 * A binary min-heap of primitive longs. BPE packs (merge rank, position) into one long so that the
 * natural order is "lowest rank first, then leftmost", exactly HF's merge priority, with no objects.
 */
final class LongMinHeap {
    private long[] heap;
    private int size;

    LongMinHeap(int capacity) {
        heap = new long[Math.max(8, capacity)];
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    void push(long value) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long p = heap[parent];
            if (p <= value) break;
            heap[i] = p;
            i = parent;
        }
        heap[i] = value;
    }

    long pop() {
        long top = heap[0];
        long last = heap[--size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            long c = heap[child];
            int right = child + 1;
            if (right < size && heap[right] < c) c = heap[child = right];
            if (last <= c) break;
            heap[i] = c;
            i = child;
        }
        if (size > 0) heap[i] = last;
        return top;
    }
}
