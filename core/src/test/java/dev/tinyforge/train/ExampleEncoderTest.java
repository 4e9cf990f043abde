package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.data.Example;
import dev.tinyforge.data.ParsedRecord;
import dev.tinyforge.data.RecordParser;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.HfTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.template.ChatTemplateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExampleEncoderTest {
    private static Example parse(String json) {
        return ((ParsedRecord.Valid) RecordParser.parse(json, null)).example();
    }

    /** The tokens the loss covers, decoded. */
    private static String targets(Tokenizer tokenizer, TokenizedExample e) {
        StringBuilder sb = new StringBuilder();
        int[] run = new int[e.length()];
        int n = 0;
        for (int t = 0; t < e.length(); t++) {
            if (e.target()[t]) {
                run[n++] = e.ids()[t];
            } else if (n > 0) {
                sb.append(tokenizer.decode(Arrays.copyOf(run, n), false)).append('|');
                n = 0;
            }
        }
        if (n > 0) sb.append(tokenizer.decode(Arrays.copyOf(run, n), false)).append('|');
        return sb.toString();
    }

    @Test
    void plainFormatTrainsOnTheAnswerAndEos() throws IOException {
        Tokenizer tokenizer = HfTokenizerLoader.load(Fixtures.require("models/stories260K/hf"));
        var encoder = new ExampleEncoder(tokenizer, new PromptFormat.Plain(), 256, false);
        TokenizedExample e = encoder.encode(parse("{\"input\":\"Tom had a ball.\",\"output\":\"He was happy.\"}"));
        assertEquals(1, e.ids()[0], "one BOS first");
        assertEquals(1, Arrays.stream(e.ids()).filter(id -> id == 1).count(), "no second BOS");
        assertEquals(2, e.ids()[e.length() - 1], "ends with EOS");
        assertEquals("He was happy.</s>|", targets(tokenizer, e));
        assertFalse(e.target()[0]);
        var all = new ExampleEncoder(tokenizer, new PromptFormat.Plain(), 256, true).encode(
                parse("{\"input\":\"Tom had a ball.\",\"output\":\"He was happy.\"}"));
        assertEquals(e.length() - 1, all.targetCount(), "--train-on-inputs covers every token but the first");
    }

    @Test
    void chatTemplateTrainsOnEachAssistantTurnWithItsEndMarker() throws IOException {
        Path dir = Fixtures.require("hf-tokenizers/qwen3");
        Tokenizer tokenizer = HfTokenizerLoader.load(dir);
        var template = ChatTemplateFiles.load(dir.resolve("tokenizer_config.json"));
        var format = new PromptFormat.Template(template, null, tokenizer.piece(tokenizer.eos()));
        var encoder = new ExampleEncoder(tokenizer, format, 512, false);
        TokenizedExample e = encoder.encode(parse("""
                {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
                {"role":"assistant","content":"Hello!","train":false},{"role":"user","content":"2+2?"},
                {"role":"assistant","content":"4"}]}"""));
        String trained = targets(tokenizer, e);
        // Qwen3's template writes an empty think block into the final answer: it is part of what the model says.
        assertEquals("<think>\n\n</think>\n\n4<|im_end|>\n|", trained);
        assertFalse(trained.contains("Hello!"), "an assistant turn with train false is not trained: " + trained);
        assertFalse(e.truncated());
    }

    @Test
    void truncationIsReported() throws IOException {
        Tokenizer tokenizer = HfTokenizerLoader.load(Fixtures.require("models/stories260K/hf"));
        var encoder = new ExampleEncoder(tokenizer, new PromptFormat.Plain(), 8, false);
        TokenizedExample e = encoder.encode(parse("{\"input\":\"Once upon a time there was a dog.\",\"output\":\"The end.\"}"));
        assertEquals(8, e.length());
        assertTrue(e.truncated());
        assertEquals(0, e.targetCount(), "the answer was cut off entirely");
    }
}
