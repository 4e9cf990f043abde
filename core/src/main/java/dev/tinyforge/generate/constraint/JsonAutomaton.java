package dev.tinyforge.generate.constraint;

import dev.tinyforge.generate.constraint.Frame.ArrayBody;
import dev.tinyforge.generate.constraint.Frame.End;
import dev.tinyforge.generate.constraint.Frame.LiteralBody;
import dev.tinyforge.generate.constraint.Frame.NumberBody;
import dev.tinyforge.generate.constraint.Frame.ObjectBody;
import dev.tinyforge.generate.constraint.Frame.StringBody;
import dev.tinyforge.generate.constraint.Frame.ValueStart;
import java.util.List;

/**
 * A pushdown automaton over bytes that accepts exactly the JSON texts a compiled schema allows (and
 * writes only in the narrower forms listed below). Every state it reaches can still be completed, so a
 * generator that only ever takes allowed bytes cannot write itself into a corner.
 *
 * <p>Where JSON or the schema would allow more than is useful, the automaton allows less, never more:
 * <ul>
 *   <li>an object's keys follow the schema's order (listed properties as listed, optional ones
 *       skippable, then additional keys), as llama.cpp and OpenAI's structured outputs do; this also keeps
 *       a model from wandering among additional keys while a required one is missing;</li>
 *   <li>white space between tokens is nothing, one space, or a newline and at most {@code maxIndent}
 *       spaces or tabs (llama.cpp's JSON grammar makes the same choice), and none follows the value;</li>
 *   <li>keys are written without escapes, and no key is written twice;</li>
 *   <li>{@code \\u} escapes of surrogates are not written (characters beyond the BMP come as UTF-8);</li>
 *   <li>integers have no fraction or exponent; numbers have at most 16 integral and 16 fraction digits
 *       and two exponent digits (no exponent when bounded);</li>
 *   <li>enum and const values are written in compact JSON;</li>
 *   <li>free-form objects and arrays ({@code json_object}, schema {@code true}) nest at most
 *       {@code maxDepth} deep.</li>
 * </ul>
 * Thread-safe: it holds only the compiled schema and limits.
 */
final class JsonAutomaton {
    /** The pseudo-byte that ends the text; only a complete value accepts it. */
    static final int EOF = -1;
    static final int MAX_INTEGRAL_DIGITS = 16, MAX_FRACTION_DIGITS = 16, MAX_EXPONENT_DIGITS = 2;

    static final Schema.AnyValue ANY = SchemaCompiler.frozen(new Schema.AnyValue());
    private static final Schema.StringType ANY_STRING = SchemaCompiler.frozen(new Schema.StringType(0, Integer.MAX_VALUE));
    private static final Schema.NumberType ANY_NUMBER = SchemaCompiler.frozen(new Schema.NumberType(false, NumberBounds.NONE));
    private static final Schema.ObjectType ANY_OBJECT =
            SchemaCompiler.frozen(new Schema.ObjectType(List.of(), ANY, 0, Integer.MAX_VALUE));
    private static final Schema.ArrayType ANY_ARRAY =
            SchemaCompiler.frozen(new Schema.ArrayType(List.of(), ANY, 0, Integer.MAX_VALUE));
    private static final LiteralTrie TRUE_FALSE_NULL = SchemaCompiler.literalTrie("true", "false", "null");

    private final Schema root;
    /** Spaces or tabs allowed after a newline; negative for no white space at all. */
    private final int maxIndent;
    private final int maxDepth;

    JsonAutomaton(Schema root, int maxIndent, int maxDepth) {
        this.root = root;
        this.maxIndent = maxIndent;
        this.maxDepth = maxDepth;
    }

    ParseState start() {
        return new ParseState(new Stack[] {new Stack(new End(), null).push(new ValueStart(root, 0))});
    }

    /** The state after byte {@code b} (or {@link #EOF}), or null when {@code b} may not come next. */
    ParseState step(ParseState state, int b, ParseState.Successors out) {
        Stack[] stacks = state.stacks;
        out.clear();
        for (Stack s : stacks) step(s, b, out);
        if (out.size() == 0) return null;
        if (out.size() == 1 && stacks.length == 1 && out.get(0) == stacks[0]) return state;
        return new ParseState(out.toArray());
    }

    /** Whether the text so far is a complete value. */
    boolean complete(ParseState state, ParseState.Successors out) {
        return step(state, EOF, out) != null;
    }

