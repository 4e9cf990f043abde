package dev.tinyforge.data.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Lays samples out in the JSONL record formats, and draws the distinct samples a dataset is made of. */
final class Records {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {}

    /**
     * Draws samples until {@code count} distinct inputs are found. Inputs that differ only in case or
     * spacing count as one, so near-duplicates cannot land on both sides of a train/test split.
     */
    static List<ObjectNode> distinct(long seed, int count, Function<Dice, Sample> draw, Function<Sample, ObjectNode> layout) {
        Dice dice = new Dice(seed);
        Map<String, Sample> byInput = new LinkedHashMap<>();
        int attempts = 0;
        while (byInput.size() < count) {
            if (++attempts > count * 100) {
                throw new IllegalStateException("only " + byInput.size() + " distinct inputs after " + (attempts - 1)
                        + " draws; the generator's tables are too small for " + count + " records");
            }
            Sample s = draw.apply(dice);
            byInput.putIfAbsent(key(s.input()), s);
        }
        return byInput.values().stream().map(layout).toList();
    }

    static String key(String input) {
        return input.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static ObjectNode io(String system, Sample s) {
        ObjectNode o = NODES.objectNode();
        if (system != null) o.put("system", system);
        o.put("input", s.input());
        o.put("output", s.output());
        return o;
    }

    static ObjectNode alpaca(String instruction, Sample s) {
        ObjectNode o = NODES.objectNode();
        o.put("instruction", instruction);
        o.put("input", s.input());
        o.put("output", s.output());
        return o;
    }

    static ObjectNode promptCompletion(Sample s) {
        ObjectNode o = NODES.objectNode();
        o.put("prompt", s.input());
        o.put("completion", s.output());
        return o;
    }

    static ObjectNode messages(String system, Sample s) {
        ObjectNode o = NODES.objectNode();
        ArrayNode messages = o.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", s.input());
        messages.addObject().put("role", "assistant").put("content", s.output());
        return o;
    }

    /** Compact JSON, keys in insertion order: the exact text a model is trained to write. */
    static String compact(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "a", "a and b", "a, b and c". */
    static String list(List<String> items) {
        if (items.size() == 1) return items.getFirst();
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
    }

    /** The sentence with its first letter in upper case. */
    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
