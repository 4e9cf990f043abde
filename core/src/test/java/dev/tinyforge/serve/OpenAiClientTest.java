package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK against the server (stories260K), with the SDK's response validation
 * on: every field it requires is there with the right type. Greedy answers must equal what the
 * library's own {@link Generator} produces for the same prompt.
 */
class OpenAiClientTest {
    private static ServedModel model;
    private static ApiServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws IOException {
        model = TestServers.stories(256);
        server = ApiServer.start(model, TestServers.chattyHeartbeats());
        client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("unused").responseValidation(true)
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
        if (model != null) model.close();
    }

    private static String expectedChat(String user, int maxTokens) {
        int[] ids = model.chatPrompt().encode(List.of(Map.of("role", "user", "content", user)));
        var request = new Generator.Request(ids, SamplingParams.greedy(), maxTokens, model.chatPrompt().stopStrings(),
                model.chatPrompt().stopIds());
        return new Generator(model.transformer(), model.tokenizer()).generate(request, t -> {}).text();
    }

    @SuppressWarnings("deprecation") // OpenAI deprecated seed; the server still honours it
    private static ChatCompletionCreateParams greedyChat(String user, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(model.name()).addUserMessage(user).maxCompletionTokens(maxTokens)
                .temperature(0).seed(7).build();
    }

    @Test
    void listsTheModel() {
        List<Model> models = client.models().list().data();
        assertEquals(1, models.size());
        assertEquals(model.name(), models.getFirst().id());
    }

    @Test
    void chatCompletionIsTheGreedyGeneration() {
        ChatCompletion completion = client.chat().completions().create(greedyChat("Tell me a story.", 24));
        completion.validate();
        String text = completion.choices().getFirst().message().content().orElseThrow();
        assertEquals(expectedChat("Tell me a story.", 24), text);
        assertFalse(text.isBlank());
        var usage = completion.usage().orElseThrow();
        assertEquals(24, usage.completionTokens());
        assertEquals(usage.promptTokens() + 24, usage.totalTokens());
        assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, completion.choices().getFirst().finishReason());
    }

    @Test
    void streamedChatJoinsToTheSameText() {
        var params = greedyChat("Once upon a time", 30).toBuilder()
                .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        StringBuilder text = new StringBuilder();
        List<String> finishReasons = new ArrayList<>();
        long[] completionTokens = {-1};
        int[] chunks = {0};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunks[0]++;
                for (var choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(r -> finishReasons.add(r.asString()));
                }
                chunk.usage().ifPresent(u -> completionTokens[0] = u.completionTokens());
            });
        }
        assertEquals(expectedChat("Once upon a time", 30), text.toString());
        assertEquals(List.of("length"), finishReasons);
        assertEquals(30, completionTokens[0]);
        assertTrue(chunks[0] > 10, "streamed in pieces, got " + chunks[0] + " chunks");
    }

    @Test
    void textCompletionContinuesThePrompt() {
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(CompletionCreateParams.Model.of(model.name())).prompt("Once upon a time").maxTokens(20)
                .temperature(0).stop("\n").build());
        completion.validate();
        int[] ids = model.tokenizer().encode("Once upon a time", true, true);
        String expected = new Generator(model.transformer(), model.tokenizer()).generate(new Generator.Request(ids,
                SamplingParams.greedy(), 20, List.of("\n"), java.util.Set.of(model.tokenizer().eos())), t -> {}).text();
        assertEquals(expected, completion.choices().getFirst().text());
        assertTrue(expected.startsWith(", there was"), expected);
    }

    @Test
    @SuppressWarnings("deprecation")
    void seededSamplingRepeats() {
        var params = greedyChat("Hello", 20).toBuilder().temperature(1.0).topP(0.9).seed(1234).build();
        String a = client.chat().completions().create(params).choices().getFirst().message().content().orElseThrow();
        String b = client.chat().completions().create(params).choices().getFirst().message().content().orElseThrow();
        assertEquals(a, b);
    }
}
