package dev.tinyforge.tokenizer;

import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared access to the tokenizer fixtures, loading each tokenizer once per test JVM. */
final class FixtureTokenizers {
    static final List<String> HF_FAMILIES = List.of("llama2", "llama3", "qwen3", "gemma3");
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private FixtureTokenizers() {}

    /** The tokenizer of {@code hf-tokenizers/<family>} (tokenizer.json.gz + tokenizer_config.json); skips without fixtures. */
    static Tokenizer hf(String family) {
        Path dir = Fixtures.require("hf-tokenizers/" + family);
        return LOADED.computeIfAbsent(family, f -> HfTokenizerLoader.load(dir));
    }

    /** The 11 vocab-only GGUFs of llama.cpp's tokenizer tests, {@code tokenizers/ggml-vocab-<name>.gguf}. */
    static final List<String> GGUF_VOCABS = List.of("llama-spm", "llama-bpe", "gpt-2", "qwen2", "phi-3", "deepseek-coder",
            "starcoder", "falcon", "mpt", "refact", "command-r");

    /** The tokenizer of {@code tokenizers/ggml-vocab-<name>.gguf}; skips without fixtures. */
    static Tokenizer gguf(String name) {
        Path file = Fixtures.require("tokenizers/ggml-vocab-" + name + ".gguf");
        return LOADED.computeIfAbsent("gguf:" + name, f -> GgufTokenizerLoader.load(file));
    }

    /** The cases of {@code tokenizers/ggml-vocab-<name>.gguf.inp/.out}. */
    static List<Case> ggufCases(String name) {
        Path dir = Fixtures.require("tokenizers");
        String base = "ggml-vocab-" + name + ".gguf";
        return cases(dir.resolve(base + ".inp"), dir.resolve(base + ".out"));
    }

    static Tokenizer storiesGguf() {
        Path file = Fixtures.require("models/stories260K/stories260K.gguf");
        return LOADED.computeIfAbsent("gguf:stories260K", f -> GgufTokenizerLoader.load(file));
    }

    static Tokenizer stories() {
        Path dir = Fixtures.require("models/stories260K/hf");
        return LOADED.computeIfAbsent("stories260K", f -> HfTokenizerLoader.load(dir));
    }

    record Case(String text, int[] ids) {}

    /** The cases of a .inp/.out pair: split on the separator, no trimming; ids one line per case. */
    static List<Case> hfCases(String family) {
        Path dir = Fixtures.require("hf-tokenizers/" + family);
        return cases(dir.resolve("cases.inp"), dir.resolve("cases.out"));
    }

    private static List<Case> cases(Path inpFile, Path outFile) {
        try {
            String inp = new String(Files.readAllBytes(inpFile), StandardCharsets.UTF_8);
            String out = new String(Files.readAllBytes(outFile), StandardCharsets.UTF_8);
            List<String> texts = new ArrayList<>();
            for (int from = 0, at; (at = inp.indexOf(SEPARATOR, from)) >= 0; from = at + SEPARATOR.length()) {
                texts.add(inp.substring(from, at));
            }
            String[] lines = out.split("\n", -1);
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                String line = lines[i].strip();
                int[] ids = line.isEmpty() ? new int[0]
                        : java.util.Arrays.stream(line.split(" +")).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(texts.get(i), ids));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
