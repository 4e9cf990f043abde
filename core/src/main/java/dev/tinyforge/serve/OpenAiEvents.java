package dev.tinyforge.serve;

import com.fasterxml.jackson.core.JsonProcessingException;

/** OpenAI's server-sent events: one {@code data:} line per JSON chunk, then {@code data: [DONE]}. */
abstract sealed class OpenAiEvents implements StreamFormat permits ChatEvents, CompletionEvents {
    private static final byte[] DONE = Replies.utf8("data: [DONE]\n\n");

    final String id, model;
    final long created;
    final boolean includeUsage;

    OpenAiEvents(String id, long created, String model, boolean includeUsage) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.includeUsage = includeUsage;
    }

    @Override
    public String contentType() {
        return "text/event-stream; charset=utf-8";
    }

    static byte[] event(Object chunk) {
        try {
            return Replies.utf8("data: " + HttpIo.JSON.writeValueAsString(chunk) + "\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last chunk (with the finish reason), the usage chunk if asked for, and [DONE]. */
    byte[] closing(Object last, Object usageChunk) {
        byte[] a = event(last), b = includeUsage ? event(usageChunk) : new byte[0];
        byte[] out = new byte[a.length + b.length + DONE.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(DONE, 0, out, a.length + b.length, DONE.length);
        return out;
    }

    @Override
    public byte[] failure(String message) {
        return event(OpenAiJson.ErrorBody.of(new ApiException(500, message, null)));
    }

    @Override
    public byte[] heartbeat() {
        return Replies.utf8(": keep-alive\n\n");
    }
}
