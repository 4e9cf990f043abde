package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect, tokenize, generate and perplexity on the real stories260K model. */
class ModelCommandsTest {
    @TempDir
    Path dir;

    @Test
    void inspectDescribesBothForms() throws IOException {
        Path model = Fixtures.require("models/stories260K");
        CliRunner hf = CliRunner.run("inspect", model.resolve("hf").toString());
        assertEquals(0, hf.exitCode(), hf.err());
        assertTrue(hf.out().contains("attention      8 heads, 4 kv heads, head dim 8\n"), hf.out());
        assertTrue(hf.out().contains("special        bos 1 <s>, eos 2 </s>, unk 0 <unk>, pad none; adds bos true, eos false"), hf.out());
        assertTrue(hf.out().contains("chat template  none (ChatML is used as the fallback)"), hf.out());
        CliRunner json = CliRunner.run("inspect", "--json", model.resolve("stories260K.gguf").toString());
        assertEquals(0, json.exitCode(), json.err());
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertEquals("gguf", node.get("format").textValue());
        assertEquals(48, node.get("tensor_types").get("F32").get("count").intValue());
        assertEquals(128, node.get("config").get("contextLength").intValue());
    }

    @Test
    void tokenizePrintsIdsPiecesAndCases() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        CliRunner pieces = CliRunner.run("tokenize", hf.toString(), "Once upon a time");
        assertEquals("     1 -> '<s>'\n   403 -> '▁Once'\n   407 -> '▁upon'\n   261 -> '▁a'\n   378 -> '▁time'\n", pieces.out());
        assertEquals("403 407 261 378\n", CliRunner.run("tokenize", "--ids", "--no-special", hf.toString(), "Once upon a time").out());
        Path inp = dir.resolve("cases.inp");
        Files.writeString(inp, "Once\n__ggml_vocab_test__\n\n__ggml_vocab_test__\n");
        CliRunner cases = CliRunner.run("tokenize", hf.toString(), "--cases", inp.toString());
        assertEquals(0, cases.exitCode(), cases.err());
        assertEquals(" 403\n\n", cases.out());
    }

    @Test
    void generateGreedyIsLlamaCppsText() {
        Path hf = Fixtures.require("models/stories260K/hf");
        CliRunner r = CliRunner.run("generate", hf.toString(), "-p", "Once upon a time", "--temperature", "0", "-n", "12", "--ids");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("Once upon a time, there was a little girl named Lily. She\nids: 432 383 286 261 376 298 315 421 395 317 426 338\n",
                r.out());
        assertTrue(r.err().contains("generated 12 tokens"), r.err());
    }

    @Test
    void perplexityPrintsLikeLlamaPerplexity() {
        Path model = Fixtures.require("models/stories260K");
        CliRunner r = CliRunner.run("perplexity", model.resolve("hf").toString(), "-f",
                model.resolve("ppl_story.txt").toString(), "-c", "128");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().endsWith("[1]2.0103,[2]2.6889,[3]3.0635,[4]3.1052,[5]3.3526,[6]3.5649,\n"
                + "Final estimate: PPL = 3.5649 +/- 0.27356\n"), r.out());
    }

    @Test
    void statsCountsTokensWithAModelsTokenizer() throws IOException {
        Path gguf = Fixtures.require("models/stories260K/stories260K.gguf");
        Path data = dir.resolve("d.jsonl");
        Files.writeString(data, "{\"input\":\"Once upon a time\",\"output\":\"Once\"}\n");
        CliRunner r = CliRunner.run("data", "stats", "--json", "--tokenizer", gguf.toString(), data.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode node = new ObjectMapper().readTree(r.out());
        assertEquals(4, node.get("prompt_tokens").get("max").intValue(), "▁Once ▁upon ▁a ▁time");
        assertEquals(1, node.get("completion_tokens").get("max").intValue());
    }

    @Test
    void badModelPathsAreOneLineErrors() throws IOException {
        CliRunner missing = CliRunner.run("inspect", dir.resolve("nope.gguf").toString());
        assertEquals(2, missing.exitCode());
        assertEquals("error: " + dir.resolve("nope.gguf") + ": no such file or folder\n", missing.err());
        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "definitely not a gguf file");
        CliRunner bad = CliRunner.run("generate", junk.toString(), "-p", "hi");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().startsWith("error: " + junk), bad.err());
        Files.createDirectories(dir.resolve("pickle"));
        Files.writeString(dir.resolve("pickle/config.json"), "{\"model_type\":\"llama\",\"vocab_size\":8,\"hidden_size\":8,"
                + "\"intermediate_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":2}");
        Files.writeString(dir.resolve("pickle/pytorch_model.bin"), "x");
        CliRunner pickle = CliRunner.run("perplexity", dir.resolve("pickle").toString(), "-f", junk.toString());
        assertEquals(2, pickle.exitCode());
        assertTrue(pickle.err().contains("reads safetensors, not pickle files"), pickle.err());
    }
}
