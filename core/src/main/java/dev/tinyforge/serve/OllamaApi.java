package dev.tinyforge.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.generate.constraint.Grammar;
import dev.tinyforge.generate.constraint.JsonGrammar;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelSummary;
import dev.tinyforge.util.BadInputException;
import dev.tinyforge.util.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ollama's API: {@code /api/version}, {@code /api/tags}, {@code /api/show}, and {@code /api/generate} and
 * {@code /api/chat}, streamed as JSON lines unless {@code "stream": false}, with Ollama's {@code options}.
 * The model name in a request is not checked: one model is served. {@code /api/generate} applies the
 * chat template unless {@code raw} (a model without one gets the prompt as it is, as Ollama's default
 * template does).
 */
final class OllamaApi {
    private final Backend backend;

    OllamaApi(Backend backend) {
        this.backend = backend;
    }

    void version(Call call) throws IOException {
        call.sendJson(200, new OllamaJson.Version(Version.get()));
    }

    void tags(Call call) throws IOException {
        ServedModel m = backend.model;
        String name = m.name() + ":latest";
        call.sendJson(200, new OllamaJson.Tags(List.of(new OllamaJson.TagModel(name, name, m.modified().toString(),
                m.sizeBytes(), digest(m), details(m)))));
    }

    void show(Call call) throws IOException {
        JsonFields f = new JsonFields(HttpIo.parseObject(call.requestBody()));
        if (f.string("model", f.string("name", null)) == null) throw ApiException.badField("model", "is required");
        ServedModel m = backend.model;
        ModelConfig c = m.transformer().config();
        String arch = c.family().ggufArchitecture();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("general.architecture", arch);
        info.put("general.parameter_count", c.parameterCount());
        info.put(arch + ".context_length", c.contextLength());
        info.put(arch + ".embedding_length", c.hiddenSize());
        info.put(arch + ".feed_forward_length", c.intermediateSize());
        info.put(arch + ".block_count", c.layers());
        info.put(arch + ".attention.head_count", c.heads());
        info.put(arch + ".attention.head_count_kv", c.kvHeads());
        info.put(arch + ".vocab_size", c.vocabSize());
        String template = m.chatPrompt().isFallback() ? "" : m.chatPrompt().template().source();
        String parameters = "num_ctx " + backend.contextLength();
        call.sendJson(200, new OllamaJson.Show("", "# served by TinyForge from " + m.source()
                + (m.adapter() == null ? "" : " with the adapter of " + m.adapter()), parameters, template, details(m), info,
                List.of("completion"), m.modified().toString()));
    }

    void generate(Call call) throws IOException {
        JsonFields f = new JsonFields(HttpIo.parseObject(call.requestBody()));
        Grammar grammar = common(f);
        if (!f.string("suffix", "").isEmpty()) throw ApiException.notSupported("suffix", "suffix (fill in the middle)");
        if (!f.string("template", "").isEmpty()) throw ApiException.notSupported("template", "a request's own template");
        nonEmptyList(f, "context", "context from an earlier response");
        nonEmptyList(f, "images", "images");
        String prompt = f.string("prompt", "");
        String system = f.string("system", null);
        boolean raw = f.bool("raw", false);
        boolean stream = f.bool("stream", true);
        Options o = options(f);
        if (prompt.isEmpty() && system == null) {
            // Ollama's way to load a model: an empty prompt answers at once.
            var done = new OllamaJson.Generate(backend.model.name(), OllamaJson.now(), "", true, "load", null, null, null,
                    null, null, null);
            call.sendJson(200, done);
            return;
        }
        int[] ids;
        boolean templated = !raw && !backend.model.chatPrompt().isFallback();
        if (templated) {
            List<Map<String, Object>> messages = new ArrayList<>();
            if (system != null) messages.add(message("system", system));
            messages.add(message("user", prompt));
            ids = backend.chatPrompt(messages);
        } else {
            if (system != null && !raw) {
                throw ApiException.badField("system", "needs a chat template, and this model has none (send the whole "
                        + "prompt with raw, or use /api/chat)");
            }
            ids = backend.textPrompt(prompt);
        }
        int maxTokens = backend.maxTokens("options.num_predict", o.numPredict(), ids.length);
        Generation g = backend.submit(ids, o.sampling(), maxTokens, templated ? backend.chatStops(o.stop(), grammar) : o.stop(),
                templated ? backend.chatStopIds() : backend.textStopIds(), grammar);
        answer(call, g, stream, false);
    }

    void chat(Call call) throws IOException {
        JsonFields f = new JsonFields(HttpIo.parseObject(call.requestBody()));
        Grammar grammar = common(f);
        nonEmptyList(f, "tools", "tool calling");
        boolean stream = f.bool("stream", true);
        Options o = options(f);
        JsonNode list = f.raw("messages");
        if (list == null || list.isArray() && list.isEmpty()) {
            // Ollama's way to load a model: no messages answer at once.
            call.sendJson(200, new OllamaJson.Chat(backend.model.name(), OllamaJson.now(),
                    new OllamaJson.Message("assistant", ""), true, "load", null, null, null, null, null, null));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            if (m.isObject()) {
                JsonFields mf = new JsonFields((ObjectNode) m, "messages[" + i + "].");
                nonEmptyList(mf, "images", "images");
                nonEmptyList(mf, "tool_calls", "tool calling");
            }
        }
        List<Map<String, Object>> messages = OpenAiApi.messages(f);
        int[] ids = backend.chatPrompt(messages);
        int maxTokens = backend.maxTokens("options.num_predict", o.numPredict(), ids.length);
        Generation g = backend.submit(ids, o.sampling(), maxTokens, backend.chatStops(o.stop(), grammar), backend.chatStopIds(), grammar);
        answer(call, g, stream, true);
    }

