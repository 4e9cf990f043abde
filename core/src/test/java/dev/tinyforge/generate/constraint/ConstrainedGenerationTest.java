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
import org.junit.jupiter.api.Test;

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
                new RandomSchemas(11, false), 200, 6000);
        assertTrue(new HashSet<>(outputs).size() > 150, "outputs should differ: " + new HashSet<>(outputs).size());
        for (int i = 0; i < 12; i++) System.out.println(outputs.get(i));
        System.out.printf("200 schemas, %d bytes of output, %.1f s%n", outputs.stream().mapToInt(o -> o.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum(),
                (System.nanoTime() - start) / 1e9);
    }
}
