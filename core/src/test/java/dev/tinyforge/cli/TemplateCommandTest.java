package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tinyforge template}: the exact prompt on stdout, one-line errors naming the file, exit code 2. */
class TemplateCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private Path chat() throws Exception {
        return Files.writeString(dir.resolve("chat.json"),
                "[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]");
    }

    @Test
    void printsThePromptWithoutAddingANewline() throws Exception {
        Path template = Files.writeString(dir.resolve("t.jinja"),
                "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}"
                        + "{% if add_generation_prompt %}<assistant>{% endif %}{{ eos_token }}\n");
        Result r = run("template", template.toString(), "--messages", chat().toString(), "--add-generation-prompt",
                "--bos", "<s>", "--eos", "</s>");
        assertEquals(0, r.code(), r.err());
        assertEquals("<s><system>Be brief.<user>Hi<assistant></s>", r.out());

        Result noPrompt = run("template", template.toString(), "--messages", chat().toString());
        assertEquals("<system>Be brief.<user>Hi", noPrompt.out());
    }

    @Test
    void readsTokenizerConfigsVariablesAndTheClock() throws Exception {
        Path config = Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"{{ strftime_now('%d %b %Y') }}|{{ tools|length }}|{{ name }}|{{ think }}\"}");
        Path messages = Files.writeString(dir.resolve("m.json"),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"tools\": [{\"type\": \"function\"}]}");
        Result r = run("template", config.toString(), "--messages", messages.toString(), "--now", "2025-03-05T12:00:00Z",
                "--var", "name=Alice", "--var", "think=false");
        assertEquals(0, r.code(), r.err());
        assertEquals("05 Mar 2025|1|Alice|False", r.out());
    }

    @Test
    void mergesTheSystemRoleOnRequest() throws Exception {
        Path gemma = Fixtures.require("chat-templates/google-gemma-2-2b-it.jinja");
        Result refused = run("template", gemma.toString(), "--messages", chat().toString());
        assertEquals(Main.BAD_INPUT, refused.code());
        assertEquals("error: " + gemma + ": line 1, column 59: System role not supported\n", refused.err());

        Result merged = run("template", gemma.toString(), "--messages", chat().toString(), "--merge-system-role",
                "--add-generation-prompt", "--bos", "<bos>");
        assertEquals(0, merged.code(), merged.err());
        assertEquals("<bos><start_of_turn>user\nBe brief.\nHi<end_of_turn>\n<start_of_turn>model\n", merged.out());
    }

    @Test
    void takesTheTemplateAndSpecialTokensOfAModel() throws Exception {
        Path hi = Files.writeString(dir.resolve("hi.json"), "[{\"role\": \"user\", \"content\": \"Hi\"}]");
        // An HF folder: tokenizer_config.json's template, bos_token from the tokenizer.
        Path llama3 = Fixtures.require("hf-tokenizers/llama3");
        Result hf = run("template", llama3.toString(), "--messages", hi.toString(), "--add-generation-prompt");
        assertEquals(0, hf.code(), hf.err());
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", hf.out());
        assertEquals("", hf.err());
        // A GGUF file: tokenizer.chat_template.
        Path qwen2 = Fixtures.require("tokenizers/ggml-vocab-qwen2.gguf");
        Result gguf = run("template", qwen2.toString(), "--messages", hi.toString(), "--add-generation-prompt");
        assertEquals(0, gguf.code(), gguf.err());
        assertEquals("<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\n", gguf.out());
        // No template: ChatML, and the user is told.
        Path stories = Fixtures.require("models/stories260K/hf");
        Result none = run("template", stories.toString(), "--messages", hi.toString());
        assertEquals(0, none.code(), none.err());
        assertEquals("<|im_start|>user\nHi<|im_end|>\n", none.out());
        assertEquals("note: " + stories + " has no chat template; using ChatML\n", none.err());

        Result missing = run("template", dir.resolve("nope.gguf").toString(), "--messages", hi.toString());
        assertEquals(Main.BAD_INPUT, missing.code());
        assertEquals("error: " + dir.resolve("nope.gguf") + ": no such file or folder\n", missing.err());
    }

    @Test
    void badInputIsAOneLineErrorNamingTheFile() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jinja"), "ok\n{% for x in %}");
        Result syntax = run("template", broken.toString(), "--messages", chat().toString());
        assertEquals(Main.BAD_INPUT, syntax.code());
        assertTrue(syntax.err().startsWith("error: " + broken + ": line 2, column 13: "), syntax.err());

        Path template = Files.writeString(dir.resolve("ok.jinja"), "x");
        Path badJson = Files.writeString(dir.resolve("bad.json"), "[{\"role\": \"user\",\n \"content\": }]");
        Result json = run("template", template.toString(), "--messages", badJson.toString());
        assertEquals(Main.BAD_INPUT, json.code());
        assertTrue(json.err().startsWith("error: " + badJson + ": invalid JSON at line 2, column "), json.err());

        Path notMessages = Files.writeString(dir.resolve("n.json"), "{\"role\": \"user\"}");
        Result shape = run("template", template.toString(), "--messages", notMessages.toString());
        assertEquals("error: " + notMessages + ": expected a JSON array of messages, or an object with a \"messages\" array\n",
                shape.err());

        Result missing = run("template", dir.resolve("nope.jinja").toString(), "--messages", chat().toString());
        assertEquals("error: " + dir.resolve("nope.jinja") + ": no such file\n", missing.err());

        for (Result r : new Result[] {syntax, json, shape, missing}) {
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out());
        }
    }
}
