package dev.tinyforge.generate.constraint;

import java.util.Arrays;

/**
 * Where the automaton is after some bytes: the stacks of every reading still possible. There is one
 * stack unless {@code anyOf} left more than one option open. Immutable; equal states allow the same
 * continuations, which is what the mask cache relies on.
 */
final class ParseState {
    final Stack[] stacks;
    private final int hash;

    ParseState(Stack[] stacks) {
        this.stacks = stacks;
        this.hash = Arrays.hashCode(stacks);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof ParseState p && p.hash == hash && Arrays.equals(p.stacks, stacks));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * Collects the stacks one step produces; reused from step to step to avoid garbage. Not thread-safe.
     * Beyond {@link #MAX_STACKS} readings (anyOfs of look-alike options nested in each other) the rest are
     * dropped: each kept reading can still be completed, so this narrows what may be written but never
     * lets through a text no reading accepts, and a hostile schema cannot make a step cost without bound.
     */
    static final class Successors {
        static final int MAX_STACKS = 64;

        private Stack[] items = new Stack[4];
        private int size;

        void clear() {
            size = 0;
        }

        void add(Stack s) {
            if (size == MAX_STACKS) return;
            for (int i = 0; i < size; i++) if (items[i].equals(s)) return;
            if (size == items.length) items = Arrays.copyOf(items, size * 2);
            items[size++] = s;
        }

        int size() {
            return size;
        }

        Stack get(int i) {
            return items[i];
        }

        Stack[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
