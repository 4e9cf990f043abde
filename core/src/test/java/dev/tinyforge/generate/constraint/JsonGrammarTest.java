package dev.tinyforge.generate.constraint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The automaton on whole texts: what each schema accepts, and what it refuses. */
class JsonGrammarTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonGrammar schema(String schema) {
        try {
            return JsonGrammar.fromSchema(JSON.readTree(schema.replace('\'', '"')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void accepts(JsonGrammar grammar, String... texts) {
        for (String text : texts) assertTrue(grammar.accepts(text), "should accept: " + text);
    }

    private static void refuses(JsonGrammar grammar, String... texts) {
        for (String text : texts) assertFalse(grammar.accepts(text), "should refuse: " + text);
    }

    @Test
    void anyObjectTakesJsonObjectsOnly() {
        JsonGrammar g = JsonGrammar.anyObject();
        accepts(g, "{}", "{\"a\":1}", " {\"a\": [1, -2.5e+3, \"x\", true, false, null, {\"b\": {}}, []]}",
                "{\"\":\"\\u00e9\\n\\\"\"}", "{\"é\": \"日本語 😀\"}", "{\"a\":0.0,\"b\":-0}", "{\n  \"a\": 1\n}");
        refuses(g, "", "[]", "1", "\"x\"", "{", "{\"a\":1} ", "{\"a\":1,}", "{a:1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
                "{\"a\":+1}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\q\"}", "{\"a\":\"\\ud800\"}", "{\"a\":tru}", "{\"a\":1}{}",
                "{\"a\":1,\"a\":2}", "{\"a\\n\":1}", "{\"a\":[1,]}", "{\"a\" 1}");
    }

    @Test
    void incompleteTextIsAPrefixButNotAccepted() {
        JsonGrammar g = JsonGrammar.anyObject();
        for (String prefix : List.of("", " ", "{", "{\"a", "{\"a\":", "{\"a\":[1", "{\"a\":\"x\\", "{\"a\":\"x\\u00", "{\"a\":tr")) {
            assertTrue(g.acceptsPrefix(prefix), prefix);
            assertFalse(g.accepts(prefix), prefix);
        }
        assertFalse(g.acceptsPrefix("x"));
    }

    @Test
    void whiteSpaceIsOneSpaceOrANewlineAndIndentation() {
        JsonGrammar g = JsonGrammar.anyObject();
        String indent = "\n" + " ".repeat(JsonGrammar.DEFAULT_MAX_INDENT);
        accepts(g, "{ \"a\" : [ 1 , 2 ] }", "{\n  \"a\": {\n    \"b\": [\n\t\t1\n    ]\n  }\n}",
                indent + "{" + indent + "\"a\"" + indent + ":" + indent + "1" + indent + "}", "\n{}");
        refuses(g, indent + " {}", "{  }", "{\n\n}", "{ \n}", "{\t}", "{\r\n}", "{\"a\":1} ", "{\"a\":1}\n");
        JsonGrammar compact = g.compact();
        accepts(compact, "{\"a\":[1,2]}");
        refuses(compact, "{ }", "{\"a\": 1}", " {}");
        JsonGrammar flat = g.withMaxIndent(0);
        accepts(flat, "{\n\"a\": 1\n}");
        refuses(flat, "{\n \"a\": 1}");
    }

    @Test
    void freeFormNestingIsBounded() {
        JsonGrammar g = JsonGrammar.anyValue();
        String deep = "[".repeat(JsonGrammar.DEFAULT_MAX_DEPTH) + "]".repeat(JsonGrammar.DEFAULT_MAX_DEPTH);
        accepts(g, deep);
        refuses(g, "[" + deep + "]");
    }

    @Test
    void objectsWithPropertiesRequiredAndAdditional() {
        JsonGrammar g = schema("{'type':'object','properties':{'name':{'type':'string'},'age':{'type':'integer'}},'required':['name']}");
        accepts(g, "{\"name\":\"x\"}", "{\"name\":\"x\",\"age\":3}", "{ \"name\" : \"x\" }");
        // Keys come in the listed order.
        refuses(g, "{\"age\":3,\"name\":\"\"}");
        refuses(g, "{}", "{\"age\":3}", "{\"name\":1}", "{\"name\":\"x\",\"age\":3.5}", "{\"name\":\"x\",\"other\":1}",
                "{\"name\":\"x\",\"name\":\"y\"}", "{\"nam\":\"x\"}", "{\"names\":\"x\"}");
        JsonGrammar open = schema("{'type':'object','properties':{'a':{'type':'integer'}},'additionalProperties':{'type':'boolean'}}");
        accepts(open, "{}", "{\"a\":1,\"b\":true}", "{\"ab\":false,\"b\":true}", "{\"\":true}");
        // Additional keys come after the listed ones.
        refuses(open, "{\"ab\":false,\"a\":2}");
        refuses(open, "{\"a\":true}", "{\"b\":1}", "{\"b\":true,\"b\":false}", "{\"a\":1,\"a\":1}");
        JsonGrammar anyObject = schema("{'type':'object'}");
        accepts(anyObject, "{\"x\":[1,{\"y\":null}]}");
    }

    @Test
    void propertyCounts() {
        JsonGrammar g = schema("{'type':'object','properties':{'a':{},'b':{},'c':{}},'minProperties':1,'maxProperties':2,'required':['c']}");
        accepts(g, "{\"c\":1}", "{\"a\":1,\"c\":2}", "{\"b\":1,\"c\":2}");
        refuses(g, "{}", "{\"a\":1}", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":2,\"c\":3}", "{\"c\":1,\"b\":2}");
        // Once a and b would leave no room for c, only c may follow.
        assertFalse(g.acceptsPrefix("{\"a\":1,\"b"));
        assertTrue(g.acceptsPrefix("{\"a\":1,\"c"));
        // Skipping ahead is refused when too few keys would be left for minProperties.
        JsonGrammar atLeastTwo = schema("{'type':'object','properties':{'a':{},'b':{},'c':{}},'minProperties':2}");
        accepts(atLeastTwo, "{\"a\":1,\"c\":2}", "{\"b\":1,\"c\":2}");
        assertFalse(atLeastTwo.acceptsPrefix("{\"c"));
        assertFalse(atLeastTwo.acceptsPrefix("{\"a\":1,\"c\":2,"));
    }

    @Test
    void arraysWithItemCountsAndTuples() {
        JsonGrammar g = schema("{'type':'array','items':{'type':'number'},'minItems':1,'maxItems':3}");
        accepts(g, "[1]", "[1, 2.5, -3e2]", "[ 0 ]");
        refuses(g, "[]", "[1,2,3,4]", "[\"1\"]", "[1,]");
        JsonGrammar tuple = schema("{'type':'array','prefixItems':[{'type':'string'},{'type':'boolean'}],'minItems':1}");
        accepts(tuple, "[\"a\"]", "[\"a\",true]");
        refuses(tuple, "[]", "[true]", "[\"a\",true,1]");
        JsonGrammar rest = schema("{'type':'array','prefixItems':[{'type':'string'}],'items':{'type':'null'}}");
        accepts(rest, "[]", "[\"a\",null,null]");
        refuses(rest, "[null]", "[\"a\",\"b\"]");
    }

    @Test
    void stringLengthsCountCharactersAndEscapes() {
        JsonGrammar g = schema("{'type':'string','minLength':2,'maxLength':3}");
        accepts(g, "\"ab\"", "\"abc\"", "\"é日\"", "\"😀😀\"", "\"\\n\\u0041\"", "\"a\\\"\"");
        refuses(g, "\"a\"", "\"abcd\"", "\"😀\"", "\"\\n\"", "\"ab\\n\\t\"");
    }

    @Test
    void numbersAndIntegers() {
        JsonGrammar number = schema("{'type':'number'}");
        accepts(number, "0", "-0", "12", "1.5", "-0.25e-10", "3E+2", "9999999999999999", "0.1234567890123456");
        refuses(number, "00", "-", "1.", "1e", "1e+", ".1", "1.5.2", "99999999999999999", "0.12345678901234567", "1e100");
        JsonGrammar integer = schema("{'type':'integer'}");
        accepts(integer, "0", "-7", "123");
        refuses(integer, "1.0", "1e2", "-", "0x1");
    }

    @Test
    void numericBounds() {
        JsonGrammar g = schema("{'type':'integer','minimum':-5,'exclusiveMaximum':120}");
        accepts(g, "-5", "0", "119", "7", "-0");
        refuses(g, "-6", "120", "1000", "-10");
        // No number that starts "13" stays below 120 once it has three digits, but 13 itself does.
        assertTrue(g.accepts("13"));
        assertFalse(g.acceptsPrefix("130"));
        assertFalse(g.acceptsPrefix("-6"));
        JsonGrammar unit = schema("{'type':'number','exclusiveMinimum':0,'maximum':1}");
        accepts(unit, "1", "0.5", "1.0", "0.0001", "1.000");
        refuses(unit, "0", "0.0", "-0.5", "1.0001", "2");
        assertTrue(unit.acceptsPrefix("0.0"));
        assertFalse(unit.acceptsPrefix("1.1"));
        JsonGrammar point = schema("{'type':'number','minimum':2.5,'maximum':2.5}");
        accepts(point, "2.5", "2.50");
        refuses(point, "2", "3", "2.4");
    }

    @Test
    void enumsConstsBooleansAndNull() {
        JsonGrammar e = schema("{'enum':['red','green',1,12,null,{'a':[1,2]}]}");
        accepts(e, "\"red\"", "\"green\"", "1", "12", "null", "{\"a\":[1,2]}", " \"red\"");
        refuses(e, "\"blue\"", "\"re\"", "123", "2", "{\"a\": [1,2]}", "\"red\" ");
        JsonGrammar typed = schema("{'type':'string','enum':['a',1]}");
        accepts(typed, "\"a\"");
        refuses(typed, "1");
        accepts(schema("{'const':'x'}"), "\"x\"");
        accepts(schema("{'type':'boolean'}"), "true", "false");
        refuses(schema("{'type':'boolean'}"), "null", "\"true\"");
        accepts(schema("{'type':'null'}"), "null");
        JsonGrammar quoted = schema("{'enum':['say \\\"hi\\\"\\n']}");
        accepts(quoted, "\"say \\\"hi\\\"\\n\"");
    }

    @Test
    void anyOfAndTypeLists() {
        JsonGrammar g = schema("{'anyOf':[{'type':'object','properties':{'a':{'type':'integer'}},'required':['a']},"
                + "{'type':'object','properties':{'b':{'type':'string'}},'required':['b']},{'type':'null'}]}");
        accepts(g, "{\"a\":1}", "{\"b\":\"x\"}", "null");
        refuses(g, "{}", "{\"a\":\"x\"}", "{\"a\":1,\"b\":\"x\"}");
        JsonGrammar nullable = schema("{'type':['string','null'],'maxLength':1}");
        accepts(nullable, "\"a\"", "null");
        refuses(nullable, "\"ab\"", "1");
        JsonGrammar oneOf = schema("{'oneOf':[{'type':'string'},{'type':'integer'}]}");
        accepts(oneOf, "\"a\"", "3");
    }

    @Test
    void referencesAndRecursion() {
        JsonGrammar tree = schema("{'$defs':{'node':{'type':'object','properties':{'value':{'type':'integer'},"
                + "'children':{'type':'array','items':{'$ref':'#/$defs/node'}}},'required':['value']}},'$ref':'#/$defs/node'}");
        accepts(tree, "{\"value\":1}", "{\"value\":1,\"children\":[{\"value\":2,\"children\":[]},{\"value\":3}]}");
        refuses(tree, "{\"value\":1,\"children\":[{}]}");
        JsonGrammar root = schema("{'type':'array','items':{'anyOf':[{'type':'integer'},{'$ref':'#'}]}}");
        accepts(root, "[1,[2,[]],[]]");
        JsonGrammar wrapped = schema("{'allOf':[{'type':'integer'}],'description':'count'}");
        accepts(wrapped, "3");
        // An option that refers back to the anyOf itself before any byte is read.
        JsonGrammar selfish = schema("{'anyOf':[{'$ref':'#'},{'type':'null'},{'anyOf':[{'$ref':'#'},{'type':'boolean'}]}]}");
        accepts(selfish, "null", "true");
        refuses(selfish, "1");
    }

    @Test
    void lookAlikeOptionsNestedDeepStayBounded() {
        String option = "{'type':'object','properties':{'a':{'$ref':'#'}}}";
        JsonGrammar g = schema("{'anyOf':[" + String.join(",", java.util.Collections.nCopies(10, option)) + "]}");
        String deep = "{\"a\":".repeat(8) + "{}" + "}".repeat(8);
        long start = System.nanoTime();
        accepts(g, deep);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "ten readings per level, eight levels deep, must not multiply");
    }

    @Test
    void unsatisfiablePartsAreNeverStarted() {
        // An optional property that cannot be satisfied is left out; an item that cannot be satisfied ends the array.
        JsonGrammar g = schema("{'type':'object','properties':{'a':{'type':'string','minLength':3,'maxLength':2},"
                + "'b':{'type':'array','items':false}}}");
        accepts(g, "{}", "{\"b\":[]}");
        assertFalse(g.acceptsPrefix("{\"a"));
        assertFalse(g.acceptsPrefix("{\"b\":[1"));
        // Required recursion without end has no finite value.
        assertEquals("JSON schema at /: no JSON value satisfies this schema",
                org.junit.jupiter.api.Assertions.assertThrows(dev.tinyforge.util.BadInputException.class,
                        () -> schema("{'type':'object','properties':{'next':{'$ref':'#'}},'required':['next']}")).getMessage());
    }
}
