package dev.tinyforge.data.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.eval.DotSyntax;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each dataset's outputs are valid for its task: parseable JSON of the right shape, valid DOT, the reminder grammar. */
class ExampleOutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private static List<ObjectNode> records(ExampleDataset d) {
        return ExampleDatasetsTest.records(d);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void openApiOutputsAreOnePathItemWithOneOperation() {
        for (ObjectNode record : records(new OpenApiDataset())) {
            String output = record.get("output").asText();
            JsonNode item = json(output);
            assertEquals(output, JSON.valueToTree(item).toString(), "output is compact JSON");
            List<String> paths = fieldNames(item);
            assertEquals(1, paths.size(), output);
            String path = paths.getFirst();
            assertTrue(path.startsWith("/"), output);
            List<String> methods = fieldNames(item.get(path));
            assertEquals(1, methods.size(), output);
            assertTrue(METHODS.contains(methods.getFirst()), output);
            JsonNode op = item.get(path).get(methods.getFirst());
            assertTrue(op.path("responses").isObject() && !op.get("responses").isEmpty(), output);
            List<String> pathParams = new ArrayList<>();
            for (JsonNode p : op.path("parameters")) {
                assertEquals(List.of("name", "in", "required", "schema"), fieldNames(p), output);
                if (p.get("in").asText().equals("path")) {
                    assertTrue(p.get("required").asBoolean(), output);
                    pathParams.add(p.get("name").asText());
                }
            }
            List<String> templated = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([A-Za-z]+)}").matcher(path);
            while (m.find()) templated.add(m.group(1));
            assertEquals(templated, pathParams, output);
            assertEquals(Set.of("post", "put", "patch").contains(methods.getFirst()), op.has("requestBody"), output);
        }
    }

    @Test
    void toolCallOutputsAreOneCallToAListedTool() {
        for (ObjectNode record : records(new ToolCallDataset())) {
            String output = record.get("output").asText();
            JsonNode call = json(output);
            assertEquals(List.of("tool", "args"), fieldNames(call), output);
            String tool = call.get("tool").asText();
            assertTrue(record.get("system").asText().contains(tool + "("), output);
            assertTrue(call.get("args").isObject() && !call.get("args").isEmpty(), output);
            String signature = ToolCallDataset.SYSTEM.split(Pattern.quote(tool + "("))[1].split("\\)")[0];
            List<String> allowed = List.of(signature.replace("?", "").split(", "));
            List<String> given = fieldNames(call.get("args"));
            assertEquals(allowed.stream().filter(given::contains).toList(), given, "args in the listed order: " + output);
            for (String name : allowed) {
                if (!signature.contains(name + "?")) assertTrue(given.contains(name), "required " + name + ": " + output);
            }
        }
    }

    @Test
    void dotOutputsAreValidCanonicalDigraphs() {
        for (ObjectNode record : records(new DotDataset())) {
            String output = record.get("completion").asText();
            var result = DotSyntax.check(output);
            assertTrue(result instanceof DotSyntax.Valid v && v.directed() && !v.strict(), result + "\n" + output);
            String[] lines = output.split("\n");
            assertTrue(lines[0].matches("digraph (\\w+|\"[^\"]+\") \\{"), output);
            assertEquals("}", lines[lines.length - 1], output);
            for (int i = 1; i < lines.length - 1; i++) {
                assertTrue(lines[i].matches("  \\S.*;"), "line " + (i + 1) + " of\n" + output);
            }
            assertTrue(output.contains(" -> "), output);
        }
    }

    /** Written out here, apart from the generator's own pattern, as the grammar's reference. */
    private static final Pattern REMINDER = Pattern.compile(
            "\\S(.*\\S)? \\| ("
                    + "(today|tomorrow|(next )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                    + "|(january|february|march|april|may|june|july|august|september|october|november|december) ([1-9]|[12]\\d|3[01]))"
                    + "( ([01]\\d|2[0-3]):[0-5]\\d)?"
                    + "|in [1-9]\\d*[mh])");

    @Test
    void reminderOutputsFollowTheGrammar() {
        for (ObjectNode record : records(new RemindersDataset())) {
            String input = record.get("input").asText(), output = record.get("output").asText();
            assertTrue(REMINDER.matcher(output).matches(), output);
            assertTrue(RemindersDataset.OUTPUT.matcher(output).matches(), output);
            String task = output.substring(0, output.indexOf(" | "));
            assertTrue(input.toLowerCase().contains(task.toLowerCase()), "the task is kept word for word: " + input + " -> " + output);
            if (input.contains("tonight")) assertTrue(output.matches(".* \\| today (19|2\\d):\\d\\d"), input + " -> " + output);
            if (input.contains("in the morning")) assertTrue(output.endsWith("| tomorrow 09:00"), input + " -> " + output);
        }
    }

    @Test
    void aBareHourFollowsTheAmPmRule() {
        assertEquals(13, ReminderWhen.bareHour(1));
        assertEquals(17, ReminderWhen.bareHour(5));
        assertEquals(18, ReminderWhen.bareHour(6));
        assertEquals(7, ReminderWhen.bareHour(7));
        assertEquals(11, ReminderWhen.bareHour(11));
        assertEquals(12, ReminderWhen.bareHour(12));
    }

    @Test
    void supportAnswersComeWithTheSystemPromptAndOneQuestion() {
        for (ObjectNode record : records(new SupportDataset())) {
            JsonNode messages = record.get("messages");
            assertEquals(3, messages.size());
            assertEquals(SupportDataset.SYSTEM, messages.get(0).get("content").asText());
            String answer = messages.get(2).get("content").asText();
            assertFalse(answer.isBlank());
            // Prices are stated in one place; an answer quoting one must quote it right.
            if (answer.contains("Plus costs")) assertTrue(answer.contains("$4.99 a month, or $49.90 a year"), answer);
            if (answer.contains("Pro costs")) assertTrue(answer.contains("$9.99 a month, or $99.90 a year"), answer);
        }
    }
}
