package dev.tinyforge.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.generate.constraint.Grammar;
import dev.tinyforge.generate.constraint.JsonGrammar;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * OpenAI's API: {@code GET /v1/models}, {@code POST /v1/chat/completions} and {@code POST /v1/completions},
 * streamed as server-sent events ending in {@code data: [DONE]}, with usage. One choice per request
 * ({@code n} 1); {@code response_format} json_object and json_schema constrain decoding to JSON (valid against
 * the schema); fields that would change the answer and are not built (tools, logprobs,
 * logit_bias, echo, suffix) are refused with a 400 that says so rather than ignored.
 */
final class OpenAiApi {
    /** OpenAI refuses more than 4 stop sequences; a few more cost nothing here. */
    private static final int MAX_STOPS = 16;

    private final Backend backend;

    OpenAiApi(Backend backend) {
        this.backend = backend;
    }

    void models(Call call) throws IOException {
        long created = backend.model.modified().getEpochSecond();
        call.sendJson(200, new OpenAiJson.ModelList("list",
                List.of(new OpenAiJson.ModelCard(backend.model.name(), "model", created, "tinyforge"))));
    }

    /** The fields chat and text completions share. */
    private record Common(SamplingParams sampling, Long maxTokens, String maxTokensField, List<String> stop, boolean stream,
                          boolean includeUsage) {}

    /** @param defaultMaxTokens the limit when the request sets none; null: what the context leaves */
    private Common common(JsonFields f, Long defaultMaxTokens) {
        if (f.integer("n", 1, 1, Integer.MAX_VALUE) != 1) throw ApiException.notSupported("n", "more than one choice");
        if (f.bool("logprobs", false) || f.has("top_logprobs")) throw ApiException.notSupported("logprobs", "logprobs");
        ObjectNode bias = f.object("logit_bias");
        if (bias != null && !bias.isEmpty()) throw ApiException.notSupported("logit_bias", "logit_bias");
        String maxField = f.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        Long maxTokens = f.has(maxField) ? Long.valueOf(f.integer(maxField, 0, 1, Long.MAX_VALUE)) : defaultMaxTokens;
        double temperature = f.number("temperature", 1, 0, 2);
        double topP = f.number("top_p", 1, Double.MIN_VALUE, 1);
        // llama.cpp's server takes these too; OpenAI clients just do not send them.
        int topK = (int) f.integer("top_k", 0, 0, Integer.MAX_VALUE);
        double minP = f.number("min_p", 0, 0, 0.999999);
        double repeat = f.number("repeat_penalty", 1, 1e-6, 100);
        double frequency = f.number("frequency_penalty", 0, -2, 2);
        double presence = f.number("presence_penalty", 0, -2, 2);
        long seed = f.has("seed") ? f.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : Backend.randomSeed();
        List<String> stop = f.strings("stop", MAX_STOPS);
        boolean stream = f.bool("stream", false);
        ObjectNode streamOptions = f.object("stream_options");
        boolean usage = streamOptions != null && new JsonFields(streamOptions, "stream_options.").bool("include_usage", false);
        var sampling = Backend.sampling(temperature, topK, topP, minP, repeat, frequency, presence, 64, seed);
        return new Common(sampling, maxTokens, maxField, stop, stream, usage);
    }

    void chat(Call call) throws IOException {
        JsonFields f = new JsonFields(HttpIo.parseObject(call.requestBody()));
        f.string("model", null);
        Grammar grammar = responseFormat(f);
        JsonNode tools = f.raw("tools");
        if (tools != null && (!tools.isArray() || !tools.isEmpty())) throw ApiException.notSupported("tools", "tool calling");
        if (f.has("functions")) throw ApiException.notSupported("functions", "function calling");
        List<Map<String, Object>> messages = messages(f);
        Common c = common(f, null);
        int[] prompt = backend.chatPrompt(messages);
        int maxTokens = backend.maxTokens(c.maxTokensField(), c.maxTokens(), prompt.length);
        Generation g = backend.submit(prompt, c.sampling(), maxTokens, backend.chatStops(c.stop(), grammar), backend.chatStopIds(), grammar);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        String model = backend.model.name();
        if (c.stream()) {
            Replies.stream(call, g, new ChatEvents(id, created, model, c.includeUsage()), backend.options.heartbeat());
            return;
        }
        Outcome o = answered(call, g);
        if (o == null) return;
        var choice = new OpenAiJson.ChatChoice(0, new OpenAiJson.AssistantMessage("assistant", o.text(), null), null,
                OpenAiJson.finishReason(o.reason()));
        Replies.sendWhole(call, 200, new OpenAiJson.ChatCompletion(id, "chat.completion", created, model, List.of(choice),
                OpenAiJson.Usage.of(o)));
    }

