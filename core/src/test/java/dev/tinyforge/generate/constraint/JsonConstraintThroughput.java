package dev.tinyforge.generate.constraint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How much grammar-constrained generation costs: the same random model generates free text and JSON
 * (any object, and a schema), and the time per token is compared, with the time spent masking shown
 * apart. Not a test: run it by hand after {@code ./mvnw -pl core test-compile} with
 * <pre>
 * java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes:$(jackson jars) \
 *     dev.tinyforge.generate.constraint.JsonConstraintThroughput [TOKENIZER] [SHAPE] [TOKENS]
 * </pre>
 * TOKENIZER is a tokenizer.json folder or GGUF (default: ../shared/fixtures/tokenizers/ggml-vocab-gpt-2.gguf,
 * GPT-2's 50,257 byte-level BPE tokens, close to SmolLM2's 49,152); SHAPE a {@link RandomModels} shape
 * (default smollm2-135m) whose vocabulary is resized to the tokenizer's. Sampling is llama.cpp's default
 * (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05). Round 0 includes building the string tables and
 * compiling hot code; the later rounds are the steady state.
 */
public final class JsonConstraintThroughput {
    private static final String SCHEMA = """
            {"type": "object", "properties": {
              "name": {"type": "string", "maxLength": 40},
              "age": {"type": "integer", "minimum": 0, "maximum": 150},
              "email": {"type": "string"},
              "tags": {"type": "array", "items": {"type": "string", "maxLength": 12}, "maxItems": 5},
              "address": {"type": "object", "properties": {"street": {"type": "string"}, "city": {"type": "string"},
                          "zip": {"type": "string", "minLength": 5, "maxLength": 5}}, "required": ["city"]},
              "status": {"enum": ["active", "inactive", "banned"]},
              "score": {"type": ["number", "null"]}},
             "required": ["name", "age", "status"], "additionalProperties": false}
            """;

    private JsonConstraintThroughput() {}

    /** Times every call into the constraints it hands out. */
    private static final class Timed implements Grammar {
        final Grammar inner;
        long maskNanos, otherNanos;
        int steps;

        Timed(Grammar inner) {
            this.inner = inner;
        }

        @Override
        public TokenConstraint constraint(Tokenizer tokenizer, Set<Integer> endIds) {
            long t0 = System.nanoTime();
            TokenConstraint c = inner.constraint(tokenizer, endIds);
            otherNanos += System.nanoTime() - t0;
            return new TokenConstraint() {
                public boolean mask(float[] logits) {
                    long t = System.nanoTime();
                    boolean any = c.mask(logits);
                    maskNanos += System.nanoTime() - t;
                    steps++;
                    return any;
                }

                public boolean allows(int token) {
                    long t = System.nanoTime();
                    boolean ok = c.allows(token);
                    otherNanos += System.nanoTime() - t;
                    return ok;
                }

                public void accept(int token) {
                    long t = System.nanoTime();
                    c.accept(token);
                    otherNanos += System.nanoTime() - t;
                }

                public boolean isComplete() {
                    return c.isComplete();
                }

                public boolean mustEnd() {
                    long t = System.nanoTime();
                    boolean end = c.mustEnd();
                    otherNanos += System.nanoTime() - t;
                    return end;
                }
            };
        }
    }

    public static void main(String[] args) throws IOException {
        Path tokenizerPath = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/tokenizers/ggml-vocab-gpt-2.gguf");
        String shape = args.length > 1 ? args[1] : "smollm2-135m";
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        Tokenizer tokenizer = Tokenizers.load(tokenizerPath);
        ModelConfig s = RandomModels.shape(shape);
        ModelConfig config = new ModelConfig(s.family(), tokenizer.vocabSize(), s.hiddenSize(), s.intermediateSize(), s.layers(),
                s.heads(), s.kvHeads(), s.headDim(), s.contextLength(), s.normEps(), s.ropeTheta(), s.ropeScaling(), s.qkvBias(),
                s.tiedEmbeddings(), s.activation(), s.normWeightOffset(), s.scaleEmbeddings(), s.slidingWindow());
        Transformer transformer = new Transformer(config, RandomModels.weights(config, 1, 0.02), tokens + 64);
        Generator generator = new Generator(transformer, tokenizer);
        long built = System.nanoTime();
        TokenTrie trie = TokenTrie.of(tokenizer);
        System.out.printf(Locale.ROOT, "%s, %s with %d tokens; trie of %d nodes built in %.0f ms; %s%n", tokenizerPath.getFileName(),
                shape, tokenizer.vocabSize(), trie.nodes(), (System.nanoTime() - built) / 1e6, System.getProperty("java.vm.version"));
        int[] prompt = tokenizer.encode("Here is the record as JSON:", true, false);
        Set<Integer> ends = tokenizer.eos() >= 0 ? Set.of(tokenizer.eos()) : Set.of();
        Grammar schema = JsonGrammar.fromSchema(new ObjectMapper().readTree(SCHEMA));
        // Free and constrained runs alternate, so that a machine whose speed drifts slows all alike. The
        // overhead is also measured directly: the time spent inside the constraint, against the whole.
        for (int round = 0; round < 3; round++) {
            double free = perToken(generator, prompt, tokens, null, Set.of(), round);
            Timed object = new Timed(JsonGrammar.anyObject());
            long t0 = System.nanoTime();
            double json = perToken(generator, prompt, tokens, object, ends, round);
            long t1 = System.nanoTime();
            Timed typed = new Timed(schema);
            double schemaMs = perToken(generator, prompt, tokens, typed, ends, round);
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "round %d: free %.2f ms/token | json_object %.2f ms/token (%+.1f%%), in the constraint "
                    + "%.3f ms/step = %.1f%% of the time | schema %.2f ms/token (%+.1f%%), in the constraint %.3f ms/step = %.1f%%%n",
                    round, free, json, 100 * (json / free - 1), (object.maskNanos + object.otherNanos) / 1e6 / object.steps,
                    100.0 * (object.maskNanos + object.otherNanos) / (t1 - t0), schemaMs, 100 * (schemaMs / free - 1),
                    (typed.maskNanos + typed.otherNanos) / 1e6 / typed.steps, 100.0 * (typed.maskNanos + typed.otherNanos) / (t2 - t1));
        }
    }

    /** Milliseconds per generated token over at least {@code tokens} tokens (several generations if they end early). */
    private static double perToken(Generator generator, int[] prompt, int tokens, Grammar grammar, Set<Integer> ends, int round) {
        long nanos = 0;
        int generated = 0;
        for (int i = 0; generated < tokens; i++) {
            var result = generator.generate(new Generator.Request(prompt, SamplingParams.defaults(round * 1000 + i),
                    tokens - generated, List.of(), ends, grammar), t -> {});
            nanos += result.generateNanos();
            generated += result.ids().length;
        }
        return nanos / 1e6 / generated;
    }
}
