package dev.tinyforge.generate.constraint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random nested JSON schemas from a seed, over every keyword the grammar supports: objects (required,
 * additional properties of each kind, property counts, names that are prefixes of one another), arrays
 * (item counts, tuples), strings (lengths), numbers and integers (bounds), booleans, null, enums and
 * consts of any JSON, anyOf, type lists, oneOf, allOf of one, and recursive {@code $ref}s.
 */
final class RandomSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] NAMES = {"a", "ab", "abc", "name", "names", "id", "é", "日本", "value", "x y", "", "items",
            "kind", "😀", "n1", "n2"};
    private static final String[] WORDS = {"red", "green", "blue", "re", "", "say \"hi\"", "tab\there", "é", "日本語", "😀",
            "back\\slash", "a/b", "new\nline"};

    private final SplittableRandom random;
    /** Whether free-form parts (strings without maxLength, schema true) may appear; they make long outputs on a random model. */
    private final boolean openEnded;
    /** Whether additional keys may appear (they are strings without bounds: a random model writes long ones). */
    private final boolean additionalKeys;

    RandomSchemas(long seed, boolean openEnded, boolean additionalKeys) {
        this.random = new SplittableRandom(seed);
        this.openEnded = openEnded;
        this.additionalKeys = additionalKeys;
    }

    ObjectNode next() {
        int kind = random.nextInt(20);
        if (kind < 2) return recursive();
        if (kind < 14) return object(2);
        if (kind < 17) return array(2);
        JsonNode schema = schema(3);
        if (schema.isObject()) return (ObjectNode) schema;
        return F.objectNode().set("anyOf", F.arrayNode().add(schema));
    }

    /** A linked list or tree through $defs, with the recursion optional. */
    private ObjectNode recursive() {
        ObjectNode node = F.objectNode().put("type", "object");
        ObjectNode props = node.putObject("properties");
        props.set("value", schema(1));
        if (random.nextBoolean()) {
            props.putObject("next").put("$ref", "#/$defs/node");
        } else {
            props.putObject("children").put("type", "array").put("maxItems", 2).putObject("items").put("$ref", "#/$defs/node");
        }
        node.putArray("required").add("value");
        ObjectNode root = F.objectNode();
        root.putObject("$defs").set("node", node);
        root.put("$ref", "#/$defs/node");
        return root;
    }

    JsonNode schema(int depth) {
        int kind = random.nextInt(depth <= 0 ? 8 : 14);
        return switch (kind) {
            case 0, 1 -> string();
            case 2 -> number(true);
            case 3 -> number(false);
            case 4 -> F.objectNode().put("type", random.nextBoolean() ? "boolean" : "null");
            case 5 -> enumeration();
            case 6 -> F.objectNode().set("const", value(1));
            case 7 -> {
                ObjectNode nullable = random.nextBoolean() ? string() : number(true);
                nullable.set("type", F.arrayNode().add(nullable.get("type").textValue()).add("null"));
                yield nullable;
            }
            case 8, 9, 10 -> object(depth - 1);
            case 11 -> array(depth - 1);
            case 12 -> {
                ObjectNode anyOf = F.objectNode();
                ArrayNode options = anyOf.putArray("anyOf");
                for (int i = 0, n = 2 + random.nextInt(2); i < n; i++) options.add(schema(depth - 1));
                yield anyOf;
            }
            default -> {
                int which = random.nextInt(3);
                if (which == 0) yield F.objectNode().put("description", "wrapped").set("allOf", F.arrayNode().add(schema(depth - 1)));
                if (which == 1) {
                    ObjectNode oneOf = F.objectNode();
                    oneOf.putArray("oneOf").add(string()).add(number(random.nextBoolean())).add(F.objectNode().put("type", "null"));
                    yield oneOf;
                }
                yield openEnded ? F.objectNode() : string();
            }
        };
    }

    private ObjectNode string() {
        ObjectNode s = F.objectNode().put("type", "string");
        int max = random.nextInt(12);
        if (!openEnded || random.nextInt(4) > 0) s.put("maxLength", max);
        if (random.nextInt(3) == 0) s.put("minLength", random.nextInt(max + 1));
        return s;
    }

    private ObjectNode number(boolean integer) {
        ObjectNode n = F.objectNode().put("type", integer ? "integer" : "number");
        if (random.nextBoolean()) {
            BigDecimal low = BigDecimal.valueOf(random.nextInt(-100, 100), integer ? 0 : random.nextInt(3));
            BigDecimal high = low.add(BigDecimal.valueOf(random.nextInt(1, 300), integer ? 0 : random.nextInt(3)));
            switch (random.nextInt(4)) {
                case 0 -> n.put("minimum", low);
                case 1 -> n.put("exclusiveMaximum", high);
                case 2 -> n.put("minimum", low).put("maximum", high);
                default -> n.put("exclusiveMinimum", low).put("exclusiveMaximum", high);
            }
        }
        return n;
    }

    private ObjectNode enumeration() {
        ObjectNode e = F.objectNode();
        ArrayNode values = e.putArray("enum");
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) values.add(value(1));
        if (random.nextInt(4) == 0) e.put("type", "string");
        // A type that leaves no value is possible; such a schema is skipped by the caller as unsatisfiable.
        return e;
    }

    private JsonNode value(int depth) {
        return switch (random.nextInt(depth <= 0 ? 6 : 8)) {
            case 0, 1 -> F.textNode(WORDS[random.nextInt(WORDS.length)]);
            case 2 -> F.numberNode(random.nextInt(-20, 200));
            case 3 -> F.numberNode(BigDecimal.valueOf(random.nextInt(-2000, 2000), 2));
            case 4 -> F.booleanNode(random.nextBoolean());
            case 5 -> F.nullNode();
            case 6 -> F.arrayNode().add(value(depth - 1)).add(value(depth - 1));
            default -> F.objectNode().set(NAMES[random.nextInt(NAMES.length)], value(depth - 1));
        };
    }

    private ObjectNode object(int depth) {
        ObjectNode o = F.objectNode().put("type", "object");
        ObjectNode props = o.putObject("properties");
        List<String> names = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            if (!props.has(name)) {
                props.set(name, schema(depth));
                names.add(name);
            }
        }
        ArrayNode required = F.arrayNode();
        for (String name : names) if (random.nextInt(4) > 0) required.add(name);
        if (!required.isEmpty()) o.set("required", required);
        switch (!additionalKeys ? 0 : random.nextInt(openEnded ? 6 : 5)) {
            case 0 -> o.put("additionalProperties", false);
            case 1 -> o.set("additionalProperties", number(true));
            case 2 -> o.set("additionalProperties", string());
            case 5 -> o.put("additionalProperties", true);
            default -> {
                // No properties and no word on others means any object, whose strings have no bounds.
                if (names.isEmpty() && !openEnded) o.put("additionalProperties", false);
            }
        }
        if (random.nextInt(6) == 0) o.put("minProperties", random.nextInt(3));
        if (random.nextInt(6) == 0) {
            o.put("maxProperties", required.size() + random.nextInt(3));
        } else if (!openEnded && o.has("additionalProperties") && !o.get("additionalProperties").isBoolean()) {
            // Additional keys are strings without bounds; a random model writes long ones, so allow few.
            o.put("maxProperties", names.size() + 1);
        }
        return o;
    }

    private ObjectNode array(int depth) {
        ObjectNode a = F.objectNode().put("type", "array");
        if (random.nextInt(5) == 0) {
            ArrayNode prefix = a.putArray("prefixItems");
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) prefix.add(schema(depth));
            if (random.nextBoolean()) a.set("items", schema(depth));
        } else {
            a.set("items", schema(depth));
        }
        int min = random.nextInt(3);
        if (min > 0) a.put("minItems", min);
        if (random.nextBoolean()) a.put("maxItems", min + random.nextInt(4));
        return a;
    }
}
