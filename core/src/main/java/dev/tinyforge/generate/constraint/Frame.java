package dev.tinyforge.generate.constraint;

/**
 * One level of the JSON automaton's stack: where it is inside one value. Frames are small immutable
 * records, so a parse state can be copied by reference and compared by value (masks are cached per
 * state). Counters that cannot change what may follow are kept at zero, so that states which accept the
 * same continuations are equal.
 */
sealed interface Frame {
    /**
     * Before a value: white space so far, then a value of {@code schema}. Frames that allow white space
     * keep its state in {@code ws} (0 none yet; see {@code JsonAutomaton.whitespace}).
     */
    record ValueStart(Schema schema, int ws) implements Frame {}

    /**
     * Inside an object.
     *
     * @param phase   {@link #OPEN} after the brace, {@link #BEFORE_KEY} after a comma, {@link #KEY} inside a
     *                key, {@link #AFTER_KEY} before the colon, {@link #AFTER_VALUE} after a member
     * @param next    the first listed property that may still be written (keys follow the listed order)
     * @param count   members written so far (a key counts once it is closed)
     * @param key     inside a key: the node of {@code type.names} its bytes so far lead to, -1 when none
     * @param utf8    inside a key: the {@link Utf8Dfa} state
     * @param current after a key: the property it names, -1 for an additional one
     * @param keyHash inside a key that may be an additional one: the {@link KeyHashes} hash of its bytes so far
     * @param used    the additional keys written so far
     */
    record ObjectBody(Schema.ObjectType type, int phase, int next, int count, int ws, int key, int utf8, int current,
                      long keyHash, KeyHashes used) implements Frame {
        static final int OPEN = 0, BEFORE_KEY = 1, KEY = 2, AFTER_KEY = 3, AFTER_VALUE = 4;

        static ObjectBody open(Schema.ObjectType type) {
            return new ObjectBody(type, OPEN, 0, 0, 0, 0, 0, -1, 0, KeyHashes.NONE);
        }

        ObjectBody at(int newPhase) {
            return new ObjectBody(type, newPhase, next, count, 0, 0, 0, -1, 0, used);
        }

        ObjectBody withWhitespace(int newWs) {
            return new ObjectBody(type, phase, next, count, newWs, key, utf8, current, keyHash, used);
        }
    }

    /** Inside an array, after {@code [} ({@code open}) or after {@code count} items. */
    record ArrayBody(Schema.ArrayType type, boolean open, int count, int ws) implements Frame {}

    /**
     * Inside a string.
     *
     * @param length characters so far, counted only as far as the bounds need (0 when unbounded)
     * @param utf8   the {@link Utf8Dfa} state
     * @param escape 0 none, 1 after a backslash, 2..5 before hex digit 1..4 of a {@code \\u} escape
     */
    record StringBody(Schema.StringType type, int length, int utf8, int escape) implements Frame {}

    /**
     * Inside a number. The value so far ({@code negative}, {@code integral}, {@code fraction} over
     * {@code digits} fraction digits) is kept only when the number has bounds.
     *
     * @param digits digits of the current part (integral, fraction or exponent)
     */
    record NumberBody(Schema.NumberType type, int phase, int digits, boolean negative, long integral, long fraction)
            implements Frame {
        static final int START = 0, MINUS = 1, ZERO = 2, INTEGRAL = 3, DOT = 4, FRACTION = 5, EXPONENT = 6,
                EXPONENT_SIGN = 7, EXPONENT_DIGITS = 8;

        /** Whether the number may end here. */
        boolean complete() {
            return phase == ZERO || phase == INTEGRAL || phase == FRACTION || phase == EXPONENT_DIGITS;
        }
    }

    /** Partway through one of a set of literal spellings. */
    record LiteralBody(LiteralTrie trie, int node) implements Frame {}

    /** Below the top-level value: once exposed, the text is complete and nothing may follow. */
    record End() implements Frame {}
}
