package dev.tinyforge.serve;

import java.util.List;

/** {@code chat.completion.chunk} events: the role first, then content deltas. */
final class ChatEvents extends OpenAiEvents {
    ChatEvents(String id, long created, String model, boolean includeUsage) {
        super(id, created, model, includeUsage);
    }

    private OpenAiJson.ChatChunk chunk(OpenAiJson.Delta delta, String finish) {
        return new OpenAiJson.ChatChunk(id, "chat.completion.chunk", created, model,
                List.of(new OpenAiJson.ChunkChoice(0, delta, null, finish)), null);
    }

    @Override
    public byte[] begin() {
        return event(chunk(new OpenAiJson.Delta("assistant", ""), null));
    }

    @Override
    public byte[] piece(String text) {
        return event(chunk(new OpenAiJson.Delta(null, text), null));
    }

    @Override
    public byte[] end(Outcome outcome) {
        return closing(chunk(new OpenAiJson.Delta(null, null), OpenAiJson.finishReason(outcome.reason())),
                new OpenAiJson.ChatChunk(id, "chat.completion.chunk", created, model, List.of(), OpenAiJson.Usage.of(outcome)));
    }
}
