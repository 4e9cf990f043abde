package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private Path badFile() throws IOException {
        return file("bad.jsonl", """
                {"input":"a","output":"b"}
                {"input":"c"}
                {"input":"d","output":"e"}
                """);
    }

    @Test
    void versionAndHelp() {
        CliRunner version = CliRunner.run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("tinyforge "), version.out());
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"data", "--help"},
                new String[] {"data", "validate", "--help"}, new String[] {"data", "split", "--help"},
                new String[] {"data", "convert", "--help"}, new String[] {"data", "stats", "--help"},
                new String[] {"data", "examples", "--help"}, new String[] {"quickstart", "--help"})) {
            CliRunner help = CliRunner.run(args);
            assertEquals(0, help.exitCode(), String.join(" ", args));
            String command = String.join(" ", java.util.Arrays.copyOf(args, args.length - 1));
            String expected = "Usage: tinyforge" + (command.isEmpty() ? "" : " " + command) + " [";
            assertTrue(help.out().startsWith(expected), () -> "expected " + expected + " in " + help.out());
        }
    }

    @Test
    void badUsageExitsWithTwoAndOneLine() {
        CliRunner r = CliRunner.run("data", "frobnicate");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: Unmatched argument at index 1: 'frobnicate'"), r.err());
        CliRunner missing = CliRunner.run("data", "split", "x.jsonl");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().startsWith("error: Missing required option: '--out=DIR'"), missing.err());
    }

    @Test
    void validateGoodFileExitsZero() throws IOException {
        Path good = file("good.jsonl", "{\"input\":\"a\",\"output\":\"b\"}\n{\"input\":\"c\",\"output\":\"d\"}\n");
        CliRunner r = CliRunner.run("data", "validate", good.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(good + ": 2 records in io format, 0 bad lines\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void validateReportsEachBadLineAndExitsTwo() throws IOException {
        Path bad = badFile();
        CliRunner r = CliRunner.run("data", "validate", bad.toString());
        assertEquals(2, r.exitCode());
        assertEquals("error: " + bad + ":2: field \"output\" is missing\n", r.err());
        assertEquals(bad + ": 2 records in io format, 1 bad line\n", r.out());
    }

    @Test
    void allowErrorsTurnsBadLinesIntoWarnings() throws IOException {
        Path bad = badFile();
        CliRunner r = CliRunner.run("data", "validate", "--allow-errors", bad.toString());
        assertEquals(0, r.exitCode());
        assertEquals("warning: " + bad + ":2: field \"output\" is missing\n", r.err());
    }

    @Test
    void validateJsonIsMachineReadable() throws IOException {
        CliRunner r = CliRunner.run("data", "validate", "--json", badFile().toString());
        assertEquals(2, r.exitCode());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("records").intValue());
        assertEquals(1, json.get("bad_lines").intValue());
        assertFalse(json.get("valid").booleanValue());
        assertEquals(2, json.get("problems").get(0).get("line").intValue());
        assertEquals("field \"output\" is missing", json.get("problems").get(0).get("message").textValue());
        assertEquals("", r.err());
    }

    @Test
    void missingFileAndEmptyFile() throws IOException {
        CliRunner missing = CliRunner.run("data", "validate", dir.resolve("nope.jsonl").toString());
        assertEquals(2, missing.exitCode());
        assertEquals("error: " + dir.resolve("nope.jsonl") + ": no such file\n", missing.err());
        CliRunner empty = CliRunner.run("data", "validate", file("empty.jsonl", "\n").toString());
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().endsWith("empty.jsonl: no valid records\n"), empty.err());
    }

    @Test
    void unknownFormatNameIsBadUsage() throws IOException {
        CliRunner r = CliRunner.run("data", "validate", "--format", "csv", badFile().toString());
        assertEquals(2, r.exitCode());
        assertEquals("error: unknown record format 'csv': expected one of io, alpaca, prompt-completion, messages, text\n",
                r.err());
    }

    @Test
    void statsPrintsLengthsAndJson() throws IOException {
        Path data = file("s.jsonl", "{\"prompt\":\"héllo\",\"completion\":\"ab\"}\n{\"prompt\":\"x\",\"completion\":\"abcd\"}\n");
        CliRunner text = CliRunner.run("data", "stats", data.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("records     2"), text.out());
        assertTrue(text.out().matches("(?s).*prompt\\s+1\\s+3\\.0\\s+1\\s+5\\s+5\\n.*"), text.out());
        CliRunner json = CliRunner.run("data", "stats", "--json", data.toString());
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertEquals("prompt-completion", node.get("format").textValue());
        assertEquals(4, node.get("completion_chars").get("max").intValue());
        assertEquals(3.0, node.get("completion_chars").get("mean").doubleValue());
    }

    @Test
    void statsSummarisesBadLinesInOneWarning() throws IOException {
        Path bad = badFile();
        CliRunner r = CliRunner.run("data", "stats", bad.toString());
        assertEquals(0, r.exitCode());
        assertEquals("warning: " + bad + ": 1 bad line was left out; 'tinyforge data validate " + bad + "' lists them\n",
                r.err());
    }

    @Test
    void splitWritesThreeFilesAndPrintsCounts() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) sb.append("{\"input\":\"q").append(i).append("\",\"output\":\"a\"}\n");
        CliRunner r = CliRunner.run("data", "split", file("d.jsonl", sb.toString()).toString(), "--out",
                dir.resolve("splits").toString(), "--seed", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("train       80 records (80 distinct inputs) -> "), r.out());
        assertTrue(r.out().endsWith("split 100 io records with seed 3\n"), r.out());
        assertEquals(10, Files.readAllLines(dir.resolve("splits/test.jsonl")).size());
    }

    @Test
    void splitIntoAFileIsAFailureWithAReadableMessage() throws IOException {
        Path blocker = file("blocker", "not a directory");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.append("{\"input\":\"q").append(i).append("\",\"output\":\"a\"}\n");
        CliRunner r = CliRunner.run("data", "split", file("d.jsonl", sb.toString()).toString(), "--out",
                blocker.toString());
        assertEquals(1, r.exitCode());
        assertEquals("error: " + blocker + ": already exists and is not a directory\n", r.err());
    }

    @Test
    void convertWritesTheTargetFormat() throws IOException {
        Path in = file("io.jsonl", "{\"input\":\"a\",\"output\":\"b\",\"system\":\"s\"}\n");
        Path out = dir.resolve("chat.jsonl");
        CliRunner r = CliRunner.run("data", "convert", in.toString(), "--to", "messages", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"assistant\",\"content\":\"b\"}]}\n", Files.readString(out));
        assertEquals("converted 1 io records to messages -> " + out + "\n", r.out());
    }

    @Test
    void convertThatWouldLoseDataWritesNothing() throws IOException {
        Path in = file("chat.jsonl", """
                {"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}
                {"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"},{"role":"assistant","content":"d"}]}
                """);
        Path out = dir.resolve("io.jsonl");
        CliRunner r = CliRunner.run("data", "convert", in.toString(), "--to", "io", "--out", out.toString());
        assertEquals(2, r.exitCode());
        assertEquals("error: " + in + ":2: the io format holds one user turn and one assistant turn; this record has "
                + "4 turns (user, assistant, user, assistant)\n"
                + "error: " + in + ": 1 line could not be converted to io; nothing was written\n", r.err());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp file left behind");
        }
    }
}
