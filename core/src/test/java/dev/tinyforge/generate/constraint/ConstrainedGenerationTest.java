package dev.tinyforge.generate.constraint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.GgufTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generation under random schemas on a random byte-level model: every output that ends must parse
 * (strictly: no duplicate keys, nothing after the value) and validate with an independent validator.
 */
class ConstrainedGenerationTest {
    static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * Sampling of the i-th run: temperature 1, some runs with llama.cpp's cut-offs and penalties. (Greedy
     * decoding of a random model repeats itself forever inside any string without a bound, so it is tested
     * on bounded schemas only, below.)
     */
    static SamplingParams sampling(int i) {
        return i % 4 == 0 ? new SamplingParams(1.0, 40, 0.9, 0.05, 1.3, 0.1, 0.1, 64, i) : new SamplingParams(1.0, 0, 1, 0, 1, 0, 0, 64, i);
    }

    /** Runs {@code count} random schemas; returns the outputs. */
    static List<String> generateAndValidate(TestModels.Model model, RandomSchemas schemas, int count, int maxTokens) throws IOException {
        int[] prompt = model.tokenizer().encode("Answer in JSON:", true, false);
        Set<Integer> stop = Set.of(model.tokenizer().eos());
        List<String> outputs = new java.util.ArrayList<>();
        for (int i = 0; outputs.size() < count; i++) {
            ObjectNode schema = schemas.next();
            JsonGrammar grammar;
            try {
                grammar = JsonGrammar.fromSchema(schema);
            } catch (BadInputException e) {
                assertTrue(e.getMessage().contains("no JSON value satisfies"), e.getMessage() + " for " + schema);
                continue;
            }
            StringBuilder streamed = new StringBuilder();
            Generator.Result result = model.generator().generate(new Generator.Request(prompt, sampling(i), maxTokens, List.of(),
                    stop, grammar), streamed::append);
            String context = "schema " + schema + "\noutput " + result.text();
            assertEquals(Generator.StopReason.END_TOKEN, result.reason(), context);
            assertEquals(result.text(), streamed.toString(), context);
            JsonNode value = STRICT.readTree(result.text());
            assertEquals(List.of(), new SchemaValidator(schema).validate(value), context);
            assertTrue(grammar.accepts(result.text()), context);
            outputs.add(result.text());
        }
        return outputs;
    }

    @Test
    void twoHundredRandomSchemasOnAByteLevelModel() throws IOException {
        long start = System.nanoTime();
        List<String> outputs = generateAndValidate(TestModels.overVocabulary(TestModels.byteTokenizer(), 3, 0.05),
                new RandomSchemas(11, false, true), 200, 6000);
        assertTrue(new HashSet<>(outputs).size() > 150, "outputs should differ: " + new HashSet<>(outputs).size());
        System.out.printf("200 schemas, %d bytes of output, %.1f s%n", outputs.stream().mapToInt(o -> o.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Real vocabularies, where tokens cross JSON's structure (`":`, `"},`, ` {"`) and characters span tokens. */
    @ParameterizedTest
    @ValueSource(strings = {"gpt-2", "llama-spm"})
    void randomSchemasOnRealVocabularies(String name) throws IOException {
        Tokenizer tokenizer = GgufTokenizerLoader.load(Fixtures.require("tokenizers/ggml-vocab-" + name + ".gguf"));
        JsonGrammar.prepare(tokenizer);
        generateAndValidate(TestModels.overVocabulary(tokenizer, 5, 0.05), new RandomSchemas(17, false, false), 25, 3000);
    }

    @Test
    void jsonObjectModeAlwaysGivesAnObject() throws IOException {
        TestModels.Model model = TestModels.overVocabulary(TestModels.byteTokenizer(), 7, 0.05);
        int[] prompt = model.tokenizer().encode("{", true, false);
        for (int seed = 0; seed < 12; seed++) {
            var result = model.generator().generate(new Generator.Request(prompt, new SamplingParams(1.0, 0, 1, 0, 1, 0, 0, 64, seed),
                    6000, List.of(), Set.of(model.tokenizer().eos()), JsonGrammar.anyObject()), s -> {});
            assertEquals(Generator.StopReason.END_TOKEN, result.reason(), result.text());
            assertTrue(STRICT.readTree(result.text()).isObject(), result.text());
        }
    }

    /** Greedy decoding takes the best allowed token; on a schema where everything is bounded it always ends. */
    @Test
    void greedyDecodingOnABoundedSchema() throws IOException {
        ObjectNode schema = (ObjectNode) STRICT.readTree("""
                {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1, "maximum": 999},
                 "name": {"type": "string", "minLength": 1, "maxLength": 10},
                 "tags": {"type": "array", "items": {"enum": ["a", "b", "c"]}, "maxItems": 3},
                 "ok": {"type": "boolean"}, "score": {"type": ["number", "null"], "minimum": 0, "maximum": 1}},
                 "required": ["id", "name", "ok"], "additionalProperties": false}""");
        JsonGrammar grammar = JsonGrammar.fromSchema(schema);
        for (long seed = 0; seed < 6; seed++) {
            TestModels.Model model = TestModels.overVocabulary(TestModels.byteTokenizer(), seed, 1.0);
            var result = model.generator().generate(new Generator.Request(model.tokenizer().encode("x", true, false),
                    SamplingParams.greedy(), 400, List.of(), Set.of(model.tokenizer().eos()), grammar), s -> {});
            assertEquals(Generator.StopReason.END_TOKEN, result.reason(), result.text());
            assertEquals(List.of(), new SchemaValidator(schema).validate(STRICT.readTree(result.text())), result.text());
        }
    }

    /** Out of tokens first: the reason says so and the text is the start of a valid value. */
    @Test
    void runningOutOfTokensLeavesAValidPrefix() {
        TestModels.Model model = TestModels.overVocabulary(TestModels.byteTokenizer(), 1, 0.05);
        JsonGrammar grammar = JsonGrammar.anyObject();
        var result = model.generator().generate(new Generator.Request(model.tokenizer().encode("x", true, false),
                new SamplingParams(1.0, 0, 1, 0, 1, 0, 0, 64, 4), 7, List.of(), Set.of(model.tokenizer().eos()), grammar), s -> {});
        assertEquals(Generator.StopReason.MAX_TOKENS, result.reason());
        assertEquals(7, result.ids().length);
        assertTrue(grammar.acceptsPrefix(result.text()) && !grammar.accepts(result.text()), result.text());
    }

    /** A value that cannot go on ends generation at once, without waiting for (or needing) an end token. */
    @Test
    void aFinishedValueEndsWithoutAnEndToken() {
        TestModels.Model model = TestModels.overVocabulary(TestModels.byteTokenizer(), 2, 0.05);
        JsonGrammar grammar = JsonGrammar.fromSchema(STRICT.getNodeFactory().objectNode().set("enum",
                STRICT.getNodeFactory().arrayNode().add("yes").add("no")));
        for (Set<Integer> ends : List.of(Set.of(model.tokenizer().eos()), Set.<Integer>of())) {
            var result = model.generator().generate(new Generator.Request(model.tokenizer().encode("x", true, false),
                    new SamplingParams(1.0, 0, 1, 0, 1, 0, 0, 64, 9), 50, List.of(), ends, grammar), s -> {});
            assertEquals(Generator.StopReason.END_TOKEN, result.reason());
            assertTrue(result.text().strip().equals("\"yes\"") || result.text().strip().equals("\"no\""), result.text());
            assertTrue(Arrays.stream(result.ids()).noneMatch(id -> id == model.tokenizer().eos()));
        }
    }
}