    void completions(Call call) throws IOException {
        JsonFields f = new JsonFields(HttpIo.parseObject(call.requestBody()));
        f.string("model", null);
        if (f.bool("echo", false)) throw ApiException.notSupported("echo", "echo");
        if (!f.string("suffix", "").isEmpty()) throw ApiException.notSupported("suffix", "suffix (fill in the middle)");
        if (f.integer("best_of", 1, 1, Integer.MAX_VALUE) != 1) throw ApiException.notSupported("best_of", "best_of");
        Grammar grammar = responseFormat(f);
        String text = promptText(f);
        Common c = common(f, 16L); // OpenAI's default for this endpoint
        int[] prompt = backend.textPrompt(text);
        int maxTokens = backend.maxTokens(c.maxTokensField(), c.maxTokens(), prompt.length);
        Generation g = backend.submit(prompt, c.sampling(), maxTokens, c.stop(), backend.textStopIds(), grammar);
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        String model = backend.model.name();
        if (c.stream()) {
            Replies.stream(call, g, new CompletionEvents(id, created, model, c.includeUsage()), backend.options.heartbeat());
            return;
        }
        Outcome o = answered(call, g);
        if (o == null) return;
        var choice = new OpenAiJson.CompletionChoice(o.text(), 0, null, OpenAiJson.finishReason(o.reason()));
        Replies.sendWhole(call, 200, new OpenAiJson.Completion(id, "text_completion", created, model, List.of(choice),
                OpenAiJson.Usage.of(o)));
    }

    /** Waits for the whole answer; when there is none, sends OpenAI's error shape and returns null. */
    private Outcome answered(Call call, Generation g) throws IOException {
        Outcome o = Replies.await(call, g, backend.options.heartbeat());
        if (o.reason().answered()) return o;
        Replies.sendWhole(call, Replies.failureStatus(o), OpenAiJson.ErrorBody.of(new ApiException(Replies.failureStatus(o),
                Replies.failureMessage(o), null)));
        return null;
    }

    /**
     * The grammar of {@code response_format}: null for text, any JSON object for {@code json_object}, the
     * schema for {@code json_schema} (always enforced, whatever {@code strict} says). A schema the compiler
     * cannot enforce is a 400 naming the keyword and where it is.
     */
    private static Grammar responseFormat(JsonFields f) {
        ObjectNode format = f.object("response_format");
        if (format == null) return null;
        JsonFields ff = new JsonFields(format, "response_format.");
        String type = ff.string("type", "text");
        switch (type) {
            case "text":
                return null;
            case "json_object":
                return JsonGrammar.anyObject();
            case "json_schema": {
                ObjectNode spec = ff.object("json_schema");
                if (spec == null) throw ApiException.badField("response_format.json_schema", "is missing; expected {\"name\": ..., \"schema\": {...}}");
                JsonFields sf = new JsonFields(spec, "response_format.json_schema.");
                sf.string("name", null);
                sf.string("description", null);
                sf.bool("strict", false);
                ObjectNode schema = sf.object("schema");
                if (schema == null) throw ApiException.badField("response_format.json_schema.schema", "is missing; expected a JSON schema object");
                try {
                    return JsonGrammar.fromSchema("response_format.json_schema.schema", schema);
                } catch (BadInputException e) {
                    throw new ApiException(400, e.getMessage(), "response_format.json_schema.schema");
                }
            }
            default:
                throw ApiException.badField("response_format.type", "is " + type + "; expected text, json_object or json_schema");
        }
    }

    /** The prompt: a string, or a list holding one string. */
    private static String promptText(JsonFields f) {
        JsonNode p = f.raw("prompt");
        if (p == null) throw ApiException.badField("prompt", "is required");
        if (p.isTextual()) return p.textValue();
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) return p.get(0).textValue();
        if (p.isArray() && p.size() > 1) throw ApiException.notSupported("prompt", "a batch of several prompts");
        throw f.wrongType("prompt", "a string", p);
    }

    /** The messages as the chat template reads them; text parts of a content list are joined. */
    static List<Map<String, Object>> messages(JsonFields f) {
        JsonNode list = f.raw("messages");
        if (list == null) throw ApiException.badField("messages", "is required");
        if (!list.isArray()) throw f.wrongType("messages", "a list of messages", list);
        if (list.isEmpty()) throw ApiException.badField("messages", "is empty");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject()) throw ApiException.badField(where, "must be an object with role and content");
            JsonFields mf = new JsonFields((ObjectNode) m, where + ".");
            String role = mf.string("role", null);
            if (role == null) throw ApiException.badField(where + ".role", "is required");
            if (role.equals("developer")) role = "system"; // OpenAI's newer name for the system role
            if (!Set.of("system", "user", "assistant", "tool").contains(role)) {
                throw ApiException.badField(where + ".role", "must be system, developer, user, assistant or tool, got \""
                        + role + "\"");
            }
            JsonNode toolCalls = mf.raw("tool_calls");
            if (toolCalls != null && !(toolCalls.isArray() && toolCalls.isEmpty())) {
                throw ApiException.notSupported(where + ".tool_calls", "tool calling");
            }
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", role);
            message.put("content", content(mf, where + ".content"));
            out.add(message);
        }
        return out;
    }

    private static String content(JsonFields mf, String where) {
        JsonNode c = mf.raw("content");
        if (c == null) return "";
        if (c.isTextual()) return c.textValue();
        if (!c.isArray()) throw mf.wrongType("content", "a string or a list of content parts", c);
        StringBuilder text = new StringBuilder();
        for (JsonNode part : c) {
            if (!part.isObject()) throw ApiException.badField(where, "parts must be objects like {\"type\": \"text\", \"text\": ...}");
            JsonFields pf = new JsonFields((ObjectNode) part, where + "[].");
            String type = pf.string("type", null);
            if (!"text".equals(type)) throw ApiException.notSupported(where, "content of type " + type + " (text only)");
            if (!text.isEmpty()) text.append('\n');
            text.append(pf.string("text", ""));
        }
        return text.toString();
    }
}
