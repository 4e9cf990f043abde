package dev.tinyforge.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The response bodies of the Ollama-compatible API, named as Ollama names them. */
final class OllamaJson {
    private OllamaJson() {}

    record Version(String version) {}

    record Tags(List<TagModel> models) {}

    record TagModel(String name, String model, String modifiedAt, long size, String digest, Details details) {}

    record Details(String parentModel, String format, String family, List<String> families, String parameterSize,
                   String quantizationLevel) {}

    record Show(String license, String modelfile, String parameters, String template, Details details,
                Map<String, Object> modelInfo, List<String> capabilities, String modifiedAt) {}

    /** A line of a streamed {@code /api/generate}, or its whole answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Generate(String model, String createdAt, String response, boolean done, String doneReason, Long totalDuration,
                    Long loadDuration, Integer promptEvalCount, Long promptEvalDuration, Integer evalCount,
                    Long evalDuration) {}

    /** A line of a streamed {@code /api/chat}, or its whole answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Chat(String model, String createdAt, Message message, boolean done, String doneReason, Long totalDuration,
                Long loadDuration, Integer promptEvalCount, Long promptEvalDuration, Integer evalCount, Long evalDuration) {}

    record Message(String role, String content) {}

    record Error(String error) {}

    static String now() {
        return Instant.now().toString();
    }

    /** Ollama's done reasons: "stop", or "length" for any limit. */
    static String doneReason(FinishReason reason) {
        return reason == FinishReason.STOP ? "stop" : "length";
    }

    /** The statistics of a final line; the prompt count is the tokens evaluated, without a cached prefix (as Ollama counts). */
    record Stats(String doneReason, long total, int promptCount, long promptNanos, int evalCount, long evalNanos) {
        static Stats of(Outcome o) {
            return new Stats(OllamaJson.doneReason(o.reason()), o.totalNanos(), o.evaluatedPromptTokens(), o.promptNanos(), o.generatedTokens(),
                    o.generateNanos());
        }
    }

    static Generate generateDone(String model, String response, Stats s) {
        return new Generate(model, now(), response, true, s.doneReason(), s.total(), 0L, s.promptCount(), s.promptNanos(),
                s.evalCount(), s.evalNanos());
    }

    static Chat chatDone(String model, String content, Stats s) {
        return new Chat(model, now(), new Message("assistant", content), true, s.doneReason(), s.total(), 0L, s.promptCount(),
                s.promptNanos(), s.evalCount(), s.evalNanos());
    }
}
