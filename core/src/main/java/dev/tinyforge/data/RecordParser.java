package dev.tinyforge.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Turns one JSONL line into an {@link Example}, or into one clear sentence saying what is wrong with it. */
public final class RecordParser {
    /** Strict JSON: duplicate keys and text after the object are errors, not silently dropped. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> IO_FIELDS = Set.of("input", "output", "system", "metadata");
    private static final Set<String> ALPACA_FIELDS = Set.of("instruction", "input", "output", "response", "system", "metadata");
    private static final Set<String> PROMPT_FIELDS = Set.of("prompt", "completion", "system", "metadata");
    private static final Set<String> MESSAGES_FIELDS = Set.of("messages", "metadata");
    private static final Set<String> TEXT_FIELDS = Set.of("text", "metadata");
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "train");

    private RecordParser() {}

    /**
     * Parses a line. With {@code format} null the record's own fields decide its format;
     * otherwise the record is read as that format.
     */
    public static ParsedRecord parse(String line, RecordFormat format) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return new ParsedRecord.Invalid("invalid JSON: " + describe(e));
        }
        if (node == null || node.isMissingNode()) {
            return new ParsedRecord.Invalid("invalid JSON: the line holds no value");
        }
        if (!node.isObject()) {
            return new ParsedRecord.Invalid("expected a JSON object, found " + kind(node));
        }
        ObjectNode object = (ObjectNode) node;
        RecordFormat actual = format != null ? format : detect(object);
        if (actual == null) {
            return new ParsedRecord.Invalid("cannot tell the record format: expected the fields of one of "
                    + "io {input, output}, alpaca {instruction, output}, prompt-completion {prompt, completion}, "
                    + "messages {messages} or text {text}; found " + fieldNames(object));
        }
        try {
            List<String> warnings = new ArrayList<>();
            Example example = switch (actual) {
                case IO -> readIo(object, warnings);
                case ALPACA -> readAlpaca(object, warnings);
                case PROMPT_COMPLETION -> readPromptCompletion(object, warnings);
                case MESSAGES -> readMessages(object, warnings);
                case TEXT -> readText(object, warnings);
            };
            return new ParsedRecord.Valid(example, List.copyOf(warnings));
        } catch (RecordException e) {
            return new ParsedRecord.Invalid(e.getMessage());
        }
    }

    /** The format a record's fields point to, or null when they fit none. */
    public static RecordFormat detect(ObjectNode object) {
        if (object.has("messages")) return RecordFormat.MESSAGES;
        if (object.has("instruction")) return RecordFormat.ALPACA;
        if (object.has("prompt") || object.has("completion")) return RecordFormat.PROMPT_COMPLETION;
        if (object.has("input") || object.has("output")) return RecordFormat.IO;
        if (object.has("text")) return RecordFormat.TEXT;
        return null;
    }

    private static Example readIo(ObjectNode o, List<String> warnings) {
        warnUnknown(o, IO_FIELDS, RecordFormat.IO, "", warnings);
        return conversation(RecordFormat.IO, o, requiredString(o, "input", ""), requiredString(o, "output", ""));
    }

    private static Example readAlpaca(ObjectNode o, List<String> warnings) {
        warnUnknown(o, ALPACA_FIELDS, RecordFormat.ALPACA, "", warnings);
        String instruction = requiredString(o, "instruction", "");
        String input = optionalString(o, "input", "");
        if (o.has("output") && o.has("response")) {
            throw new RecordException("alpaca record has both \"output\" and \"response\"; keep one");
        }
        String output = requiredString(o, o.has("response") ? "response" : "output", "");
        String prompt = input == null || input.isBlank() ? instruction : instruction + "\n\n" + input;
        return conversation(RecordFormat.ALPACA, o, prompt, output);
    }

    private static Example readPromptCompletion(ObjectNode o, List<String> warnings) {
        warnUnknown(o, PROMPT_FIELDS, RecordFormat.PROMPT_COMPLETION, "", warnings);
        return conversation(RecordFormat.PROMPT_COMPLETION, o,
                requiredString(o, "prompt", ""), requiredString(o, "completion", ""));
    }

    private static Example conversation(RecordFormat format, ObjectNode o, String user, String assistant) {
        List<Message> messages = new ArrayList<>(3);
        String system = optionalString(o, "system", "");
        if (system != null) {
            if (system.isBlank()) throw new RecordException("field \"system\" is empty");
            messages.add(Message.of(Role.SYSTEM, system));
        }
        messages.add(Message.of(Role.USER, user));
        messages.add(Message.of(Role.ASSISTANT, assistant));
        return new Example(format, messages, null, metadata(o));
    }

    private static Example readMessages(ObjectNode o, List<String> warnings) {
        warnUnknown(o, MESSAGES_FIELDS, RecordFormat.MESSAGES, "", warnings);
        if (o.has("system")) {
            throw new RecordException("field \"system\" is not used by the messages format; put a system message first");
        }
        JsonNode array = o.get("messages");
        if (!array.isArray()) {
            throw new RecordException("field \"messages\" must be an array, found " + kind(array));
        }
        if (array.isEmpty()) throw new RecordException("field \"messages\" is empty");
        List<Message> messages = new ArrayList<>(array.size());
        boolean anyTrained = false;
        for (int i = 0; i < array.size(); i++) {
            String where = "messages[" + i + "]: ";
            JsonNode m = array.get(i);
            if (!m.isObject()) throw new RecordException(where + "expected an object, found " + kind(m));
            ObjectNode message = (ObjectNode) m;
            warnUnknown(message, MESSAGE_FIELDS, null, where, warnings);
            String roleName = requiredString(message, "role", where);
            Role role = Role.parse(roleName);
            if (role == null) {
                throw new RecordException(where + "unknown role \"" + roleName + "\" (expected system, user or assistant)");
            }
            if (role == Role.SYSTEM && i > 0) {
                throw new RecordException(where + "a system message may only come first");
            }
            String content = requiredString(message, "content", where);
            boolean train = role == Role.ASSISTANT;
            if (message.has("train")) {
                JsonNode t = message.get("train");
                if (!t.isBoolean()) {
                    throw new RecordException(where + "field \"train\" must be true or false, found " + kind(t));
                }
                train = t.booleanValue();
            }
            anyTrained |= train;
            messages.add(new Message(role, content, train));
        }
        if (messages.stream().noneMatch(m -> m.role() == Role.ASSISTANT)) {
            throw new RecordException("field \"messages\" has no assistant message");
        }
        if (!anyTrained) {
            throw new RecordException("nothing to train on: every message has \"train\": false");
        }
        return new Example(RecordFormat.MESSAGES, messages, null, metadata(o));
    }

    private static Example readText(ObjectNode o, List<String> warnings) {
        warnUnknown(o, TEXT_FIELDS, RecordFormat.TEXT, "", warnings);
        return new Example(RecordFormat.TEXT, List.of(), requiredString(o, "text", ""), metadata(o));
    }

    private static ObjectNode metadata(ObjectNode o) {
        JsonNode m = o.get("metadata");
        if (m == null || m.isNull()) return null;
        if (!m.isObject()) throw new RecordException("field \"metadata\" must be an object, found " + kind(m));
        return (ObjectNode) m;
    }

    private static String requiredString(ObjectNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null) throw new RecordException(where + "field \"" + field + "\" is missing");
        if (!v.isTextual()) {
            throw new RecordException(where + "field \"" + field + "\" must be a string, found " + kind(v));
        }
        if (v.textValue().isBlank()) throw new RecordException(where + "field \"" + field + "\" is empty");
        return v.textValue();
    }

    /** A string field that may be absent (null is returned); present, it must be a string. */
    private static String optionalString(ObjectNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) {
            throw new RecordException(where + "field \"" + field + "\" must be a string, found " + kind(v));
        }
        return v.textValue();
    }

    private static void warnUnknown(ObjectNode o, Set<String> known, RecordFormat format, String where, List<String> warnings) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                warnings.add(where + "field \"" + name + "\" is not part of the "
                        + (format == null ? "message" : format.id() + " format") + " and is ignored");
            }
        }
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String fieldNames(ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(n -> names.add('"' + n + '"'));
        return names.isEmpty() ? "no fields" : String.join(", ", names);
    }

    /** Jackson's message without its source excerpt, with the column where it went wrong. */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) message = message.substring(0, newline);
        if (message.length() > 160) message = message.substring(0, 160) + "...";
        var location = e.getLocation();
        return location != null && location.getColumnNr() > 0
                ? message + " (column " + location.getColumnNr() + ")"
                : message;
    }

    /** Carries a reason out of the nested readers; never escapes this class. */
    private static final class RecordException extends RuntimeException {
        RecordException(String message) {
            super(message, null, false, false);
        }
    }
}