    /** Whether the value is complete and nothing may follow it (not even another digit). */
    static boolean finished(ParseState state) {
        for (Stack s : state.stacks) if (!(s.top instanceof End)) return false;
        return true;
    }

    private void step(Stack s, int b, ParseState.Successors out) {
        switch (s.top) {
            case ValueStart v -> {
                if (isWhitespace(b)) {
                    int ws = whitespace(v.ws(), b);
                    if (ws != NO_WHITESPACE) out.add(s.replace(new ValueStart(v.schema(), ws)));
                } else if (b != EOF) {
                    begin(v.schema(), s.below, b, out);
                }
            }
            case ObjectBody o -> object(o, s, b, out);
            case ArrayBody a -> array(a, s, b, out);
            case StringBody t -> string(t, s, b, out);
            case NumberBody n -> number(n, s.below, s, b, out);
            case LiteralBody l -> literal(l, s.below, s, b, out);
            case End e -> {
                if (b == EOF) out.add(s);
            }
        }
    }

    /** A value of {@code schema} starts with byte {@code b} (not white space) on top of {@code below}. */
    private void begin(Schema schema, Stack below, int b, ParseState.Successors out) {
        if (!schema.satisfiable) return;
        switch (schema) {
            case Schema.Ref r -> begin(r.target, below, b, out);
            case Schema.AnyOf a -> {
                for (Schema option : a.usable) begin(option, below, b, out); // flattened: no anyOf or $ref among them
            }
            case Schema.AnyValue any -> {
                switch (b) {
                    case '{' -> {
                        if (below.depth < maxDepth) begin(ANY_OBJECT, below, b, out);
                    }
                    case '[' -> {
                        if (below.depth < maxDepth) begin(ANY_ARRAY, below, b, out);
                    }
                    case '"' -> begin(ANY_STRING, below, b, out);
                    case 't', 'f', 'n' -> literal(new LiteralBody(TRUE_FALSE_NULL, 0), below, null, b, out);
                    default -> begin(ANY_NUMBER, below, b, out);
                }
            }
            case Schema.ObjectType o -> {
                if (b == '{') out.add(below.push(ObjectBody.open(o)));
            }
            case Schema.ArrayType a -> {
                if (b == '[') out.add(below.push(new ArrayBody(a, true, 0, 0)));
            }
            case Schema.StringType t -> {
                if (b == '"') out.add(below.push(new StringBody(t, 0, 0, 0)));
            }
            case Schema.NumberType n -> number(new NumberBody(n, NumberBody.START, 0, false, 0, 0), below, null, b, out);
            case Schema.Literals l -> literal(new LiteralBody(l.values, 0), below, null, b, out);
            case Schema.Never never -> {}
        }
    }

    // ---- objects ----

    /** The listed properties at or after {@code next}, as bits. */
    private static long from(ObjectBody o) {
        return o.next() >= 64 ? 0 : -1L << o.next();
    }

    /**
     * The listed properties the next key may name. Keys follow the listed order: any property from
     * {@code next} up to the first required one not yet written (optional ones may be skipped, required
     * ones not); only that required one once the rest would not fit {@code maxProperties}; and none
     * whose choice would leave too few properties to reach {@code minProperties}.
     */
    private static long usableKeys(ObjectBody o) {
        Schema.ObjectType t = o.type();
        long from = from(o);
        long requiredLeft = t.requiredMask & from;
        long upToRequired = requiredLeft == 0 ? -1L : (Long.lowestOneBit(requiredLeft) << 1) - 1;
        long keys = t.usableMask & from & upToRequired;
        if (o.count() + Long.bitCount(requiredLeft) >= t.maxProperties) keys &= requiredLeft;
        if (t.additional == null && o.count() + 1 < t.minProperties) {
            for (long rest = keys; rest != 0; rest &= rest - 1) {
                int i = Long.numberOfTrailingZeros(rest);
                long after = i == 63 ? 0 : t.usableMask & (-1L << (i + 1));
                if (o.count() + 1 + Long.bitCount(after) < t.minProperties) keys &= ~(1L << i);
            }
        }
        return keys;
    }

    /** Additional keys come after every required property, while there is room. */
    static boolean additionalAllowed(ObjectBody o) {
        Schema.ObjectType t = o.type();
        return t.additional != null && (t.requiredMask & from(o)) == 0 && o.count() < t.maxProperties;
    }

