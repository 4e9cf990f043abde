package dev.tinyforge.data;

/**
 * One chat turn. {@code train} says whether the loss covers it; it matters only for assistant
 * turns, which are trained on unless the record says {@code "train": false}.
 */
public record Message(Role role, String content, boolean train) {
    public Message {
        java.util.Objects.requireNonNull(role);
        java.util.Objects.requireNonNull(content);
    }

    public static Message of(Role role, String content) {
        return new Message(role, content, role == Role.ASSISTANT);
    }
}
