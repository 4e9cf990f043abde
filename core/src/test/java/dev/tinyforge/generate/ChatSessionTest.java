package dev.tinyforge.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.HfTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversations with the real stories260K model (no template: ChatML as plain text). */
class ChatSessionTest {
    private static final SamplingParams GREEDY = SamplingParams.greedy();

    private static Tokenizer tokenizer() {
        return HfTokenizerLoader.load(Fixtures.require("models/stories260K/hf"));
    }

    private static LoadedModel model() throws IOException {
        return ModelLoader.load(Fixtures.require("models/stories260K/hf"));
    }

    @Test
    void laterTurnsReuseTheCacheAndMatchAFreshRun() throws IOException {
        Tokenizer tokenizer = tokenizer();
        ChatPrompt prompt = ChatPrompt.of(null, tokenizer);
        try (LoadedModel model = model()) {
            Transformer transformer = model.transformer(512);
            var session = new ChatSession(transformer, tokenizer, prompt, "You tell stories.");
            StringBuilder streamed = new StringBuilder();
            var first = session.send("Tell me a story.", GREEDY, 16, List.of(), streamed::append);
            assertEquals(first.text(), streamed.toString());
            List<Map<String, Object>> afterFirst = session.messages();
            assertEquals(List.of("system", "user", "assistant"), afterFirst.stream().map(m -> m.get("role")).toList());
            assertEquals(first.text(), afterFirst.get(2).get("content"));

            var second = session.send("What happened next?", GREEDY, 16, List.of(), s -> {});
            int[] fullPrompt = prompt.encode(session.messages().subList(0, 4));
            // Only the new part of the prompt was evaluated ...
            assertTrue(second.promptTokens() < fullPrompt.length / 2, second.promptTokens() + " of " + fullPrompt.length);
            // ... and the reply is what the whole prompt on an empty cache gives.
            var fresh = new Generator(transformer, tokenizer).generate(new Generator.Request(fullPrompt, GREEDY, 16,
                    prompt.stopStrings(), prompt.stopIds()), s -> {});
            assertArrayEquals(fresh.ids(), second.ids());
            assertEquals(fresh.text(), second.text());
            assertEquals(fullPrompt.length, fresh.promptTokens());
        }
    }

    @Test
    void resetKeepsTheSystemPromptAndRepeatsTheFirstReply() throws IOException {
        Tokenizer tokenizer = tokenizer();
        try (LoadedModel model = model()) {
            var session = new ChatSession(model.transformer(512), tokenizer, ChatPrompt.of(null, tokenizer), "Be kind.");
            var first = session.send("Hello", GREEDY, 12, List.of(), s -> {});
            session.send("And then?", GREEDY, 12, List.of(), s -> {});
            session.reset();
            assertEquals(List.of(Map.of("role", "system", "content", "Be kind.")), session.messages());
            var again = session.send("Hello", GREEDY, 12, List.of(), s -> {});
            assertArrayEquals(first.ids(), again.ids());
        }
    }

    @Test
    void aConversationTooLongForTheContextIsRefusedAndLeftAsItWas() throws IOException {
        Tokenizer tokenizer = tokenizer();
        try (LoadedModel model = model()) {
            var session = new ChatSession(model.transformer(64), tokenizer, ChatPrompt.of(null, tokenizer), null);
            session.send("Hi", GREEDY, 4, List.of(), s -> {});
            List<Map<String, Object>> before = session.messages();
            var e = assertThrows(BadInputException.class,
                    () -> session.send("Once upon a time there was a very long story about a dog and a cat.", GREEDY, 4,
                            List.of(), s -> {}));
            assertTrue(e.getMessage().contains("the context holds 64 (/reset starts a new one)"), e.getMessage());
            assertEquals(before, session.messages());
            // The session still works afterwards.
            session.reset();
            assertEquals(4, session.send("Hi", GREEDY, 4, List.of(), s -> {}).ids().length);
        }
    }

    @Test
    void aReplyCanBeHeldToASchema() throws IOException {
        Tokenizer tokenizer = tokenizer();
        var schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"type": "object", "properties": {"hero": {"type": "string", "maxLength": 12},
                 "happy": {"type": "boolean"}}, "required": ["hero", "happy"], "additionalProperties": false}""");
        try (LoadedModel model = model()) {
            var session = new ChatSession(model.transformer(512), tokenizer, ChatPrompt.of(null, tokenizer), null);
            var reply = session.send("Who is the hero?", new SamplingParams(0.8, 40, 0.95, 0.05, 1, 0, 0, 64, 2), 120, List.of(),
                    dev.tinyforge.generate.constraint.JsonGrammar.fromSchema(schema), s -> {});
            assertEquals(Generator.StopReason.END_TOKEN, reply.reason(), reply.text());
            var value = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.text());
            assertTrue(value.get("hero").isTextual() && value.get("happy").isBoolean(), reply.text());
            assertEquals(reply.text(), session.messages().get(1).get("content"));
        }
    }
}
