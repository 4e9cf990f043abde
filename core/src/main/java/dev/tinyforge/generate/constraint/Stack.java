package dev.tinyforge.generate.constraint;

import java.util.Objects;

/**
 * An immutable stack of frames, shared between states that differ only at the top. Equality is by
 * value; the hash is computed once, since parse states are cache keys.
 */
final class Stack {
    final Frame top;
    final Stack below;
    /** Frames below this one; limits how deeply free-form values nest. */
    final int depth;
    private final int hash;

    Stack(Frame top, Stack below) {
        this.top = top;
        this.below = below;
        this.depth = below == null ? 0 : below.depth + 1;
        this.hash = 31 * top.hashCode() + (below == null ? 0 : below.hash);
    }

    Stack replace(Frame frame) {
        return new Stack(frame, below);
    }

    Stack push(Frame frame) {
        return new Stack(frame, this);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Stack s) || s.hash != hash) return false;
        return top.equals(s.top) && Objects.equals(below, s.below);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
