package dev.tinyforge.generate.constraint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the compiler refuses, and that each refusal names the keyword and where it is. */
class SchemaCompilerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String error(String schema) throws IOException {
        var node = JSON.readTree(schema.replace('\'', '"'));
        return assertThrows(BadInputException.class, () -> JsonGrammar.fromSchema(node)).getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'type':'string','pattern':'^a'}| at /: unsupported keyword 'pattern'",
        "{'type':'string','format':'date'}| at /: unsupported keyword 'format'",
        "{'properties':{'x':{'not':{}}}}| at /properties/x: unsupported keyword 'not'",
        "{'if':{},'then':{}}| at /: unsupported keyword 'if'",
        "{'type':'object','patternProperties':{}}| unsupported keyword 'patternProperties'",
        "{'type':'array','items':{'uniqueItems':true}}| at /items/uniqueItems: unsupported keyword 'uniqueItems'",
        "{'type':'integer','multipleOf':2}| unsupported keyword 'multipleOf'",
        "{'nullable':true}| unsupported keyword 'nullable'",
        "{'allOf':[{'type':'string'},{'minLength':1}]}| at /allOf: only allOf with exactly one schema",
        "{'$ref':'other.json#/x'}| at /$ref: only references within this document",
        "{'$ref':'#/$defs/missing'}| at /$defs/missing: $ref points nowhere",
        "{'$ref':'#/$defs/a','type':'string'}| at /: '$ref' together with 'type' is not supported",
        "{'type':'object','anyOf':[{}]}| at /: 'anyOf' together with 'type' is not supported",
        "{'oneOf':[{'type':'string'},{'enum':['a']}]}| at /oneOf: oneOf whose options can begin alike",
        "{'enum':['a'],'maxLength':3}| at /: 'enum' together with 'maxLength' is not supported",
        "{'type':'text'}| at /type: unknown type \"text\"",
        "{'type':'string','minLength':-1}| at /minLength: expected a non-negative integer, got -1",
        "{'type':'integer','minimum':'3'}| at /minimum: expected a number",
        "{'type':'integer','exclusiveMinimum':true}| draft-4 boolean form is not supported",
        "{'properties':{'a\\\"b':{}}}| at /properties: property name \"a\\\"b\" needs escaping",
        "{'type':'object','properties':{'a':false},'required':['a']}| at /: no JSON value satisfies this schema",
        "{'type':'integer','minimum':0.5,'maximum':0.7}| no JSON value satisfies this schema",
        "{'type':'array','minItems':3,'maxItems':2}| no JSON value satisfies this schema",
        "{'enum':[]}| no JSON value satisfies this schema",
        "3| at /: a schema must be an object or a boolean, got number",
    })
    void refusesWithKeywordAndPlace(String schema, String expected) throws IOException {
        String message = error(schema);
        assertTrue(message.startsWith("JSON schema at "), message);
        assertTrue(message.contains(expected.strip()), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
    }

    @Test
    void tooManyPropertiesAreRefused() throws IOException {
        StringBuilder props = new StringBuilder();
        for (int i = 0; i <= SchemaCompiler.MAX_PROPERTIES; i++) props.append(i == 0 ? "" : ",").append("'p").append(i).append("':{}");
        assertTrue(error("{'properties':{" + props + "}}").contains("more than 64 properties"));
    }

    @Test
    void annotationsAreIgnoredAndFalseUniqueItemsAccepted() throws IOException {
        var node = JSON.readTree(("{'$schema':'https://json-schema.org/draft/2020-12/schema','title':'T','description':'d',"
                + "'type':'array','uniqueItems':false,'examples':[[1]],'default':[],'items':{'type':'integer','deprecated':false}}")
                .replace('\'', '"'));
        assertTrue(JsonGrammar.fromSchema(node).accepts("[1,2]"));
    }

    @Test
    void schemaFileErrorsNameTheFile(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"type\": \"object\",\n \"properties\": {\"a\": {\"pattern\": \"x\"}}}");
        String message = assertThrows(BadInputException.class, () -> JsonGrammar.fromSchemaFile(bad)).getMessage();
        assertEquals(bad + " at /properties/a: unsupported keyword 'pattern'", message.substring(0, message.indexOf(" (supported")));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"type\": ");
        assertTrue(assertThrows(BadInputException.class, () -> JsonGrammar.fromSchemaFile(broken)).getMessage()
                .startsWith(broken + ": not valid JSON at line 1"));
        assertEquals(dir.resolve("none.json") + ": no such file",
                assertThrows(BadInputException.class, () -> JsonGrammar.fromSchemaFile(dir.resolve("none.json"))).getMessage());
    }
}
