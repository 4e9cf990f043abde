package dev.tinyforge.generate.constraint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Guaranteed-valid JSON output: a grammar for "any JSON object" (OpenAI's {@code json_object}, Ollama's
 * {@code format: "json"}) or for the values of a JSON Schema. Generation constrained by it only ever
 * writes a prefix of an allowed text and ends with an end token only once the value is complete, so a
 * generation that ends normally parses as JSON and validates against the schema. One that runs out of
 * tokens first ({@code Generator.StopReason.MAX_TOKENS}, finish_reason "length") holds an incomplete
 * value. The whole value is the output: there is no text before or after it (white space before it is
 * allowed, none after).
 *
 * <pre>{@code
 * JsonGrammar grammar = JsonGrammar.fromSchema(schemaNode);          // BadInputException for what we cannot enforce
 * var request = new Generator.Request(ids, sampling, 256, List.of(), stopIds, grammar);
 * }</pre>
 *
 * See {@link SchemaCompiler} for the schema keywords supported and how open parts are narrowed, and
 * {@link JsonAutomaton} for the forms written (keys in schema order, white space as in pretty-printed
 * JSON, no escapes in keys, digit limits).
 * Immutable and thread-safe; compile a schema once and reuse it.
 */
public final class JsonGrammar implements Grammar {
    /**
     * White space between tokens is nothing, one space, or a newline and at most this many spaces or tabs
     * of indentation: pretty-printed JSON fits, a model cannot fill its budget with blank lines.
     */
    public static final int DEFAULT_MAX_INDENT = 20;
    /** Deepest nesting of free-form objects and arrays (those of {@code json_object} or a schema {@code true}). */
    public static final int DEFAULT_MAX_DEPTH = 32;

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Schema root;
    private final int maxIndent;
    private final int maxDepth;
    private final JsonAutomaton automaton;

    private JsonGrammar(Schema root, int maxIndent, int maxDepth) {
        this.root = root;
        this.maxIndent = maxIndent;
        this.maxDepth = maxDepth;
        this.automaton = new JsonAutomaton(root, maxIndent, maxDepth);
    }

    /** Any JSON object (the top level must be an object, as OpenAI's {@code json_object} asks). */
    public static JsonGrammar anyObject() {
        return new JsonGrammar(SchemaCompiler.frozen(new Schema.ObjectType(List.of(), JsonAutomaton.ANY, 0, Integer.MAX_VALUE)),
                DEFAULT_MAX_INDENT, DEFAULT_MAX_DEPTH);
    }

    /** Any JSON value. */
    public static JsonGrammar anyValue() {
        return new JsonGrammar(JsonAutomaton.ANY, DEFAULT_MAX_INDENT, DEFAULT_MAX_DEPTH);
    }

    /**
     * The values of a JSON Schema.
     *
     * @throws BadInputException naming the keyword and its place in the schema, for a keyword that is not
     *     supported (it is never silently ignored), a malformed schema, or one no value satisfies
     */
    public static JsonGrammar fromSchema(JsonNode schema) {
        return fromSchema("JSON schema", schema);
    }

    /** @param source how error messages name the schema (a file name, "response_format.json_schema.schema") */
    public static JsonGrammar fromSchema(String source, JsonNode schema) {
        return new JsonGrammar(SchemaCompiler.compile(source, schema), DEFAULT_MAX_INDENT, DEFAULT_MAX_DEPTH);
    }

    /** The values of the JSON Schema in {@code file}; errors name the file. */
    public static JsonGrammar fromSchemaFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the schema (" + e.getMessage() + ")", e);
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode()) throw new BadInputException(file + ": empty; expected a JSON schema");
        return fromSchema(file.toString(), node);
    }

    /** The same grammar with another limit on indentation after a newline (see {@link #DEFAULT_MAX_INDENT}). */
    public JsonGrammar withMaxIndent(int spaces) {
        if (spaces < 0) throw new IllegalArgumentException("indentation limit " + spaces);
        return new JsonGrammar(root, spaces, maxDepth);
    }

    /** The same grammar with no white space at all between tokens: compact JSON. */
    public JsonGrammar compact() {
        return new JsonGrammar(root, -1, maxDepth);
    }

    /**
     * Builds, once per tokenizer, what constrained generation needs about its vocabulary (the token trie
     * and the tables for plain string content and keys), so the first constrained request does not wait
     * for it: about 0.1 s for a 50k vocabulary, more for larger ones. Optional; a server may call it when
     * it loads a model.
     */
    public static void prepare(Tokenizer tokenizer) {
        TokenTrie trie = TokenTrie.of(tokenizer);
        trie.inString(0, 0);
        trie.inKey(0);
    }

    /** Whether {@link #prepare} has built the vocabulary tables of {@code tokenizer} (or a request did). */
    public static boolean prepared(Tokenizer tokenizer) {
        return TokenTrie.built(tokenizer);
    }

    @Override
    public TokenConstraint constraint(Tokenizer tokenizer, Set<Integer> endIds) {
        return new JsonConstraint(automaton, TokenTrie.of(tokenizer), endIds);
    }

    JsonAutomaton automaton() {
        return automaton;
    }

    /** Whether {@code text} is a whole value this grammar allows (written in its forms; see the class comment). */
    public boolean accepts(String text) {
        ParseState state = feed(text);
        return state != null && automaton.complete(state, new ParseState.Successors());
    }

    /** Whether {@code text} can still be continued to a value this grammar allows. */
    public boolean acceptsPrefix(String text) {
        return feed(text) != null;
    }

    private ParseState feed(String text) {
        ParseState.Successors out = new ParseState.Successors();
        ParseState state = automaton.start();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            state = automaton.step(state, b & 0xFF, out);
            if (state == null) return null;
        }
        return state;
    }
}
