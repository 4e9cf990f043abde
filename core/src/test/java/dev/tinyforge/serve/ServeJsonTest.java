package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tinyforge.generate.constraint.JsonGrammar;
import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.HfCheckpointWriter;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import dev.tinyforge.tokenizer.ByteTokenizerFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Constrained JSON output through the server: OpenAI's response_format (json_object, json_schema) with
 * the OpenAI SDK and raw HTTP, Ollama's format. A small byte-level model with near-flat random logits
 * sampled at temperature 1 writes varied JSON; every complete answer must parse, and validate.
 */
class ServeJsonTest {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS);
    private static final String SCHEMA = """
            {"type": "object", "properties": {
               "name": {"type": "string", "maxLength": 12},
               "age": {"type": "integer", "minimum": 0, "maximum": 120},
               "color": {"enum": ["red", "green", "blue"]},
               "tags": {"type": "array", "items": {"type": "boolean"}, "maxItems": 3}},
             "required": ["name", "age", "color"], "additionalProperties": false}""";
    @TempDir
    static Path dir;
    private static ServedModel model;
    private static ApiServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        ModelConfig config = new ModelConfig(Family.LLAMA, ByteTokenizerFiles.VOCAB_SIZE, 32, 64, 1, 2, 1, 16, 8192, 1e-5,
                10000, RopeScaling.NONE, false, false, Activation.SILU, 0f, false, 0);
        HfCheckpointWriter.write(config, RandomModels.weights(config, 7, 0.05), dir);
        ByteTokenizerFiles.write(dir);
        model = ServedModel.load(dir, null, 8192);
        server = ApiServer.start(model, TestServers.options());
        client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("unused").responseValidation(true)
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
        if (model != null) model.close();
    }

    @SuppressWarnings("deprecation") // OpenAI deprecated seed; the server still honours it
    private static ChatCompletionCreateParams.Builder chat(long seed, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(model.name()).addUserMessage("Answer in JSON.")
                .maxCompletionTokens(maxTokens).temperature(1.0).seed(seed);
    }

    @Test
    void jsonObjectModeGivesObjectsThroughTheSdk() throws Exception {
        for (long seed = 0; seed < 4; seed++) {
            var params = chat(seed, 6000).responseFormat(ResponseFormatJsonObject.builder().build()).build();
            ChatCompletion.Choice choice = client.chat().completions().create(params).choices().getFirst();
            String text = choice.message().content().orElseThrow();
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason(), text);
            assertTrue(STRICT.readTree(text).isObject(), text);
        }
    }

    @Test
    void jsonSchemaAnswersValidateThroughTheSdk() throws Exception {
        Map<String, Object> schema = STRICT.readValue(SCHEMA, Map.class);
        var properties = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        schema.forEach((k, v) -> properties.putAdditionalProperty(k, JsonValue.from(v)));
        var format = ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("person").strict(true).schema(properties.build()).build()).build();
        for (long seed = 0; seed < 5; seed++) {
            ChatCompletion.Choice choice = client.chat().completions().create(chat(seed, 6000).responseFormat(format).build())
                    .choices().getFirst();
            String text = choice.message().content().orElseThrow();
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason(), text);
            assertValidPerson(STRICT.readTree(text), text);
        }
    }

    private static ResponseFormatJsonSchema personFormat() throws Exception {
        Map<String, Object> schema = STRICT.readValue(SCHEMA, Map.class);
        var properties = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        schema.forEach((k, v) -> properties.putAdditionalProperty(k, JsonValue.from(v)));
        return ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("person").strict(true).schema(properties.build()).build()).build();
    }

    /** A streamed chat through the SDK: the joined deltas, then the finish reasons seen. */
    private static List<String> streamChat(ChatCompletionCreateParams params) {
        StringBuilder text = new StringBuilder();
        List<String> finishReasons = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                for (var choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(r -> finishReasons.add(r.asString()));
                }
            });
        }
        List<String> out = new ArrayList<>();
        out.add(text.toString());
        out.addAll(finishReasons);
        return out;
    }

    @Test
    void streamedJsonObjectModeJoinsToObjectsThroughTheSdk() throws Exception {
        for (long seed = 0; seed < 4; seed++) {
            var params = chat(seed, 6000).responseFormat(ResponseFormatJsonObject.builder().build())
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
            List<String> streamed = streamChat(params);
            String text = streamed.getFirst();
            assertEquals(List.of("stop"), streamed.subList(1, streamed.size()), text);
            assertTrue(STRICT.readTree(text).isObject(), text);
        }
    }

    @Test
    void streamedJsonSchemaAnswersValidateAndEqualTheWholeAnswers() throws Exception {
        var format = personFormat();
        for (long seed = 0; seed < 5; seed++) {
            List<String> streamed = streamChat(chat(seed, 6000).responseFormat(format).build());
            String text = streamed.getFirst();
            assertEquals(List.of("stop"), streamed.subList(1, streamed.size()), text);
            assertValidPerson(STRICT.readTree(text), text);
            String whole = client.chat().completions().create(chat(seed, 6000).responseFormat(format).build()).choices()
                    .getFirst().message().content().orElseThrow();
            assertEquals(whole, text, "seed " + seed + ": streamed and whole answers differ");
        }
    }

    /** The JSON events of a server-sent-event body, checking the framing: data lines, comments, [DONE] last. */
    private static List<JsonNode> events(String body) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        boolean done = false;
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith(":")) continue; // event separators, heartbeats
            assertTrue(line.startsWith("data: "), line);
            assertTrue(!done, "an event after [DONE]: " + line);
            String data = line.substring(6);
            if (data.equals("[DONE]")) {
                done = true;
            } else {
                events.add(STRICT.readTree(data));
            }
        }
        assertTrue(done, "no [DONE]: " + body);
        return events;
    }

    @Test
    void rawStreamedCompletionsAndChatWithASchema() throws Exception {
        for (int seed = 0; seed < 3; seed++) {
            String format = "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"p\", \"schema\": " + SCHEMA + "}}";
            String sampling = "\"max_tokens\": 6000, \"temperature\": 1.0, \"stream\": true, \"seed\": " + seed;
            var r = ServerErrorsTest.send(server.baseUrl(), "POST", "/v1/completions",
                    "{\"prompt\": \"person: \", " + sampling + ", " + format + "}");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
            StringBuilder text = new StringBuilder();
            List<String> reasons = new ArrayList<>();
            for (JsonNode e : events(r.body())) {
                JsonNode choice = e.get("choices").get(0);
                text.append(choice.get("text").textValue());
                if (!choice.get("finish_reason").isNull()) reasons.add(choice.get("finish_reason").textValue());
            }
            assertEquals(List.of("stop"), reasons, r.body());
            assertValidPerson(STRICT.readTree(text.toString()), text.toString());

            r = ServerErrorsTest.send(server.baseUrl(), "POST", "/v1/chat/completions",
                    "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], " + sampling + ", " + format + "}");
            assertEquals(200, r.statusCode(), r.body());
            text.setLength(0);
            reasons.clear();
            for (JsonNode e : events(r.body())) {
                JsonNode choice = e.get("choices").get(0);
                JsonNode content = choice.get("delta").get("content");
                if (content != null && !content.isNull()) text.append(content.textValue());
                if (!choice.get("finish_reason").isNull()) reasons.add(choice.get("finish_reason").textValue());
            }
            assertEquals(List.of("stop"), reasons, r.body());
            assertValidPerson(STRICT.readTree(text.toString()), text.toString());
        }
    }

    /** Ollama's streamed lines (heartbeat spaces allowed before a line): the joined text; the last line is done with "stop". */
    private static String ollamaStream(String path, String body, boolean chat) throws Exception {
        var r = ServerErrorsTest.send(server.baseUrl(), "POST", path, body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/x-ndjson", r.headers().firstValue("Content-Type").orElseThrow());
        String[] lines = r.body().strip().split("\n");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            JsonNode line = STRICT.readTree(lines[i]);
            assertEquals(i == lines.length - 1, line.get("done").booleanValue(), r.body());
            text.append(chat ? line.get("message").get("content").textValue() : line.get("response").textValue());
        }
        assertEquals("stop", STRICT.readTree(lines[lines.length - 1]).get("done_reason").textValue(), r.body());
        return text.toString();
    }

    @Test
    void ollamaStreamedFormatJsonAndSchema() throws Exception {
        for (int seed = 0; seed < 3; seed++) {
            String options = "\"options\": {\"temperature\": 1.0, \"seed\": " + seed + ", \"num_predict\": 6000}";
            String text = ollamaStream("/api/generate", "{\"model\": \"m\", \"prompt\": \"hi\", \"format\": \"json\", "
                    + options + "}", false);
            assertTrue(STRICT.readTree(text).isObject(), text);
            text = ollamaStream("/api/chat", "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                    + "\"format\": " + SCHEMA + ", " + options + "}", true);
            assertValidPerson(STRICT.readTree(text), text);
        }
    }

    @Test
    void vocabularyTablesAreBuiltWhenTheServerStarts(@TempDir Path other) throws Exception {
        try (ServedModel fresh = TestServers.tiny(other, 3, 64)) {
            assertFalse(JsonGrammar.prepared(fresh.tokenizer()));
            try (ApiServer s = ApiServer.start(fresh, TestServers.options())) {
                s.jsonTablesReady().get(30, TimeUnit.SECONDS);
                assertTrue(JsonGrammar.prepared(fresh.tokenizer()), "built before any JSON request");
            }
        }
    }

    /**
     * This model has no chat template, so chat replies stop at the text of ChatML's end marker; a value that
     * holds that text (here the only one the schema allows) must still come out whole, streamed or not.
     */
    @Test
    void theTemplatesEndMarkerInsideAValueDoesNotCutIt() throws Exception {
        String schema = "{\"type\": \"object\", \"properties\": {\"end\": {\"enum\": [\"<|im_end|>\"]}}, "
                + "\"required\": [\"end\"], \"additionalProperties\": false}";
        for (String stream : new String[] {"false", "true"}) {
            var r = ServerErrorsTest.send(server.baseUrl(), "POST", "/v1/chat/completions", "{\"messages\": [{\"role\": "
                    + "\"user\", \"content\": \"hi\"}], \"seed\": 1, \"max_tokens\": 200, \"stream\": " + stream
                    + ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"e\", \"schema\": " + schema + "}}}");
            assertEquals(200, r.statusCode(), r.body());
            String text;
            if (stream.equals("true")) {
                StringBuilder joined = new StringBuilder();
                for (JsonNode e : events(r.body())) {
                    JsonNode content = e.get("choices").get(0).get("delta").get("content");
                    if (content != null && !content.isNull()) joined.append(content.textValue());
                }
                text = joined.toString();
            } else {
                text = STRICT.readTree(r.body()).get("choices").get(0).get("message").get("content").textValue();
            }
            assertEquals("<|im_end|>", STRICT.readTree(text).get("end").textValue(), text);
        }
        var r = ServerErrorsTest.send(server.baseUrl(), "POST", "/api/chat", "{\"model\": \"m\", \"messages\": [{\"role\": "
                + "\"user\", \"content\": \"hi\"}], \"stream\": false, \"format\": " + schema + "}");
        assertEquals(200, r.statusCode(), r.body());
        String text = STRICT.readTree(r.body()).get("message").get("content").textValue();
        assertEquals("<|im_end|>", STRICT.readTree(text).get("end").textValue(), text);
    }

    @Test
    void cutShortByMaxTokensIsLength() {
        var params = chat(1, 3).responseFormat(ResponseFormatJsonObject.builder().build()).build();
        ChatCompletion.Choice choice = client.chat().completions().create(params).choices().getFirst();
        assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, choice.finishReason());
        assertTrue(choice.message().content().orElseThrow().startsWith("{"), choice.message().content().orElseThrow());
    }

    @Test
    void aSchemaThatCannotBeEnforcedIsABadRequest() {
        var format = ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("x")
                .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("string"))
                        .putAdditionalProperty("pattern", JsonValue.from("^a")).build()).build()).build();
        var e = assertThrows(BadRequestException.class, () -> client.chat().completions().create(chat(0, 5).responseFormat(format).build()));
        assertTrue(e.getMessage().contains("unsupported keyword 'pattern'"), e.getMessage());
        assertEquals("response_format.json_schema.schema", e.param().orElseThrow());
    }

    @Test
    void rawCompletionsWithASchema() throws Exception {
        for (int seed = 0; seed < 3; seed++) {
            String body = "{\"prompt\": \"person: \", \"max_tokens\": 6000, \"temperature\": 1.0, \"seed\": " + seed
                    + ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"p\", \"schema\": " + SCHEMA + "}}}";
            var r = ServerErrorsTest.send(server.baseUrl(), "POST", "/v1/completions", body);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode choice = STRICT.readTree(r.body()).get("choices").get(0);
            assertEquals("stop", choice.get("finish_reason").textValue(), r.body());
            String text = choice.get("text").textValue();
            assertValidPerson(STRICT.readTree(text), text);
        }
    }

    @Test
    void ollamaFormatJsonAndSchema() throws Exception {
        for (int seed = 0; seed < 3; seed++) {
            String options = "\"options\": {\"temperature\": 1.0, \"seed\": " + seed + ", \"num_predict\": 6000}";
            var r = ServerErrorsTest.send(server.baseUrl(), "POST", "/api/generate", "{\"model\": \"m\", \"prompt\": \"hi\", "
                    + "\"stream\": false, \"format\": \"json\", " + options + "}");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode reply = STRICT.readTree(r.body());
            assertEquals("stop", reply.get("done_reason").textValue(), r.body());
            assertTrue(STRICT.readTree(reply.get("response").textValue()).isObject(), r.body());

            r = ServerErrorsTest.send(server.baseUrl(), "POST", "/api/chat", "{\"model\": \"m\", \"messages\": [{\"role\": "
                    + "\"user\", \"content\": \"hi\"}], \"stream\": false, \"format\": " + SCHEMA + ", " + options + "}");
            assertEquals(200, r.statusCode(), r.body());
            reply = STRICT.readTree(r.body());
            assertEquals("stop", reply.get("done_reason").textValue(), r.body());
            String text = reply.get("message").get("content").textValue();
            assertValidPerson(STRICT.readTree(text), text);
        }
    }

    /** The schema's rules, checked directly: required keys, types, bounds, the enum, nothing else. */
    private static void assertValidPerson(JsonNode v, String text) {
        assertTrue(v.isObject(), text);
        assertTrue(v.get("name").isTextual() && v.get("name").textValue().codePointCount(0, v.get("name").textValue().length()) <= 12, text);
        assertTrue(v.get("age").canConvertToExactIntegral() && v.get("age").asLong() >= 0 && v.get("age").asLong() <= 120, text);
        assertTrue(Set.of("red", "green", "blue").contains(v.get("color").textValue()), text);
        if (v.has("tags")) {
            assertTrue(v.get("tags").isArray() && v.get("tags").size() <= 3, text);
            v.get("tags").forEach(t -> assertTrue(t.isBoolean(), text));
        }
        v.fieldNames().forEachRemaining(k -> assertTrue(Set.of("name", "age", "color", "tags").contains(k), text));
    }
}
