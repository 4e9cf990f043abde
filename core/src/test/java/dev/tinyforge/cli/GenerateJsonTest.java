package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.model.TinyModel;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate --json} and {@code --schema}: the output parses; a schema we cannot enforce is a one-line error. */
class GenerateJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void schemaOutputParsesAndFollowsTheSchema() throws IOException {
        Path model = dir.resolve("tiny");
        TinyModel.write(model, 1);
        Path schema = dir.resolve("person.json");
        Files.writeString(schema, """
                {"type": "object", "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 6},
                  "age": {"type": "integer", "minimum": 0, "maximum": 120}, "pet": {"enum": ["cat", "dog"]}},
                 "required": ["name", "age", "pet"], "additionalProperties": false}""");
        CliRunner r = CliRunner.run("generate", model.toString(), "--schema", schema.toString(), "-n", "300", "--seed", "5");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode value = JSON.readTree(r.out());
        assertEquals(3, value.size(), r.out());
        assertTrue(value.get("name").isTextual() && value.get("age").canConvertToInt() && value.get("pet").isTextual(), r.out());
        assertTrue(value.get("age").intValue() >= 0 && value.get("age").intValue() <= 120, r.out());
    }

    @Test
    void jsonOutputIsAnObject() throws IOException {
        Path model = dir.resolve("tiny");
        TinyModel.write(model, 2);
        // A random model writes strings until it happens on a quote; this seed ends inside the 512-token context.
        CliRunner r = CliRunner.run("generate", model.toString(), "--json", "-n", "500", "--seed", "8", "--temperature", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(JSON.readTree(r.out()).isObject(), r.out());
    }

    /** A real (tiny) story model asked for a record: it writes story text where it may, and valid JSON throughout. */
    @Test
    void storyModelFillsASchema() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Path schema = dir.resolve("hero.json");
        Files.writeString(schema, """
                {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20},
                  "age": {"type": "integer", "minimum": 1, "maximum": 12}, "friend": {"enum": ["Lily", "Tom", "Ben"]}},
                 "required": ["name", "age", "friend"], "additionalProperties": false}""");
        String prompt = "Once upon a time";
        CliRunner r = CliRunner.run("generate", hf.toString(), "--schema", schema.toString(), "-p", prompt, "-n", "200", "--seed", "1");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode value = JSON.readTree(r.out().substring(prompt.length()));
        assertTrue(value.get("name").textValue().length() <= 20 && value.get("age").intValue() >= 1, r.out());
    }

    @Test
    void tooFewTokensIsAnErrorNotBrokenJsonPassedOff() throws IOException {
        Path model = dir.resolve("tiny");
        TinyModel.write(model, 1);
        CliRunner r = CliRunner.run("generate", model.toString(), "--json", "-n", "3");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("error: the JSON is incomplete"), r.err());
    }

    @Test
    void unsupportedSchemaIsOneLineAndExitTwo() throws IOException {
        Path schema = dir.resolve("s.json");
        Files.writeString(schema, "{\"type\": \"string\", \"format\": \"email\"}");
        CliRunner r = CliRunner.run("generate", dir.resolve("no-model").toString(), "--schema", schema.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: " + schema + " at /: unsupported keyword 'format'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.out().contains("{"));
    }
}
