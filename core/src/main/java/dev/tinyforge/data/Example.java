package dev.tinyforge.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One training example, independent of the JSONL layout it came from. Every format but {@code text}
 * becomes a conversation: an optional system prompt, then user and assistant turns. Alpaca's
 * instruction and input join with a blank line, the way the Alpaca prompt presents them.
 *
 * @param format   the layout the record was read from
 * @param messages the conversation, system message first when there is one; empty for {@code text}
 * @param text     the whole text of a {@code text} record, else null
 * @param metadata the record's {@code metadata} object, carried through conversions, or null
 */
public record Example(RecordFormat format, List<Message> messages, String text, ObjectNode metadata) {
    public Example {
        messages = List.copyOf(messages);
        if ((format == RecordFormat.TEXT) != (text != null)) {
            throw new IllegalArgumentException("text is set exactly for text records");
        }
    }

    /** The text the model reads before it must answer: all turns before the last assistant turn. */
    public String prompt() {
        if (text != null) return "";
        StringBuilder sb = new StringBuilder();
        int last = lastAssistant();
        for (int i = 0; i < last; i++) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(messages.get(i).content());
        }
        return sb.toString();
    }

    /** The text the loss covers: the trained assistant turns, or all of a text record. */
    public String completion() {
        if (text != null) return text;
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) {
            if (m.role() == Role.ASSISTANT && m.train()) {
                if (!sb.isEmpty()) sb.append('\n');
                sb.append(m.content());
            }
        }
        return sb.toString();
    }

    /**
     * The input side with whitespace runs collapsed, as used to keep identical inputs in one split.
     * Roles are part of it, so a system prompt and a user turn with the same words differ.
     */
    public String normalizedInput() {
        if (text != null) return normalizeWhitespace(text);
        StringBuilder sb = new StringBuilder();
        int last = lastAssistant();
        for (int i = 0; i < last; i++) {
            Message m = messages.get(i);
            sb.append(m.role().id()).append(':').append(normalizeWhitespace(m.content())).append('\n');
        }
        return sb.toString();
    }

    /** Index of the last assistant message, or the message count when there is none. */
    private int lastAssistant() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.ASSISTANT) return i;
        }
        return messages.size();
    }

    static String normalizeWhitespace(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    /** The system prompt, or null. */
    public String system() {
        return !messages.isEmpty() && messages.getFirst().role() == Role.SYSTEM ? messages.getFirst().content() : null;
    }
}
