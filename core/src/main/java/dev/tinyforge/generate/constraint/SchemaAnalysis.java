package dev.tinyforge.generate.constraint;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The passes over a compiled schema graph: which nodes some finite value satisfies (the least
 * fixpoint, so that recursion which never ends counts as unsatisfiable), the fields derived from that
 * (usable properties, the real item limit, anyOf options flattened), and whether oneOf's options can be
 * told apart by their first byte (only then does "any option" mean "exactly one").
 */
final class SchemaAnalysis {
    private SchemaAnalysis() {}

    static void solve(List<Schema> nodes) {
        for (boolean changed = true; changed; ) {
            changed = false;
            for (Schema s : nodes) {
                if (!s.satisfiable && satisfiable(s)) {
                    s.satisfiable = true;
                    changed = true;
                }
            }
        }
    }

    private static boolean satisfiable(Schema schema) {
        return switch (schema) {
            case Schema.AnyValue a -> true;
            case Schema.Never n -> false;
            case Schema.StringType t -> t.minLength <= t.maxLength;
            case Schema.NumberType t -> {
                // Some number the automaton can write: up to 16 integral digits, on the grid of its fraction digits.
                int scale = t.integer ? 0 : JsonAutomaton.MAX_FRACTION_DIGITS;
                BigDecimal largest = BigDecimal.TEN.pow(JsonAutomaton.MAX_INTEGRAL_DIGITS).subtract(BigDecimal.ONE.movePointLeft(scale));
                yield t.bounds.isNone() || t.bounds.meets(largest.negate(), largest, scale);
            }
            case Schema.Literals l -> l.values.size() > 0;
            case Schema.AnyOf a -> a.options.stream().anyMatch(o -> o.satisfiable);
            case Schema.Ref r -> r.target.satisfiable;
            case Schema.ObjectType o -> {
                int usable = 0;
                boolean requiredOk = true;
                for (Schema.Property p : o.properties) {
                    if (p.schema().satisfiable) usable++;
                    else if (p.required()) requiredOk = false;
                }
                boolean unbounded = o.additional != null && o.additional.satisfiable;
                yield requiredOk && Long.bitCount(o.requiredMask) <= o.maxProperties && o.minProperties <= o.maxProperties
                        && (unbounded || usable >= o.minProperties);
            }
            case Schema.ArrayType a -> {
                if (a.minItems > a.maxItems) yield false;
                for (int i = 0; i < a.minItems; i++) {
                    Schema item = a.item(i);
                    if (item == null || !item.satisfiable) yield false;
                    if (i >= a.prefix.size()) break; // the rest are all 'items'
                }
                yield true;
            }
        };
    }

    static void freeze(List<Schema> nodes) {
        for (Schema s : nodes) {
            switch (s) {
                case Schema.ObjectType o -> {
                    long usable = 0;
                    for (Schema.Property p : o.properties) if (p.schema().satisfiable) usable |= 1L << p.index();
                    o.usableMask = usable;
                    if (o.additional != null && !o.additional.satisfiable) o.additional = null;
                }
                case Schema.ArrayType a -> {
                    int max = a.maxItems;
                    for (int i = 0; i < Math.min(max, a.prefix.size() + 1); i++) {
                        Schema item = a.item(i);
                        if (item == null || !item.satisfiable) {
                            max = i;
                            break;
                        }
                    }
                    a.maxItems = max;
                }
                case Schema.AnyOf a -> {
                    Set<Schema> options = new LinkedHashSet<>();
                    flatten(a, options, new HashSet<>());
                    a.usable = List.copyOf(options);
                }
                default -> {}
            }
        }
    }

    /**
     * The satisfiable schemas an anyOf may begin as, through nested anyOfs and $refs, so that starting a
     * value never recurses: {@code {"anyOf": [{"$ref": "#"}, {"type": "null"}]}} refers to itself.
     */
    private static void flatten(Schema schema, Set<Schema> options, Set<Schema> visiting) {
        if (!schema.satisfiable || !visiting.add(schema)) return;
        switch (schema) {
            case Schema.AnyOf a -> a.options.forEach(o -> flatten(o, options, visiting));
            case Schema.Ref r -> flatten(r.target, options, visiting);
            default -> options.add(schema);
        }
    }

    /** A byte two usable options of {@code oneOf} may both begin with, or null when there is none. */
    static String sharedFirstByte(Schema.AnyOf oneOf) {
        boolean[] taken = new boolean[256];
        for (Schema option : oneOf.usable) {
            boolean[] first = new boolean[256];
            firstBytes(option, first, new HashSet<>());
            for (int b = 0; b < 256; b++) {
                if (first[b] && taken[b]) return String.valueOf((char) b);
                taken[b] |= first[b];
            }
        }
        return null;
    }

    private static void firstBytes(Schema schema, boolean[] first, Set<Schema> visiting) {
        if (!schema.satisfiable || !visiting.add(schema)) return;
        switch (schema) {
            case Schema.AnyValue a -> {
                for (char c : "{[\"-0123456789tfn".toCharArray()) first[c] = true;
            }
            case Schema.ObjectType o -> first['{'] = true;
            case Schema.ArrayType a -> first['['] = true;
            case Schema.StringType t -> first['"'] = true;
            case Schema.NumberType t -> {
                for (char c : "-0123456789".toCharArray()) first[c] = true;
            }
            case Schema.Literals l -> {
                boolean[] f = l.values.firstBytes();
                for (int b = 0; b < 256; b++) first[b] |= f[b];
            }
            case Schema.AnyOf a -> a.usable.forEach(o -> firstBytes(o, first, visiting));
            case Schema.Ref r -> firstBytes(r.target, first, visiting);
            case Schema.Never n -> {}
        }
    }
}
