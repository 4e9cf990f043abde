package dev.tinyforge.data;

/** Who speaks in a chat message. */
public enum Role {
    SYSTEM, USER, ASSISTANT;

    /** The lower-case name used in JSON and chat templates. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a role name, or returns null when it is not one we support. */
    public static Role parse(String id) {
        return switch (id) {
            case "system" -> SYSTEM;
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            default -> null;
        };
    }
}
