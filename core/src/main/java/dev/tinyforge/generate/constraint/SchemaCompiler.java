package dev.tinyforge.generate.constraint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.util.BadInputException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a JSON Schema (the subset below) into {@link Schema} nodes, refusing every keyword it does
 * not enforce: a keyword that is skipped could let through values the schema forbids.
 *
 * <p>Supported: {@code type} (one or a list), {@code enum}, {@code const}, {@code properties},
 * {@code required}, {@code additionalProperties}, {@code minProperties}, {@code maxProperties},
 * {@code items} (also the older array form with {@code additionalItems}), {@code prefixItems},
 * {@code minItems}, {@code maxItems}, {@code uniqueItems: false}, {@code minLength}, {@code maxLength},
 * {@code minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code anyOf},
 * {@code oneOf} (when its options cannot begin alike), {@code allOf} with one schema, and {@code $ref} to
 * this document ({@code #}, {@code #/$defs/...}, recursion included); annotations are ignored.
 *
 * <p>Where the schema leaves something open, the compiled form is narrower (every value it allows is
 * valid, not every valid value is allowed): an object that lists properties gets no other keys unless
 * {@code additionalProperties} says so; a tuple ({@code prefixItems}) gets no further items unless
 * {@code items} says so; keywords without a {@code type} imply theirs ({@code properties} means an object).
 */
final class SchemaCompiler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "$comment",
            "$schema", "$id", "deprecated", "readOnly", "writeOnly", "$defs", "definitions");
    private static final Set<String> OBJECT_KEYWORDS =
            Set.of("properties", "required", "additionalProperties", "minProperties", "maxProperties");
    private static final Set<String> ARRAY_KEYWORDS =
            Set.of("items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems");
    private static final Set<String> STRING_KEYWORDS = Set.of("minLength", "maxLength");
    private static final Set<String> NUMBER_KEYWORDS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
    private static final Set<String> COMBINING = Set.of("type", "enum", "const", "anyOf", "oneOf", "allOf", "$ref");
    private static final List<String> TYPES = List.of("object", "array", "string", "number", "integer", "boolean", "null");
    static final int MAX_PROPERTIES = 64;

    private final String source;
    private final JsonNode document;
    private final List<Schema> nodes = new ArrayList<>();
    private final Map<String, Schema.Ref> refs = new HashMap<>();
    private final Deque<Schema.Ref> unresolved = new ArrayDeque<>();
    private final Map<Schema.AnyOf, String> oneOfs = new LinkedHashMap<>();

    private SchemaCompiler(String source, JsonNode document) {
        this.source = source;
        this.document = document;
    }

    /**
     * @param source names the schema in error messages (a file name, or "JSON schema")
     * @throws BadInputException naming the keyword and its place (a JSON pointer) when the schema uses
     *     something unsupported, is malformed, or allows no value at all
     */
    static Schema compile(String source, JsonNode document) {
        SchemaCompiler c = new SchemaCompiler(source, document);
        Schema root = c.compile(document, "");
        while (!c.unresolved.isEmpty()) {
            Schema.Ref ref = c.unresolved.poll();
            JsonNode target = document.at(ref.pointer);
            if (target.isMissingNode()) throw c.bad(ref.pointer, "$ref points nowhere in this document");
            ref.target = c.compile(target, ref.pointer);
        }
        SchemaAnalysis.solve(c.nodes);
        if (!root.satisfiable) throw c.bad("", "no JSON value satisfies this schema");
        SchemaAnalysis.freeze(c.nodes);
        c.oneOfs.forEach((oneOf, at) -> {
            String clash = SchemaAnalysis.sharedFirstByte(oneOf);
            if (clash != null) {
                throw c.bad(at, "oneOf whose options can begin alike (both may start with '" + clash
                        + "') is not supported; anyOf is, if either option will do");
            }
        });
        return root;
    }

    /** Marks a hand-built node (the automaton's free-form value parts) as compiled. */
    static <T extends Schema> T frozen(T schema) {
        schema.satisfiable = true;
        if (schema instanceof Schema.ObjectType o) o.usableMask = o.requiredMask;
        return schema;
    }

    static LiteralTrie literalTrie(String... values) {
        return LiteralTrie.of(Arrays.stream(values).map(SchemaCompiler::utf8).toList());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private BadInputException bad(String pointer, String message) {
        return new BadInputException(source + " at " + (pointer.isEmpty() ? "/" : pointer) + ": " + message);
    }

    private <T extends Schema> T register(T schema) {
        nodes.add(schema);
        return schema;
    }

    private Schema compile(JsonNode node, String at) {
        if (node.isBoolean()) return register(node.booleanValue() ? new Schema.AnyValue() : new Schema.Never());
        if (!node.isObject()) throw bad(at, "a schema must be an object or a boolean, got " + node.getNodeType().name().toLowerCase());
        Set<String> assertions = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (ANNOTATIONS.contains(keyword)) continue;
            if (!COMBINING.contains(keyword) && !OBJECT_KEYWORDS.contains(keyword) && !ARRAY_KEYWORDS.contains(keyword)
                    && !STRING_KEYWORDS.contains(keyword) && !NUMBER_KEYWORDS.contains(keyword)) {
                throw bad(at, "unsupported keyword '" + keyword + "' (supported: type, enum, const, properties, required, "
                        + "additionalProperties, minProperties, maxProperties, items, prefixItems, minItems, maxItems, "
                        + "minLength, maxLength, minimum, maximum, exclusiveMinimum, exclusiveMaximum, anyOf, oneOf, "
                        + "allOf of one schema, $ref within the document)");
            }
            assertions.add(keyword);
        }
        if (assertions.contains("$ref")) {
            alone(at, "$ref", assertions);
            return ref(at, node.get("$ref"));
        }
        if (assertions.contains("allOf")) {
            alone(at, "allOf", assertions);
            JsonNode all = node.get("allOf");
            if (!all.isArray() || all.size() != 1) {
                throw bad(at + "/allOf", "only allOf with exactly one schema is supported, got " + (all.isArray() ? all.size() : "no array"));
            }
            return compile(all.get(0), at + "/allOf/0");
        }
        for (String keyword : List.of("anyOf", "oneOf")) {
            if (!assertions.contains(keyword)) continue;
            alone(at, keyword, assertions);
            JsonNode options = node.get(keyword);
            if (!options.isArray() || options.isEmpty()) throw bad(at + "/" + keyword, "expected a non-empty array of schemas");
            List<Schema> compiled = new ArrayList<>();
            for (int i = 0; i < options.size(); i++) compiled.add(compile(options.get(i), at + "/" + keyword + "/" + i));
            Schema.AnyOf anyOf = register(new Schema.AnyOf(compiled));
            if (keyword.equals("oneOf")) oneOfs.put(anyOf, at + "/oneOf");
            return anyOf;
        }
        if (node.has("uniqueItems")) {
            if (!node.get("uniqueItems").isBoolean() || node.get("uniqueItems").booleanValue()) {
                throw bad(at + "/uniqueItems", "unsupported keyword 'uniqueItems' (only false, which asks for nothing)");
            }
            assertions.remove("uniqueItems");
        }
        Set<String> types = types(node, at);
        if (assertions.contains("enum") || assertions.contains("const")) return literals(node, at, assertions, types);
        if (types == null) {
            types = new LinkedHashSet<>();
            for (String keyword : assertions) {
                if (OBJECT_KEYWORDS.contains(keyword)) types.add("object");
                if (ARRAY_KEYWORDS.contains(keyword)) types.add("array");
                if (STRING_KEYWORDS.contains(keyword)) types.add("string");
                if (NUMBER_KEYWORDS.contains(keyword)) types.add("number");
            }
            if (types.isEmpty()) return register(new Schema.AnyValue());
        }
        if (types.contains("number")) types.remove("integer");
        List<Schema> options = new ArrayList<>();
        for (String type : types) {
            options.add(switch (type) {
                case "object" -> object(node, at);
                case "array" -> array(node, at);
                case "string" -> register(new Schema.StringType(count(node, "minLength", at, 0),
                        count(node, "maxLength", at, Integer.MAX_VALUE)));
                case "number", "integer" -> register(new Schema.NumberType(type.equals("integer"), bounds(node, at)));
                case "boolean" -> register(new Schema.Literals(literalTrie("true", "false")));
                case "null" -> register(new Schema.Literals(literalTrie("null")));
                default -> throw new IllegalStateException(type);
            });
        }
        return options.size() == 1 ? options.getFirst() : register(new Schema.AnyOf(options));
    }

    /** Refuses other assertions beside {@code keyword} (their combination is an intersection we do not build). */
    private void alone(String at, String keyword, Set<String> assertions) {
        for (String other : assertions) {
            if (!other.equals(keyword)) throw bad(at, "'" + keyword + "' together with '" + other + "' is not supported");
        }
    }

    private Schema ref(String at, JsonNode value) {
        if (!value.isTextual() || !value.textValue().startsWith("#")) {
            throw bad(at + "/$ref", "only references within this document (\"#...\") are supported, got " + value);
        }
        String pointer = value.textValue().substring(1);
        if (!pointer.isEmpty() && !pointer.startsWith("/")) throw bad(at + "/$ref", "expected a JSON pointer after '#', got " + value);
        return refs.computeIfAbsent(pointer, p -> {
            Schema.Ref ref = register(new Schema.Ref(p));
            unresolved.add(ref);
            return ref;
        });
    }

    /** The types {@code type} allows, or null when it is absent. */
    private Set<String> types(JsonNode node, String at) {
        JsonNode type = node.get("type");
        if (type == null) return null;
        List<JsonNode> names = new ArrayList<>();
        if (type.isArray()) type.forEach(names::add);
        else names.add(type);
        if (names.isEmpty()) throw bad(at + "/type", "expected a type name or a non-empty list of them");
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode name : names) {
            if (!name.isTextual() || !TYPES.contains(name.textValue())) {
                throw bad(at + "/type", "unknown type " + name + " (expected one of " + String.join(", ", TYPES) + ")");
            }
            types.add(name.textValue());
        }
        return types;
    }

    private Schema literals(JsonNode node, String at, Set<String> assertions, Set<String> types) {
        for (String other : assertions) {
            if (!other.equals("enum") && !other.equals("const") && !other.equals("type")) {
                throw bad(at, "'" + (assertions.contains("enum") ? "enum" : "const") + "' together with '" + other + "' is not supported");
            }
        }
        List<JsonNode> values = new ArrayList<>();
        if (node.has("enum")) {
            if (!node.get("enum").isArray()) throw bad(at + "/enum", "expected an array");
            node.get("enum").forEach(values::add);
        }
        if (node.has("const")) {
            JsonNode c = node.get("const");
            if (node.has("enum")) values.removeIf(v -> !sameValue(v, c));
            else values.add(c);
        }
        List<byte[]> spellings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode value : values) {
            if (types != null && !types.contains(typeOf(value)) && !(typeOf(value).equals("integer") && types.contains("number"))) continue;
            String text = spelling(value, at);
            if (seen.add(text)) spellings.add(utf8(text));
        }
        return register(new Schema.Literals(LiteralTrie.of(spellings)));
    }

    private String spelling(JsonNode value, String at) {
        for (JsonNode n : (Iterable<JsonNode>) () -> allNodes(value).iterator()) {
            if (n.isNumber() && (n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
                throw bad(at, "enum or const value " + n + " is not a finite number");
            }
        }
        try {
            String text = JSON.writeValueAsString(value);
            if (text.codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)) {
                throw bad(at, "enum or const value " + text + " holds an unpaired surrogate");
            }
            return text;
        } catch (JsonProcessingException e) {
            throw bad(at, "enum or const value cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static List<JsonNode> allNodes(JsonNode value) {
        List<JsonNode> all = new ArrayList<>();
        Deque<JsonNode> todo = new ArrayDeque<>(List.of(value));
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            all.add(n);
            n.forEach(todo::push);
        }
        return all;
    }

    /** JSON equality, where numbers compare by value (1 equals 1.0). */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) if (!sameValue(a.get(i), b.get(i))) return false;
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) return false;
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!b.has(k) || !sameValue(a.get(k), b.get(k))) return false;
            }
            return true;
        }
        return a.equals(b);
    }

    private static String typeOf(JsonNode value) {
        if (value.isObject()) return "object";
        if (value.isArray()) return "array";
        if (value.isTextual()) return "string";
        if (value.isBoolean()) return "boolean";
        if (value.isNull()) return "null";
        if (value.isIntegralNumber() || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0)) return "integer";
        return "number";
    }

    private Schema object(JsonNode node, String at) {
        JsonNode props = node.get("properties");
        if (props != null && !props.isObject()) throw bad(at + "/properties", "expected an object of schemas");
        JsonNode additionalNode = node.get("additionalProperties");
        Schema additional;
        if (additionalNode == null) {
            // Unlisted keys are allowed only where no property is listed: {"type": "object"} is any object.
            additional = props == null || props.isEmpty() ? register(new Schema.AnyValue()) : null;
        } else if (additionalNode.isBoolean() && !additionalNode.booleanValue()) {
            additional = null;
        } else {
            additional = compile(additionalNode, at + "/additionalProperties");
        }
        Set<String> required = new LinkedHashSet<>();
        JsonNode req = node.get("required");
        if (req != null) {
            if (!req.isArray()) throw bad(at + "/required", "expected an array of property names");
            for (JsonNode name : req) {
                if (!name.isTextual()) throw bad(at + "/required", "expected property names, got " + name);
                required.add(name.textValue());
            }
        }
        Map<String, Schema> schemas = new LinkedHashMap<>();
        if (props != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                schemas.put(e.getKey(), compile(e.getValue(), at + "/properties/" + escapePointer(e.getKey())));
            }
        }
        for (String name : required) {
            // A required key that is not listed is an additional property (and unsatisfiable without them).
            if (!schemas.containsKey(name)) schemas.put(name, additional != null ? additional : register(new Schema.Never()));
        }
        if (schemas.size() > MAX_PROPERTIES) {
            throw bad(at + "/properties", "objects with more than " + MAX_PROPERTIES + " properties are not supported, got " + schemas.size());
        }
        List<Schema.Property> properties = new ArrayList<>();
        for (Map.Entry<String, Schema> e : schemas.entrySet()) {
            checkName(at, e.getKey());
            properties.add(new Schema.Property(e.getKey(), properties.size(), e.getValue(), required.contains(e.getKey())));
        }
        return register(new Schema.ObjectType(properties, additional, count(node, "minProperties", at, 0),
                count(node, "maxProperties", at, Integer.MAX_VALUE)));
    }

    private void checkName(String at, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                throw bad(at + "/properties", "property name " + JSON.getNodeFactory().textNode(name)
                        + " needs escaping in JSON, which keys written under a schema do not use");
            }
        }
        if (name.codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)) {
            throw bad(at + "/properties", "property name holds an unpaired surrogate");
        }
    }

    private static String escapePointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private Schema array(JsonNode node, String at) {
        List<Schema> prefix = new ArrayList<>();
        Schema items;
        JsonNode itemsNode = node.get("items"), prefixNode = node.get("prefixItems"), more = node.get("additionalItems");
        if (itemsNode != null && itemsNode.isArray()) { // the older tuple form
            if (prefixNode != null) throw bad(at, "'items' as an array together with 'prefixItems' is not supported");
            for (int i = 0; i < itemsNode.size(); i++) prefix.add(compile(itemsNode.get(i), at + "/items/" + i));
            items = more == null ? null : compile(more, at + "/additionalItems");
        } else {
            if (more != null) throw bad(at + "/additionalItems", "'additionalItems' applies only beside 'items' as an array");
            if (prefixNode != null) {
                if (!prefixNode.isArray()) throw bad(at + "/prefixItems", "expected an array of schemas");
                for (int i = 0; i < prefixNode.size(); i++) prefix.add(compile(prefixNode.get(i), at + "/prefixItems/" + i));
            }
            // After a tuple, further items only when 'items' allows them.
            items = itemsNode != null ? compile(itemsNode, at + "/items") : prefix.isEmpty() ? register(new Schema.AnyValue()) : null;
        }
        return register(new Schema.ArrayType(prefix, items, count(node, "minItems", at, 0), count(node, "maxItems", at, Integer.MAX_VALUE)));
    }

    private int count(JsonNode node, String keyword, String at, int absent) {
        JsonNode value = node.get(keyword);
        if (value == null) return absent;
        if (!value.isIntegralNumber() || value.bigIntegerValue().signum() < 0) {
            throw bad(at + "/" + keyword, "expected a non-negative integer, got " + value);
        }
        return value.canConvertToInt() ? value.intValue() : Integer.MAX_VALUE;
    }

    private NumberBounds bounds(JsonNode node, String at) {
        BigDecimal min = null, max = null;
        boolean minExclusive = false, maxExclusive = false;
        for (String keyword : List.of("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")) {
            JsonNode value = node.get(keyword);
            if (value == null) continue;
            if (!value.isNumber()) {
                throw bad(at + "/" + keyword, "expected a number, got " + value
                        + (value.isBoolean() ? " (the draft-4 boolean form is not supported)" : ""));
            }
            if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
                throw bad(at + "/" + keyword, "expected a finite number, got " + value);
            }
            BigDecimal v = value.decimalValue();
            boolean exclusive = keyword.startsWith("exclusive");
            if (keyword.endsWith("inimum")) {
                int c = min == null ? 1 : v.compareTo(min);
                if (c > 0 || (c == 0 && exclusive)) {
                    min = v;
                    minExclusive = exclusive;
                }
            } else {
                int c = max == null ? -1 : v.compareTo(max);
                if (c < 0 || (c == 0 && exclusive)) {
                    max = v;
                    maxExclusive = exclusive;
                }
            }
        }
        return min == null && max == null ? NumberBounds.NONE : new NumberBounds(min, minExclusive, max, maxExclusive);
    }
}
