package dev.tinyforge.export;

import java.util.List;

/**
 * A conversation layout that a per-message template can express: fixed text around each system,
 * user and assistant turn. {@link TurnFormats#derive} finds it for a chat template; {@link GoTemplate}
 * writes it in Ollama's template language; {@link #render} is the same layout in Java (what the Go
 * template produces), used to check a derivation against the chat template itself.
 *
 * @param lead             text before the first turn (a leading BOS is left to the tokenizer when it adds one)
 * @param system           where a system prompt goes
 * @param systemOpen       before the system text (SEPARATE/ALWAYS) or, merged, before it inside the user turn
 * @param systemClose      after the system text (SEPARATE/ALWAYS) or, merged, between it and the user text
 * @param defaultSystem    the system text the template uses when none is given (ALWAYS only)
 * @param userOpen         before each user message
 * @param firstUserOpen    before the first user message (userOpen without a BOS the tokenizer adds)
 * @param userClose        after each user message
 * @param generationPrompt after the last user message, opening the answer
 * @param assistantOpen    before each assistant message that follows a user message
 * @param assistantClose   after each assistant message that is not the last
 */
record TurnFormat(String lead, SystemStyle system, String systemOpen, String systemClose, String defaultSystem,
                  String userOpen, String firstUserOpen, String userClose, String generationPrompt,
                  String assistantOpen, String assistantClose) {

    /** Where the system prompt goes. */
    enum SystemStyle {
        /** Its own turn, only when there is a system prompt (ChatML, Phi-3). */
        SEPARATE,
        /** Its own turn, always; {@code defaultSystem} fills it when there is none (Llama 3.1, Qwen2.5). */
        ALWAYS,
        /** Inside the first user turn (Gemma, Llama 2). */
        MERGED_FIRST,
        /** Inside the last user turn (Mistral's [INST] templates). */
        MERGED_LAST,
        /** The template has no place for it: it is dropped. */
        NONE
    }

    /** One message of a conversation. */
    record Turn(String role, String content) {}

    /**
     * The prompt for a conversation, as the Go template renders Ollama's {@code .System} and
     * {@code .Messages} (system messages in {@code turns} are skipped; {@code system} may be empty).
     */
    String render(String system, List<Turn> turns) {
        StringBuilder out = new StringBuilder(lead);
        boolean hasSystem = system != null && !system.isEmpty();
        switch (this.system) {
            case SEPARATE -> {
                if (hasSystem) out.append(systemOpen).append(system).append(systemClose);
            }
            case ALWAYS -> out.append(systemOpen).append(hasSystem ? system : defaultSystem).append(systemClose);
            default -> {}
        }
        int lastUser = -1;
        for (int i = 0; i < turns.size(); i++) if (turns.get(i).role().equals("user")) lastUser = i;
        boolean started = false, systemPending = hasSystem;
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            boolean last = i == turns.size() - 1;
            if (t.role().equals("user")) {
                out.append(started ? userOpen : firstUserOpen);
                started = true;
                boolean merge = systemPending && (this.system == SystemStyle.MERGED_FIRST
                        || (this.system == SystemStyle.MERGED_LAST && i == lastUser));
                if (merge) {
                    out.append(systemOpen).append(system).append(systemClose);
                    systemPending = false;
                }
                out.append(t.content()).append(userClose);
                if (last) out.append(generationPrompt);
            } else if (t.role().equals("assistant")) {
                out.append(assistantOpen).append(t.content());
                if (!last) out.append(assistantClose);
            }
        }
        return out.toString();
    }
}
