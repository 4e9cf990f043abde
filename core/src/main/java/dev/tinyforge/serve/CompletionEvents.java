package dev.tinyforge.serve;

import java.util.List;

/** {@code text_completion} events of the legacy completions endpoint. */
final class CompletionEvents extends OpenAiEvents {
    CompletionEvents(String id, long created, String model, boolean includeUsage) {
        super(id, created, model, includeUsage);
    }

    private OpenAiJson.Completion chunk(String text, String finish) {
        return new OpenAiJson.Completion(id, "text_completion", created, model,
                List.of(new OpenAiJson.CompletionChoice(text, 0, null, finish)), null);
    }

    @Override
    public byte[] begin() {
        return new byte[0];
    }

    @Override
    public byte[] piece(String text) {
        return event(chunk(text, null));
    }

    @Override
    public byte[] end(Outcome outcome) {
        return closing(chunk("", OpenAiJson.finishReason(outcome.reason())),
                new OpenAiJson.Completion(id, "text_completion", created, model, List.of(), OpenAiJson.Usage.of(outcome)));
    }
}
