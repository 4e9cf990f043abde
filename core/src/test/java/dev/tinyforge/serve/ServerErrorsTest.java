package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The error paths over raw HTTP: every bad request gets a clear 4xx in its API's error shape, never a 500 or a hang. */
class ServerErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ServedModel model;
    private static ApiServer server;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        model = TestServers.tiny(dir, 5, 512);
        server = ApiServer.start(model, TestServers.options().withLimits(4096, Duration.ofMinutes(1), Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    static HttpResponse<String> send(String base, String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) b.headers(headers);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(server.baseUrl(), "POST", path, body);
    }

    /** The message of an OpenAI-shaped error, after checking the shape. */
    static String openAiError(HttpResponse<String> r, int status) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertTrue(error.get("message").isTextual(), r.body());
        assertTrue(error.get("type").isTextual(), r.body());
        assertTrue(error.has("param") && error.has("code"), r.body());
        return error.get("message").textValue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                 | {"messages": [                                                      | not valid JSON
            not an object            | [1, 2]                                                              | must be a JSON object
            empty body               |                                                                     | body is empty
            no messages              | {"model": "m"}                                                      | 'messages' is required
            messages not a list      | {"messages": "hi"}                                                  | 'messages' must be a list
            empty messages           | {"messages": []}                                                    | 'messages' is empty
            unknown role             | {"messages": [{"role": "robot", "content": "hi"}]}                  | 'messages[0].role' must be
            image content            | {"messages": [{"role": "user", "content": [{"type": "image_url"}]}]} | not supported yet
            max_tokens as text       | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": "9"} | 'max_tokens' must be an integer, got a string
            max_tokens fraction      | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 2.5} | 'max_tokens' must be an integer
            max_tokens zero          | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 0}   | 'max_tokens' must be between 1
            max_tokens absurd        | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 1000000000} | more than the context of 512
            max_tokens huge number   | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 1e400} | 'max_tokens'
            temperature as text      | {"messages": [{"role": "user", "content": "hi"}], "temperature": "hot"} | 'temperature' must be a number
            temperature too high     | {"messages": [{"role": "user", "content": "hi"}], "temperature": 7}  | 'temperature' must be between 0 and 2
            stop not strings         | {"messages": [{"role": "user", "content": "hi"}], "stop": [1]}       | 'stop' must be a string or a list
            stream not boolean       | {"messages": [{"role": "user", "content": "hi"}], "stream": "yes"}   | 'stream' must be true or false
            two choices              | {"messages": [{"role": "user", "content": "hi"}], "n": 2}            | more than one choice is not supported yet
            unknown format           | {"messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "xml"}} | expected text, json_object or json_schema
            unenforced schema        | {"messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "string", "pattern": "^a"}}}} | unsupported keyword 'pattern'
            schema missing           | {"messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "json_schema", "json_schema": {"name": "x"}}} | 'response_format.json_schema.schema' is missing
            tools                    | {"messages": [{"role": "user", "content": "hi"}], "tools": [{"type": "function"}]} | tool calling is not supported yet
            logprobs                 | {"messages": [{"role": "user", "content": "hi"}], "logprobs": true}  | logprobs is not supported yet
            deep nesting             | {"messages": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]} | not valid JSON
            """)
    void chatRequestsWithBadFieldsGet400(String name, String body, String message) throws Exception {
        String text = openAiError(post("/v1/chat/completions", body == null ? "" : body), 400);
        assertTrue(text.contains(message), name + ": " + text);
    }

    @Test
    void completionsRefuseWhatTheyCannotDo() throws Exception {
        assertTrue(openAiError(post("/v1/completions", "{\"prompt\": \"a\", \"echo\": true}"), 400).contains("echo"));
        assertTrue(openAiError(post("/v1/completions", "{\"prompt\": [\"a\", \"b\"]}"), 400).contains("several prompts"));
        assertTrue(openAiError(post("/v1/completions", "{\"prompt\": 5}"), 400).contains("'prompt' must be a string"));
        assertTrue(openAiError(post("/v1/completions", "{}"), 400).contains("'prompt' is required"));
    }

    @Test
    void promptsLongerThanTheContextAreRefused() throws Exception {
        String prompt = "word ".repeat(150); // 750 bytes: more than the 512-token context of the byte-level model
        String text = openAiError(post("/v1/completions", "{\"prompt\": \"" + prompt + "\"}"), 400);
        assertTrue(text.contains("the context holds 512"), text);
    }

    /**
     * A token limit within the context but beyond the room the prompt leaves, or none at all (Ollama's
     * num_predict -1), ends where the context does: finish reason "length", prompt and answer filling all
     * 512 tokens. Greedy, so the run is the same every time (this model does not pick EOS on the way).
     */
    @Test
    void askingForMoreThanTheContextLeavesStopsAtItsEnd() throws Exception {
        var r = post("/v1/completions", "{\"prompt\": \"hi\", \"max_tokens\": 512, \"temperature\": 0}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode reply = JSON.readTree(r.body());
        assertEquals("length", reply.get("choices").get(0).get("finish_reason").textValue(), r.body());
        assertEquals(512, reply.get("usage").get("total_tokens").intValue(), r.body());

        r = post("/api/generate", "{\"model\": \"m\", \"prompt\": \"hi\", \"raw\": true, \"options\": {\"temperature\": 0}}");
        assertEquals(200, r.statusCode(), r.body());
        String[] lines = r.body().strip().split("\n");
        JsonNode last = JSON.readTree(lines[lines.length - 1]);
        assertTrue(last.get("done").booleanValue(), r.body());
        assertEquals("length", last.get("done_reason").textValue(), r.body());
        // prompt_eval_count counts only the tokens evaluated, not a prefix a slot had cached: count the prompt here.
        int promptLength = model.tokenizer().encode("hi", true, true).length;
        assertEquals(512, promptLength + last.get("eval_count").intValue(), r.body());
    }

    @Test
    void ollamaErrorsUseOllamasShape() throws Exception {
        var r = post("/api/generate", "{\"model\": \"m\", \"prompt\": \"hi\", \"format\": {\"type\": \"integer\", \"multipleOf\": 2}}");
        assertEquals(400, r.statusCode());
        String error = JSON.readTree(r.body()).get("error").textValue();
        assertTrue(error.contains("unsupported keyword 'multipleOf'"), error);
        r = post("/api/generate", "{\"model\": \"m\", \"prompt\": \"hi\", \"format\": \"xml\"}");
        assertEquals(400, r.statusCode());
        error = JSON.readTree(r.body()).get("error").textValue();
        assertTrue(error.contains("'format' must be \"json\" or a JSON schema object"), error);
        r = post("/api/chat", "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + "\"options\": {\"num_predict\": \"many\"}}");
        assertEquals(400, r.statusCode());
        assertTrue(JSON.readTree(r.body()).get("error").textValue().contains("'options.num_predict' must be an integer"));
        r = post("/api/nothing", "{}");
        assertEquals(404, r.statusCode());
        assertTrue(JSON.readTree(r.body()).get("error").isTextual());
    }

    @Test
    void unknownPathsWrongMethodsAndLargeBodies() throws Exception {
        assertTrue(openAiError(send(server.baseUrl(), "GET", "/v1/nothing", null), 404).contains("/v1/nothing"));
        var r = send(server.baseUrl(), "GET", "/v1/chat/completions", null);
        assertTrue(openAiError(r, 405).contains("takes POST"));
        assertEquals("POST", r.headers().firstValue("Allow").orElseThrow());
        String big = "{\"prompt\": \"" + "a".repeat(5000) + "\"}";
        assertTrue(openAiError(post("/v1/completions", big), 413).contains("exceeds the limit of 4096 bytes"));
    }

    @Test
    void healthMetricsAndPredict() throws Exception {
        var health = send(server.baseUrl(), "GET", "/health", null);
        assertEquals(200, health.statusCode());
        assertEquals("ok", JSON.readTree(health.body()).get("status").textValue());

        var predict = post("/predict", "{\"text\": \"remind me to call mom\", \"max_tokens\": 8}");
        assertEquals(200, predict.statusCode(), predict.body());
        assertTrue(JSON.readTree(predict.body()).get("output").isTextual());
        assertTrue(openAiError(post("/predict", "{\"input\": \"x\"}"), 400).contains("'text' is required"));

        String metrics = send(server.baseUrl(), "GET", "/metrics", null).body();
        assertTrue(metrics.contains("# TYPE tinyforge_http_requests_total counter"), metrics);
        assertTrue(metrics.contains("tinyforge_http_requests_total{route=\"/predict\",code=\"200\"} "), metrics);
        assertTrue(metrics.contains("tinyforge_http_request_duration_seconds_bucket{route=\"/predict\",le=\"+Inf\"} "), metrics);
        assertTrue(metrics.contains("tinyforge_queue_depth 0"), metrics);
        assertTrue(metrics.contains("tinyforge_generations_total{reason=\"length\"} "), metrics);
        assertTrue(metrics.contains("tinyforge_time_to_first_token_seconds_count "), metrics);
        for (String line : metrics.split("\n")) {
            assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[^}]*\\})? [0-9.e+-]+"), "not Prometheus text: " + line);
        }
    }

    @Test
    void anApiKeyGuardsEverythingButHealth(@TempDir Path dir) throws Exception {
        try (ApiServer guarded = ApiServer.start(model, TestServers.options().withApiKey("s3cret"))) {
            String base = guarded.baseUrl();
            assertEquals(200, send(base, "GET", "/health", null).statusCode());
            assertTrue(openAiError(send(base, "GET", "/v1/models", null), 401).contains("API key"));
            openAiError(send(base, "GET", "/v1/models", null, "Authorization", "Bearer wrong"), 401);
            openAiError(send(base, "GET", "/metrics", null), 401);
            var ollama = send(base, "GET", "/api/tags", null);
            assertEquals(401, ollama.statusCode());
            assertTrue(JSON.readTree(ollama.body()).get("error").isTextual());
            assertEquals(200, send(base, "GET", "/v1/models", null, "Authorization", "Bearer s3cret").statusCode());
            var chat = send(base, "POST", "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                    + "\"max_tokens\": 3}", "Authorization", "Bearer s3cret");
            assertEquals(200, chat.statusCode(), chat.body());
            assertFalse(JSON.readTree(chat.body()).get("choices").isEmpty());
        }
    }
}