    private void answer(Call call, Generation g, boolean stream, boolean chat) throws IOException {
        String model = backend.model.name();
        if (stream) {
            Replies.stream(call, g, new OllamaEvents(model, chat), backend.options.heartbeat());
            return;
        }
        Outcome o = Replies.await(call, g, backend.options.heartbeat());
        if (!o.reason().answered()) {
            Replies.sendWhole(call, Replies.failureStatus(o), new OllamaJson.Error(Replies.failureMessage(o)));
            return;
        }
        var stats = OllamaJson.Stats.of(o);
        Replies.sendWhole(call, 200, chat ? OllamaJson.chatDone(model, o.text(), stats)
                : OllamaJson.generateDone(model, o.text(), stats));
    }

    /**
     * Checks the fields both generation endpoints share and returns the grammar of {@code format}: null
     * for free text, one JSON object for {@code "json"} (as Ollama), the schema for a schema object. Thinking
     * is refused.
     */
    private static Grammar common(JsonFields f) {
        f.string("model", null);
        JsonNode think = f.raw("think");
        if (think != null && !(think.isBoolean() && !think.booleanValue())) {
            throw ApiException.notSupported("think", "thinking");
        }
        JsonNode format = f.raw("format");
        if (format == null || format.isNull() || (format.isTextual() && format.textValue().isEmpty())) return null;
        if (format.isTextual() && format.textValue().equals("json")) return JsonGrammar.anyObject();
        if (format.isObject()) {
            try {
                return JsonGrammar.fromSchema("format", format);
            } catch (BadInputException e) {
                throw new ApiException(400, e.getMessage(), "format");
            }
        }
        throw f.wrongType("format", "\"json\" or a JSON schema object", format);
    }

    private static void nonEmptyList(JsonFields f, String field, String what) {
        JsonNode v = f.raw(field);
        if (v == null) return;
        if (!v.isArray() || !v.isEmpty()) throw ApiException.notSupported(field, what);
    }

    /** Sampling and limits from {@code options}, with Ollama's defaults. */
    private record Options(SamplingParams sampling, Long numPredict, List<String> stop) {}

    private Options options(JsonFields top) {
        ObjectNode node = top.object("options");
        JsonFields f = new JsonFields(node == null ? HttpIo.JSON.createObjectNode() : node, "options.");
        double temperature = f.number("temperature", 0.8, 0, 100);
        int topK = (int) f.integer("top_k", 40, 0, Integer.MAX_VALUE);
        double topP = f.number("top_p", 0.9, Double.MIN_VALUE, 1);
        double minP = f.number("min_p", 0, 0, 0.999999);
        double repeat = f.number("repeat_penalty", 1.1, 1e-6, 100);
        long lastN = f.integer("repeat_last_n", 64, -1, Integer.MAX_VALUE);
        int window = (int) (lastN == -1 ? backend.contextLength() : lastN);
        double presence = f.number("presence_penalty", 0, -100, 100);
        double frequency = f.number("frequency_penalty", 0, -100, 100);
        long seed = f.has("seed") ? f.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : Backend.randomSeed();
        f.integer("num_ctx", 0, 0, Integer.MAX_VALUE); // the context is set when the server starts
        long predict = f.integer("num_predict", -1, -2, Long.MAX_VALUE);
        // -1: no limit, -2: fill the context; both end when the context is full.
        Long numPredict = predict < 0 ? null : predict;
        var sampling = Backend.sampling(temperature, topK, topP, minP, repeat, frequency, presence, window, seed);
        return new Options(sampling, numPredict, f.strings("stop", 16));
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    private static OllamaJson.Details details(ServedModel m) {
        ModelSummary s = m.summary();
        String family = m.transformer().config().family().ggufArchitecture();
        String quantization = s.tensorTypes().entrySet().stream()
                .max(Map.Entry.comparingByValue((a, b) -> Long.compare(a.bytes(), b.bytes())))
                .map(Map.Entry::getKey).orElse("");
        return new OllamaJson.Details("", s.format() == dev.tinyforge.model.LoadedModel.Format.GGUF ? "gguf" : "safetensors",
                family, List.of(family), parameterSize(m.transformer().config().parameterCount()), quantization);
    }

    static String parameterSize(long n) {
        if (n >= 1_000_000_000) return String.format(Locale.ROOT, "%.1fB", n / 1e9);
        if (n >= 1_000_000) return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }

    /**
     * Ollama's digest names a manifest, not the weights; ours names what is served (files, sizes and
     * modification times), so it changes when the model or adapter does, without hashing gigabytes.
     */
    private static String digest(ServedModel m) {
        String identity = m.source().toAbsolutePath() + "|" + m.sizeBytes() + "|" + m.modified()
                + (m.adapter() == null ? "" : "|" + m.adapter().toAbsolutePath());
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
