package dev.tinyforge.generate.constraint;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON Schema (2020-12) validator for the keywords the grammar supports, written from the
 * specification and sharing nothing with the compiler or the automaton, so that tests of generated
 * output mean something. It uses the standard semantics, not the grammar's narrower forms: unlisted
 * properties are allowed unless {@code additionalProperties} says otherwise, type keywords apply only to
 * values of their type, {@code oneOf} needs exactly one match. Any keyword it does not know fails loudly.
 */
final class SchemaValidator {
    private final JsonNode root;

    SchemaValidator(JsonNode root) {
        this.root = root;
    }

    /** The problems of {@code value} against the whole schema; empty when it validates. */
    List<String> validate(JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(root, value, "$", problems, 0);
        return problems;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> problems, int depth) {
        if (depth > 200) throw new IllegalStateException("schema recursion without progress at " + at);
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) problems.add(at + ": schema false");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode k = e.getValue();
            switch (e.getKey()) {
                case "title", "description", "default", "examples", "$comment", "$schema", "$id", "deprecated", "readOnly",
                     "writeOnly", "$defs", "definitions" -> {}
                case "$ref" -> check(root.at(k.textValue().substring(1)), value, at, problems, depth + 1);
                case "type" -> {
                    boolean any = false;
                    for (JsonNode t : k.isArray() ? k : List.of(k)) any |= hasType(value, t.textValue());
                    if (!any) problems.add(at + ": not of type " + k);
                }
                case "enum" -> {
                    boolean any = false;
                    for (JsonNode option : k) any |= equal(option, value);
                    if (!any) problems.add(at + ": not in enum " + k);
                }
                case "const" -> {
                    if (!equal(k, value)) problems.add(at + ": not const " + k);
                }
                case "anyOf", "oneOf", "allOf" -> {
                    int matches = 0;
                    for (JsonNode option : k) {
                        List<String> sub = new ArrayList<>();
                        check(option, value, at, sub, depth + 1);
                        if (sub.isEmpty()) matches++;
                    }
                    boolean ok = switch (e.getKey()) {
                        case "anyOf" -> matches >= 1;
                        case "oneOf" -> matches == 1;
                        default -> matches == k.size();
                    };
                    if (!ok) problems.add(at + ": " + e.getKey() + " matched " + matches + " of " + k.size());
                }
                case "properties" -> {
                    if (!value.isObject()) break;
                    for (Iterator<Map.Entry<String, JsonNode>> p = k.fields(); p.hasNext(); ) {
                        Map.Entry<String, JsonNode> prop = p.next();
                        if (value.has(prop.getKey())) check(prop.getValue(), value.get(prop.getKey()), at + "." + prop.getKey(), problems, depth + 1);
                    }
                }
                case "required" -> {
                    if (!value.isObject()) break;
                    for (JsonNode name : k) if (!value.has(name.textValue())) problems.add(at + ": missing " + name);
                }
                case "additionalProperties" -> {
                    if (!value.isObject()) break;
                    JsonNode listed = schema.get("properties");
                    for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                        String name = names.next();
                        if (listed == null || !listed.has(name)) check(k, value.get(name), at + "." + name, problems, depth + 1);
                    }
                }
                case "minProperties" -> {
                    if (value.isObject() && value.size() < k.intValue()) problems.add(at + ": fewer than " + k + " properties");
                }
                case "maxProperties" -> {
                    if (value.isObject() && value.size() > k.intValue()) problems.add(at + ": more than " + k + " properties");
                }
                case "prefixItems" -> {
                    if (!value.isArray()) break;
                    for (int i = 0; i < Math.min(k.size(), value.size()); i++) check(k.get(i), value.get(i), at + "[" + i + "]", problems, depth + 1);
                }
                case "items" -> {
                    if (!value.isArray()) break;
                    if (k.isArray()) {
                        for (int i = 0; i < Math.min(k.size(), value.size()); i++) check(k.get(i), value.get(i), at + "[" + i + "]", problems, depth + 1);
                        JsonNode more = schema.get("additionalItems");
                        if (more != null) for (int i = k.size(); i < value.size(); i++) check(more, value.get(i), at + "[" + i + "]", problems, depth + 1);
                    } else {
                        int from = schema.has("prefixItems") ? schema.get("prefixItems").size() : 0;
                        for (int i = from; i < value.size(); i++) check(k, value.get(i), at + "[" + i + "]", problems, depth + 1);
                    }
                }
                case "additionalItems" -> {} // with the array form of items, above
                case "minItems" -> {
                    if (value.isArray() && value.size() < k.intValue()) problems.add(at + ": fewer than " + k + " items");
                }
                case "maxItems" -> {
                    if (value.isArray() && value.size() > k.intValue()) problems.add(at + ": more than " + k + " items");
                }
                case "uniqueItems" -> {
                    if (k.booleanValue()) throw new IllegalArgumentException("uniqueItems true is not checked here");
                }
                case "minLength" -> {
                    if (value.isTextual() && length(value) < k.intValue()) problems.add(at + ": shorter than " + k);
                }
                case "maxLength" -> {
                    if (value.isTextual() && length(value) > k.intValue()) problems.add(at + ": longer than " + k);
                }
                case "minimum" -> {
                    if (value.isNumber() && value.decimalValue().compareTo(k.decimalValue()) < 0) problems.add(at + ": below " + k);
                }
                case "maximum" -> {
                    if (value.isNumber() && value.decimalValue().compareTo(k.decimalValue()) > 0) problems.add(at + ": above " + k);
                }
                case "exclusiveMinimum" -> {
                    if (value.isNumber() && value.decimalValue().compareTo(k.decimalValue()) <= 0) problems.add(at + ": not above " + k);
                }
                case "exclusiveMaximum" -> {
                    if (value.isNumber() && value.decimalValue().compareTo(k.decimalValue()) >= 0) problems.add(at + ": not below " + k);
                }
                default -> throw new IllegalArgumentException("the validator does not know keyword " + e.getKey());
            }
        }
    }

    private static int length(JsonNode text) {
        return text.textValue().codePointCount(0, text.textValue().length());
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            case "number" -> value.isNumber();
            case "integer" -> value.isNumber() && isIntegral(value.decimalValue());
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    private static boolean isIntegral(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /** JSON equality: numbers by value, objects regardless of key order. */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) if (!equal(a.get(i), b.get(i))) return false;
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) return false;
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!b.has(name) || !equal(a.get(name), b.get(name))) return false;
            }
            return true;
        }
        return a.equals(b);
    }
}
