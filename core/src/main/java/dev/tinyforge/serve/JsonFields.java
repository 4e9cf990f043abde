package dev.tinyforge.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of a request's JSON fields with errors that name the field and say what was expected.
 * A missing field and an explicit null both read as absent; numbers are not coerced from strings,
 * and an integer field refuses a fraction.
 */
final class JsonFields {
    private final ObjectNode node;
    private final String prefix;

    JsonFields(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    JsonFields(ObjectNode node) {
        this(node, "");
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    JsonNode raw(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    String name(String field) {
        return prefix + field;
    }

    String string(String field, String otherwise) {
        JsonNode v = raw(field);
        if (v == null) return otherwise;
        if (!v.isTextual()) throw wrongType(field, "a string", v);
        return v.textValue();
    }

    boolean bool(String field, boolean otherwise) {
        JsonNode v = raw(field);
        if (v == null) return otherwise;
        if (!v.isBoolean()) throw wrongType(field, "true or false", v);
        return v.booleanValue();
    }

    /** A number within [min, max]. */
    double number(String field, double otherwise, double min, double max) {
        JsonNode v = raw(field);
        if (v == null) return otherwise;
        if (!v.isNumber()) throw wrongType(field, "a number", v);
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw ApiException.badField(name(field), "must be between " + Histogram.format(min) + " and "
                    + Histogram.format(max) + ", got " + v);
        }
        return d;
    }

    /** An integer within [min, max]. */
    long integer(String field, long otherwise, long min, long max) {
        JsonNode v = raw(field);
        if (v == null) return otherwise;
        if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
            throw wrongType(field, "an integer", v);
        }
        if (!v.canConvertToLong() && v.isIntegralNumber()) {
            throw ApiException.badField(name(field), "must be between " + min + " and " + max + ", got " + v);
        }
        double d = v.doubleValue();
        if (d < min || d > max) throw ApiException.badField(name(field), "must be between " + min + " and " + max + ", got " + v);
        return v.longValue();
    }

    ObjectNode object(String field) {
        JsonNode v = raw(field);
        if (v == null) return null;
        if (!v.isObject()) throw wrongType(field, "an object", v);
        return (ObjectNode) v;
    }

    /** A string or a list of strings (OpenAI's {@code stop}, Ollama's {@code options.stop}). */
    List<String> strings(String field, int maxCount) {
        JsonNode v = raw(field);
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        if (v.isTextual()) {
            out.add(v.textValue());
        } else if (v.isArray()) {
            for (JsonNode item : v) {
                if (!item.isTextual()) throw wrongType(field, "a string or a list of strings", v);
                out.add(item.textValue());
            }
        } else {
            throw wrongType(field, "a string or a list of strings", v);
        }
        if (out.size() > maxCount) throw ApiException.badField(name(field), "may hold at most " + maxCount + " strings");
        return out;
    }

    ApiException wrongType(String field, String expected, JsonNode got) {
        return ApiException.badField(name(field), "must be " + expected + ", got " + describe(got));
    }

    static String describe(JsonNode v) {
        String text = v.toString();
        String kind = switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
        return kind + " " + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
    }
}
