package dev.tinyforge.tokenizer.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * llama.cpp's fallback for templates without a system role (gemma-2 raises "System role not
 * supported"): instead of failing, the system text is folded into the conversation as user text.
 * This is a separate, explicit step because HF does not do it; see {@link ChatTemplate#adaptMessages}.
 */
public final class SystemRole {
    private SystemRole() {}

    /**
     * Returns new messages where each run of system messages is joined with "\n" and put in front of
     * the next user message's content as {@code system + "\n" + user} (just {@code system} when the
     * user content is empty). When the next message is not a user message, or there is none, the
     * system text becomes a user message of its own at that point. Other keys are kept.
     *
     * @throws IllegalArgumentException when a content to merge is not a string
     */
    public static List<Map<String, Object>> mergeIntoUser(List<? extends Map<String, ?>> messages) {
        List<Map<String, Object>> out = new ArrayList<>(messages.size());
        String pending = null;
        for (Map<String, ?> message : messages) {
            Object role = message.get("role");
            if ("system".equals(role)) {
                String text = content(message);
                pending = pending == null ? text : pending + "\n" + text;
                continue;
            }
            Map<String, Object> copy = new LinkedHashMap<>(message);
            if (pending != null) {
                if ("user".equals(role)) {
                    String user = content(message);
                    copy.put("content", user.isEmpty() ? pending : pending + "\n" + user);
                } else {
                    out.add(userMessage(pending));
                }
                pending = null;
            }
            out.add(copy);
        }
        if (pending != null) out.add(userMessage(pending));
        return out;
    }

    private static Map<String, Object> userMessage(String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "user");
        m.put("content", content);
        return m;
    }

    private static String content(Map<String, ?> message) {
        Object content = message.get("content");
        if (content == null) return "";
        if (content instanceof CharSequence s) return s.toString();
        throw new IllegalArgumentException("cannot merge a " + message.get("role")
                + " message whose content is not a string (" + content.getClass().getSimpleName() + ")");
    }
}
