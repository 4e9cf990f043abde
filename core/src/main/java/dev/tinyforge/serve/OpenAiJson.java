package dev.tinyforge.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The response bodies of the OpenAI-compatible API, field for field as OpenAI writes them. */
final class OpenAiJson {
    private OpenAiJson() {}

    record ModelList(String object, List<ModelCard> data) {}

    record ModelCard(String id, String object, long created, String ownedBy) {}

    /** {@code prompt_tokens} counts the whole prompt; {@code prompt_tokens_details.cached_tokens} those a slot's cache held. */
    record Usage(int promptTokens, int completionTokens, int totalTokens, PromptTokensDetails promptTokensDetails) {
        static Usage of(Outcome o) {
            return new Usage(o.promptTokens(), o.generatedTokens(), o.totalTokens(),
                    new PromptTokensDetails(o.cachedPromptTokens()));
        }
    }

    record PromptTokensDetails(int cachedTokens) {}

    record ChatCompletion(String id, String object, long created, String model, List<ChatChoice> choices, Usage usage) {}

    record ChatChoice(int index, AssistantMessage message, Object logprobs, String finishReason) {}

    record AssistantMessage(String role, String content, Object refusal) {}

    record ChatChunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {}

    record ChunkChoice(int index, Delta delta, Object logprobs, String finishReason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {}

    record Completion(String id, String object, long created, String model, List<CompletionChoice> choices,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {}

    record CompletionChoice(String text, int index, Object logprobs, String finishReason) {}

    record ErrorBody(ErrorDetail error) {
        static ErrorBody of(ApiException e) {
            return new ErrorBody(new ErrorDetail(e.getMessage(), e.openAiType(), e.param(), null));
        }
    }

    record ErrorDetail(String message, String type, String param, String code) {}

    /** OpenAI's finish reasons: "stop" for an end token or stop string, "length" for any limit. */
    static String finishReason(FinishReason reason) {
        return reason == FinishReason.STOP ? "stop" : "length";
    }
}
