package dev.tinyforge.generate.constraint;

import java.util.List;

/**
 * A JSON Schema compiled to what {@link JsonAutomaton} needs: one node per kind of value. Nodes compare
 * by identity (parse states that hold them hash quickly) and form a graph, cyclic where {@code $ref}
 * recurses. {@link SchemaCompiler} builds them, then sets {@link #satisfiable} and the derived fields once;
 * after that they never change, so a compiled grammar is safe to share between threads.
 */
abstract sealed class Schema {
    /** Whether some finite JSON value matches; parts that cannot be satisfied are never started. */
    boolean satisfiable;

    /** Any JSON value. Its objects and arrays nest at most the automaton's depth limit. */
    static final class AnyValue extends Schema {}

    /** No value at all: the schema {@code false}. */
    static final class Never extends Schema {}

    /** A property of an object; {@code index} is its bit in the object's masks. */
    record Property(String name, int index, Schema schema, boolean required) {}

    /**
     * An object. Keys come in any order, each at most once; a key that is not a listed property is
     * allowed only with an {@code additional} schema.
     */
    static final class ObjectType extends Schema {
        final List<Property> properties;
        /** The schema of keys not listed, or null when they are not allowed. */
        Schema additional;
        final int minProperties;
        final int maxProperties;
        /** The property names, UTF-8, as written between the quotes. */
        final LiteralTrie names;
        final long requiredMask;
        /** Set when frozen: the properties whose schema is satisfiable. */
        long usableMask;

        ObjectType(List<Property> properties, Schema additional, int minProperties, int maxProperties) {
            this.properties = List.copyOf(properties);
            this.additional = additional;
            this.minProperties = minProperties;
            this.maxProperties = maxProperties;
            this.names = LiteralTrie.of(this.properties.stream().map(p -> SchemaCompiler.utf8(p.name())).toList());
            long required = 0;
            for (Property p : this.properties) if (p.required()) required |= 1L << p.index();
            this.requiredMask = required;
        }
    }

    /** An array: item i follows {@code prefix[i]}, later items follow {@code items} (none when null). */
    static final class ArrayType extends Schema {
        final List<Schema> prefix;
        final Schema items;
        final int minItems;
        /** Set when frozen: the declared maximum, lowered to the first position whose schema cannot be satisfied. */
        int maxItems;

        ArrayType(List<Schema> prefix, Schema items, int minItems, int maxItems) {
            this.prefix = List.copyOf(prefix);
            this.items = items;
            this.minItems = minItems;
            this.maxItems = maxItems;
        }

        /** The schema of item {@code index}, or null when there may be no such item. */
        Schema item(int index) {
            return index < prefix.size() ? prefix.get(index) : items;
        }
    }

    /** A string of {@code minLength..maxLength} characters (code points), escapes counting as one. */
    static final class StringType extends Schema {
        final int minLength;
        final int maxLength;

        StringType(int minLength, int maxLength) {
            this.minLength = minLength;
            this.maxLength = maxLength;
        }

        boolean countsLength() {
            return minLength > 0 || maxLength != Integer.MAX_VALUE;
        }
    }

    /** A number, or an integer (no fraction, no exponent), optionally within bounds. */
    static final class NumberType extends Schema {
        final boolean integer;
        final NumberBounds bounds;

        NumberType(boolean integer, NumberBounds bounds) {
            this.integer = integer;
            this.bounds = bounds;
        }
    }

    /** One of a fixed set of values ({@code enum}, {@code const}, booleans, null), spelled compactly. */
    static final class Literals extends Schema {
        final LiteralTrie values;

        Literals(LiteralTrie values) {
            this.values = values;
        }
    }

    /** Any of several schemas; the automaton follows every option that fits what has been written. */
    static final class AnyOf extends Schema {
        final List<Schema> options;
        /** Set when frozen: the satisfiable options. */
        List<Schema> usable = List.of();

        AnyOf(List<Schema> options) {
            this.options = List.copyOf(options);
        }
    }

    /** A {@code $ref}; the target is set once the whole document is compiled (it may be an ancestor). */
    static final class Ref extends Schema {
        final String pointer;
        Schema target;

        Ref(String pointer) {
            this.pointer = pointer;
        }
    }
}