    private static boolean canAddKey(ObjectBody o) {
        return usableKeys(o) != 0 || additionalAllowed(o);
    }

    private static boolean canClose(ObjectBody o) {
        return (o.type().requiredMask & from(o)) == 0 && o.count() >= o.type().minProperties;
    }

    private void object(ObjectBody o, Stack s, int b, ParseState.Successors out) {
        if (o.phase() != ObjectBody.KEY && isWhitespace(b)) {
            int ws = whitespace(o.ws(), b);
            if (ws != NO_WHITESPACE) out.add(s.replace(o.withWhitespace(ws)));
            return;
        }
        switch (o.phase()) {
            case ObjectBody.OPEN -> {
                if (b == '"' && canAddKey(o)) out.add(s.replace(typingKey(o)));
                else if (b == '}' && canClose(o)) out.add(s.below);
            }
            case ObjectBody.BEFORE_KEY -> {
                if (b == '"') out.add(s.replace(typingKey(o)));
            }
            case ObjectBody.KEY -> key(o, s, b, out);
            case ObjectBody.AFTER_KEY -> {
                if (b == ':') {
                    Schema value = o.current() >= 0 ? o.type().properties.get(o.current()).schema() : o.type().additional;
                    out.add(s.replace(o.at(ObjectBody.AFTER_VALUE)).push(new ValueStart(value, 0)));
                }
            }
            case ObjectBody.AFTER_VALUE -> {
                if (b == ',' && canAddKey(o)) out.add(s.replace(o.at(ObjectBody.BEFORE_KEY)));
                else if (b == '}' && canClose(o)) out.add(s.below);
            }
            default -> throw new IllegalStateException("object phase " + o.phase());
        }
    }

    private static ObjectBody typingKey(ObjectBody o) {
        long hash = additionalAllowed(o) ? KeyHashes.EMPTY : 0;
        return new ObjectBody(o.type(), ObjectBody.KEY, o.next(), o.count(), 0, 0, 0, -1, hash, o.used());
    }

    /**
     * Inside a key. The bytes follow the trie of listed names while they can; a key that is not a listed
     * name is an additional property (after which no listed one may come). A listed name that may not be
     * written here never becomes an additional key, and an additional key is never written twice.
     */
    private static void key(ObjectBody o, Stack s, int b, ParseState.Successors out) {
        Schema.ObjectType t = o.type();
        int node = o.key();
        if (b == '"' && o.utf8() == 0) {
            int property = node >= 0 ? t.names.value(node) : -1;
            if (property >= 0) {
                if ((usableKeys(o) & 1L << property) != 0) {
                    out.add(s.replace(new ObjectBody(t, ObjectBody.AFTER_KEY, property + 1, o.count() + 1, 0, 0, 0,
                            property, 0, o.used())));
                }
            } else if (additionalAllowed(o) && !o.used().contains(o.keyHash())) {
                out.add(s.replace(new ObjectBody(t, ObjectBody.AFTER_KEY, 64, o.count() + 1, 0, 0, 0, -1, 0,
                        o.used().with(o.keyHash()))));
            }
            return;
        }
        if (b == EOF || b == '"' || b == '\\' || b < 0x20) return;
        int utf8 = Utf8Dfa.next(o.utf8(), b);
        if (utf8 < 0) return;
        int child = node >= 0 ? t.names.child(node, b) : -1;
        boolean additional = additionalAllowed(o);
        if (!additional && (child < 0 || (t.names.below(child) & usableKeys(o)) == 0)) return;
        long hash = additional ? KeyHashes.extend(o.keyHash(), b) : 0;
        out.add(s.replace(new ObjectBody(t, ObjectBody.KEY, o.next(), o.count(), 0, child, utf8, -1, hash, o.used())));
    }

    // ---- arrays ----

    private void array(ArrayBody a, Stack s, int b, ParseState.Successors out) {
        if (isWhitespace(b)) {
            int ws = whitespace(a.ws(), b);
            if (ws != NO_WHITESPACE) out.add(s.replace(new ArrayBody(a.type(), a.open(), a.count(), ws)));
            return;
        }
        Schema.ArrayType t = a.type();
        boolean canAdd = a.count() < t.maxItems && t.item(a.count()) != null;
        if (b == ']') {
            if (a.count() >= t.minItems) out.add(s.below);
        } else if (a.open()) {
            if (canAdd && b != EOF) begin(t.item(0), s.replace(new ArrayBody(t, false, 1, 0)), b, out);
        } else if (b == ',' && canAdd) {
            out.add(s.replace(new ArrayBody(t, false, a.count() + 1, 0)).push(new ValueStart(t.item(a.count()), 0)));
        }
    }

