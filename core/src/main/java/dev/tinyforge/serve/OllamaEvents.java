package dev.tinyforge.serve;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Ollama's streaming: one JSON object per line, the last with {@code "done": true} and the statistics.
 * A heartbeat is a space: it only indents the next line, which JSON readers skip.
 */
final class OllamaEvents implements StreamFormat {
    private final String model;
    private final boolean chat;

    OllamaEvents(String model, boolean chat) {
        this.model = model;
        this.chat = chat;
    }

    @Override
    public String contentType() {
        return "application/x-ndjson";
    }

    private static byte[] line(Object value) {
        try {
            return Replies.utf8(HttpIo.JSON.writeValueAsString(value) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] begin() {
        return new byte[0];
    }

    @Override
    public byte[] piece(String text) {
        String now = OllamaJson.now();
        return line(chat ? new OllamaJson.Chat(model, now, new OllamaJson.Message("assistant", text), false, null, null, null,
                null, null, null, null)
                : new OllamaJson.Generate(model, now, text, false, null, null, null, null, null, null, null));
    }

    @Override
    public byte[] end(Outcome outcome) {
        var stats = OllamaJson.Stats.of(outcome);
        return line(chat ? OllamaJson.chatDone(model, "", stats) : OllamaJson.generateDone(model, "", stats));
    }

    @Override
    public byte[] failure(String message) {
        return line(new OllamaJson.Error(message));
    }

    @Override
    public byte[] heartbeat() {
        return new byte[] {' '};
    }
}
