package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.util.Version;
import io.github.ollama4j.Ollama;
import io.github.ollama4j.models.chat.OllamaChatMessageRole;
import io.github.ollama4j.models.chat.OllamaChatRequest;
import io.github.ollama4j.models.chat.OllamaChatResult;
import io.github.ollama4j.models.generate.OllamaGenerateRequest;
import io.github.ollama4j.models.generate.OllamaGenerateStreamObserver;
import io.github.ollama4j.models.response.Model;
import io.github.ollama4j.models.request.ThinkMode;
import io.github.ollama4j.models.response.OllamaResult;
import io.github.ollama4j.utils.OptionsBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ollama4j client against the server (stories260K): model listing, generate and chat, whole and streamed. */
class OllamaClientTest {
    private static ServedModel model;
    private static ApiServer server;
    private static Ollama ollama;

    @BeforeAll
    static void start() throws IOException {
        model = TestServers.stories(256);
        server = ApiServer.start(model, TestServers.chattyHeartbeats());
        ollama = new Ollama(server.baseUrl());
        ollama.setRequestTimeoutSeconds(30);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    private static String expectedRaw(String prompt, int maxTokens) {
        int[] ids = model.tokenizer().encode(prompt, true, true);
        return new Generator(model.transformer(), model.tokenizer()).generate(new Generator.Request(ids,
                SamplingParams.greedy(), maxTokens, List.of(), Set.of(model.tokenizer().eos())), t -> {}).text();
    }

    private static OllamaGenerateRequest generateRequest(String prompt, int maxTokens, boolean stream) {
        return OllamaGenerateRequest.builder().withModel(model.name()).withPrompt(prompt).withRaw(true).withStreaming(stream)
                .withThink(ThinkMode.DISABLED)
                .withOptions(new OptionsBuilder().setTemperature(0f).setNumPredict(maxTokens).setRepeatPenalty(1f).build())
                .build();
    }

    @Test
    void pingsListsAndShowsTheModel() throws Exception {
        assertTrue(ollama.ping());
        assertEquals(Version.get(), ollama.getVersion());
        List<Model> models = ollama.listModels();
        assertEquals(1, models.size());
        assertEquals(model.name() + ":latest", models.getFirst().getName());
        assertTrue(models.getFirst().getSize() > 1_000_000, "stories260K's weights are ~1 MB");
        var details = ollama.getModelDetails(model.name());
        assertEquals("llama", details.getDetails().getFamily());
    }

    @Test
    void generateIsTheGreedyContinuation() throws Exception {
        OllamaResult result = ollama.generate(generateRequest("Once upon a time", 25, false), null);
        assertEquals(expectedRaw("Once upon a time", 25), result.getResponse());
        assertEquals("length", result.getDoneReason());
        assertEquals(25, result.getEvalCount());
        assertEquals(5, result.getPromptEvalCount());
    }

    @Test
    void streamedGenerateArrivesInPieces() throws Exception {
        List<String> pieces = new ArrayList<>();
        OllamaResult result = ollama.generate(generateRequest("The cat", 20, true),
                new OllamaGenerateStreamObserver(null, pieces::add));
        String expected = expectedRaw("The cat", 20);
        assertEquals(expected, String.join("", pieces));
        assertEquals(expected, result.getResponse());
        assertTrue(pieces.size() > 5, "pieces: " + pieces);
    }

    @Test
    void chatAnswersThroughTheTemplate() throws Exception {
        OllamaChatRequest request = OllamaChatRequest.builder().withModel(model.name())
                .withMessage(OllamaChatMessageRole.SYSTEM, "You tell stories.")
                .withMessage(OllamaChatMessageRole.USER, "Tell me about a dog.")
                .withOptions(new OptionsBuilder().setTemperature(0f).setNumPredict(20).setRepeatPenalty(1f).build()).build();
        List<String> streamed = new ArrayList<>();
        OllamaChatResult result = ollama.chat(request, response -> streamed.add(response.getMessage().getResponse()));
        int[] ids = model.chatPrompt().encode(List.of(Map.of("role", "system", "content", "You tell stories."),
                Map.of("role", "user", "content", "Tell me about a dog.")));
        String expected = new Generator(model.transformer(), model.tokenizer()).generate(new Generator.Request(ids,
                SamplingParams.greedy(), 20, model.chatPrompt().stopStrings(), model.chatPrompt().stopIds()), t -> {}).text();
        assertFalse(expected.isEmpty());
        assertEquals(expected, result.getResponseModel().getMessage().getResponse());
        assertEquals(expected, String.join("", streamed));
        assertNotNull(result.getChatHistory());
        assertEquals("assistant", result.getChatHistory().getLast().getRole().getRoleName());
    }
}