    // ---- strings ----

    private static void string(StringBody f, Stack s, int b, ParseState.Successors out) {
        Schema.StringType t = f.type();
        if (b == EOF) return;
        int length = f.length(), utf8 = f.utf8(), escape = f.escape();
        if (escape == 1) {
            if (b == 'u') {
                escape = 2;
            } else if (b == '"' || b == '\\' || b == '/' || b == 'b' || b == 'f' || b == 'n' || b == 'r' || b == 't') {
                escape = 0;
            } else {
                return;
            }
        } else if (escape >= 2) {
            // \\uD800-\\uDFFF are left out: a lone surrogate is not a character, and pairs are not needed.
            if (Character.digit(b, 16) < 0 || (escape == 2 && (b == 'd' || b == 'D'))) return;
            escape = escape == 5 ? 0 : escape + 1;
        } else if (utf8 != 0) {
            utf8 = Utf8Dfa.next(utf8, b);
            if (utf8 < 0) return;
        } else if (b == '"') {
            if (length >= t.minLength) out.add(s.below);
            return;
        } else {
            if (b < 0x20 || length >= t.maxLength) return;
            if (b == '\\') {
                escape = 1;
            } else {
                utf8 = Utf8Dfa.next(0, b);
                if (utf8 < 0) return;
            }
            // A character starts here. Counting stops where it no longer matters, so states repeat.
            if (t.maxLength != Integer.MAX_VALUE) length++;
            else if (length < t.minLength) length++;
        }
        if (length == f.length() && utf8 == f.utf8() && escape == f.escape()) {
            out.add(s);
        } else {
            out.add(s.replace(new StringBody(t, length, utf8, escape)));
        }
    }

    // ---- numbers ----

    /** @param self the stack with {@code n} on top, or null when the number starts with {@code b} */
    private void number(NumberBody n, Stack below, Stack self, int b, ParseState.Successors out) {
        boolean bounded = !n.type().bounds.isNone();
        NumberBody next = NumberSyntax.next(n, b, bounded);
        if (next != null) {
            if (!bounded || NumberSyntax.canFinish(next)) out.add(self == null ? below.push(next) : self.replace(next));
            return;
        }
        // Not part of the number: the number ends before b, which belongs to what follows.
        if (n.complete() && (!bounded || n.type().bounds.contains(NumberSyntax.value(n)))) step(below, b, out);
    }

    // ---- literals ----

    /** @param self the stack with {@code l} on top, or null when the literal starts with {@code b} */
    private void literal(LiteralBody l, Stack below, Stack self, int b, ParseState.Successors out) {
        LiteralTrie trie = l.trie();
        int child = b == EOF ? -1 : trie.child(l.node(), b);
        if (child >= 0) {
            if (trie.value(child) >= 0 && !trie.hasChildren(child)) {
                out.add(below); // the whole literal is written
            } else {
                LiteralBody next = new LiteralBody(trie, child);
                out.add(self == null ? below.push(next) : self.replace(next));
            }
        } else if (self != null && trie.value(l.node()) >= 0) {
            step(below, b, out); // a literal that could go on (1 of 1 and 12) ended before b
        }
    }

    private static final int NO_WHITESPACE = Integer.MIN_VALUE, AFTER_SPACE = -1;

    /**
     * The white-space state after byte {@code b} (a white-space byte) in state {@code ws}: 0 before any,
     * {@link #AFTER_SPACE} after a single space, 1 + n after a newline and n spaces or tabs; or
     * {@link #NO_WHITESPACE} when {@code b} may not come.
     */
    private int whitespace(int ws, int b) {
        if (maxIndent < 0) return NO_WHITESPACE;
        if (ws == 0) return b == ' ' ? AFTER_SPACE : b == '\n' ? 1 : NO_WHITESPACE;
        if (ws > 0 && (b == ' ' || b == '\t') && ws <= maxIndent) return ws + 1;
        return NO_WHITESPACE;
    }

    static boolean isWhitespace(int b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }
}
