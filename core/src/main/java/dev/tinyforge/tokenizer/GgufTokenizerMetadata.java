package dev.tinyforge.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tinyforge.io.gguf.GgufArray;
import dev.tinyforge.io.gguf.GgufMetadata;
import dev.tinyforge.io.gguf.GgufValue;
import dev.tinyforge.util.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;

/**
 * The {@code tokenizer.ggml.*} keys of a GGUF file: copied from another GGUF, or converted from a
 * Hugging Face {@code tokenizer.json} so that llama.cpp gives the ids HF gives.
 * <ul>
 *   <li>A byte-fallback BPE (Llama 2, Mistral, Gemma, converted from SentencePiece) becomes model
 *       {@code llama}: the pieces with scores that order them as the merges do, BYTE types for the
 *       {@code <0xNN>} pieces, and add_space_prefix as the normalizer prepends "▁" or not.</li>
 *   <li>A byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM) becomes model {@code gpt2}: the pieces, the
 *       merges in rank order, and the {@code pre} name of the llama.cpp pre-tokenizer that splits
 *       text as the tokenizer.json does.</li>
 * </ul>
 * Which pre-tokenizer (and whether a space is prefixed) is decided by behaviour, not by a name
 * table: the candidates are tried on {@link TokenizerProbes} and the first one whose ids equal HF's
 * on every probe is kept. When none does, the conversion fails rather than write a GGUF that
 * tokenizes differently. Ids past the tokenizer's vocabulary up to the model's embedding rows
 * become unused {@code [PAD<id>]} entries, as llama.cpp's converter writes them.
 */
public final class GgufTokenizerMetadata {
    private static final String KEY = "tokenizer.ggml.";

    /** The converted keys, and what the conversion could not carry over exactly. */
    public record Converted(SequencedMap<String, GgufValue> entries, List<String> notes) {}

    /** Names tried first, in this order; every other name llama.cpp knows follows. */
    private static final List<String> PREFERRED_PRE = List.of("llama-bpe", "qwen2", "gpt-2", "smollm", "starcoder",
            "default", "deepseek-llm", "deepseek-coder", "deepseek-v3", "tekken", "gpt-4o", "falcon");

    private GgufTokenizerMetadata() {}

    /** Every {@code tokenizer.*} key of a GGUF file, as it is (the chat template included). */
    public static SequencedMap<String, GgufValue> copyOf(GgufMetadata source) {
        SequencedMap<String, GgufValue> out = new LinkedHashMap<>();
        source.asMap().forEach((key, value) -> {
            if (key.startsWith("tokenizer.")) out.put(key, value);
        });
        if (!out.containsKey(KEY + "model")) {
            throw new BadInputException(source + ": no tokenizer.ggml.model: the GGUF has no tokenizer to carry over");
        }
        return out;
    }

    /**
     * Converts the tokenizer of an HF folder (tokenizer.json and tokenizer_config.json).
     *
     * @param vocabSize the model's vocabulary size (embedding rows); the token list gets exactly this many entries
     */
    public static Converted fromHf(Path folder, int vocabSize) {
        Path json = folder.resolve("tokenizer.json");
        if (!Files.exists(json) && Files.exists(folder.resolve("tokenizer.json.gz"))) json = folder.resolve("tokenizer.json.gz");
        if (!Files.exists(json)) throw new BadInputException(folder + ": no tokenizer.json (a GGUF needs the tokenizer)");
        JsonNode root = HfTokenizerLoader.read(json);
        Path configFile = folder.resolve("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configFile) ? HfTokenizerLoader.read(configFile) : null;
        Tokenizer hf = HfTokenizerLoader.load(root, json.toString(), config, configFile.toString());
        JsonNode model = root.get("model");
        int n = hf.vocabSize();
        if (n > vocabSize) {
            throw new BadInputException(json + ": the tokenizer has " + n + " ids but the model only " + vocabSize
                    + " embedding rows");
        }
        boolean spm = model.path("byte_fallback").asBoolean(false);
        List<String> notes = new ArrayList<>();

        List<String> tokens = new ArrayList<>(vocabSize);
        int[] types = new int[vocabSize];
        float[] scores = new float[vocabSize];
        Vocabulary vocab = hf.vocabulary();
        String[] raw = new String[n];
        for (int id = 0; id < n; id++) raw[id] = vocab.piece(id);
        for (AddedToken t : hf.addedTokens()) raw[t.id()] = t.content(); // llama.cpp matches the raw content
        Set<String> seen = new java.util.HashSet<>();
        for (int id = 0; id < vocabSize; id++) {
            String piece = id < n ? raw[id] : null;
            if (piece == null || !seen.add(piece)) {
                piece = "[PAD" + id + "]";
                types[id] = TokenType.UNUSED.gguf();
                if (!seen.add(piece)) throw new BadInputException(json + ": piece " + piece + " clashes with a padding entry");
            } else {
                types[id] = vocab.type(id).gguf();
                scores[id] = vocab.score(id);
            }
            tokens.add(piece);
        }

        SpecialTokens special = hf.specialTokens();
        SequencedMap<String, GgufValue> base = new LinkedHashMap<>();
        base.put(KEY + "model", GgufValue.string(spm ? "llama" : "gpt2"));
        base.put(KEY + "tokens", GgufArray.ofStrings(tokens));
        if (spm) base.put(KEY + "scores", GgufArray.ofFloats(scores));
        base.put(KEY + "token_type", GgufArray.ofInts(types));
        if (!spm) base.put(KEY + "merges", GgufArray.ofStrings(merges(model, json)));
        putId(base, "bos_token_id", special.bos());
        putId(base, "eos_token_id", special.eos());
        putId(base, "unknown_token_id", special.unk());
        putId(base, "padding_token_id", special.pad());
        base.put(KEY + "add_bos_token", GgufValue.bool(special.addBos()));
        base.put(KEY + "add_eos_token", GgufValue.bool(special.addEos()));

        List<SequencedMap<String, GgufValue>> candidates = new ArrayList<>();
        if (spm) {
            boolean guess = prependsSpace(root);
            for (boolean prefix : new boolean[] {guess, !guess}) {
                SequencedMap<String, GgufValue> c = new LinkedHashMap<>(base);
                c.put(KEY + "add_space_prefix", GgufValue.bool(prefix));
                candidates.add(c);
            }
        } else {
            boolean ignoreMerges = model.path("ignore_merges").asBoolean(false);
            Boolean cleanUp = config != null && config.has("clean_up_tokenization_spaces")
                    ? config.get("clean_up_tokenization_spaces").asBoolean() : null;
            for (String pre : preNames(ignoreMerges, cleanUp, hint(root.get("pre_tokenizer")))) {
                SequencedMap<String, GgufValue> c = new LinkedHashMap<>();
                base.forEach((k, v) -> {
                    c.put(k, v);
                    if (k.equals(KEY + "model")) c.put(KEY + "pre", GgufValue.string(pre));
                });
                candidates.add(c);
            }
            if (root.hasNonNull("normalizer")) {
                notes.add("the tokenizer.json normalizer (" + root.get("normalizer").path("type").asText()
                        + ") has no GGUF equivalent; llama.cpp tokenizes unnormalized text (the probes agree)");
            }
        }
        String firstMismatch = null;
        for (SequencedMap<String, GgufValue> c : candidates) {
            String mismatch = mismatch(hf, c, json.toString());
            if (mismatch == null) return new Converted(c, notes);
            if (firstMismatch == null) firstMismatch = mismatch;
        }
        throw new BadInputException(json + ": no llama.cpp tokenizer setting reproduces this tokenizer's ids ("
                + (spm ? "SentencePiece-style" : "byte-level BPE, pre-tokenizer " + describe(root.get("pre_tokenizer")))
                + "); first difference: " + firstMismatch);
    }

    private static void putId(SequencedMap<String, GgufValue> map, String key, int id) {
        if (id >= 0) map.put(KEY + key, GgufValue.u32(id));
    }

    private static List<String> merges(JsonNode model, Path file) {
        JsonNode list = model.get("merges");
        List<String> out = new ArrayList<>();
        if (list == null || list.isNull()) return out;
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String left, right;
            if (m.isTextual()) {
                String s = m.asText();
                int space = s.indexOf(' ');
                left = s.substring(0, space);
                right = s.substring(space + 1);
            } else {
                left = m.get(0).asText();
                right = m.get(1).asText();
            }
            if (left.contains(" ") || right.contains(" ")) {
                throw new BadInputException(file + ": model.merges[" + i + "] has a piece with a space, which GGUF's "
                        + "\"left right\" merges cannot hold");
            }
            out.add(left + " " + right);
        }
        return out;
    }

    /** Whether the normalizer or pre-tokenizer puts "▁" before the text (SentencePiece's dummy prefix). */
    private static boolean prependsSpace(JsonNode root) {
        String normalizer = String.valueOf(root.get("normalizer"));
        if (normalizer.contains("\"Prepend\"")) return true;
        JsonNode pre = root.get("pre_tokenizer");
        if (pre != null && String.valueOf(pre).contains("\"Metaspace\"")) {
            String text = pre.toString();
            return !text.contains("\"prepend_scheme\":\"never\"") && !text.contains("\"add_prefix_space\":false");
        }
        return false;
    }

    /**
     * A name to try first when the tokenizer.json's split regex is one llama.cpp's converter knows by heart
     * (Llama 3's, or Qwen2's, which differs only in splitting digits one by one). Only an order: the probes decide.
     */
    private static String hint(JsonNode pre) {
        String text = String.valueOf(pre);
        if (text.contains(jsonQuoted(LlamaCppRegexes.LLAMA3_ORIGINAL))) return "llama-bpe";
        if (text.contains(jsonQuoted(LlamaCppRegexes.LLAMA3_ORIGINAL.replace("\\p{N}{1,3}", "\\p{N}")))) return "qwen2";
        return null;
    }

    private static String jsonQuoted(String regex) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(regex).toString();
    }

    /** Distinct llama.cpp pre-tokenizer behaviours to try, by their preferred name. */
    private static List<String> preNames(boolean ignoreMerges, Boolean cleanUp, String hint) {
        Set<String> ordered = new LinkedHashSet<>();
        if (hint != null) ordered.add(hint);
        ordered.addAll(PREFERRED_PRE);
        ordered.addAll(LlamaCppPreset.names());
        List<String> out = new ArrayList<>();
        List<LlamaCppPreset> tried = new ArrayList<>();
        for (String name : ordered) {
            LlamaCppPreset p = LlamaCppPreset.forName(name);
            if (p == null || p.ignoreMerges() != ignoreMerges || p.noBos()) continue;
            boolean sameSplit = tried.stream().anyMatch(t -> t.regexes().equals(p.regexes()));
            if (sameSplit) continue;
            tried.add(p);
            out.add(bestNamed(name, p, cleanUp));
        }
        return out;
    }

    /** Among names that split alike, one whose detokenizer cleans spaces as tokenizer_config says. */
    private static String bestNamed(String name, LlamaCppPreset preset, Boolean cleanUp) {
        if (cleanUp == null || preset.cleanSpaces() == cleanUp) return name;
        for (String other : LlamaCppPreset.names()) {
            LlamaCppPreset p = LlamaCppPreset.forName(other);
            if (p.regexes().equals(preset.regexes()) && p.ignoreMerges() == preset.ignoreMerges()
                    && p.cleanSpaces() == cleanUp && !p.noBos()) {
                return other;
            }
        }
        return name;
    }

    /** The first probe on which the GGUF keys tokenize differently from HF, or null when none does. */
    private static String mismatch(Tokenizer hf, SequencedMap<String, GgufValue> entries, String source) {
        Tokenizer gguf;
        try {
            gguf = GgufTokenizerLoader.load(new GgufMetadata(source + " (converted)", entries), source + " (converted)");
        } catch (BadInputException e) {
            return e.getMessage();
        }
        for (String text : TokenizerProbes.TEXTS) {
            int[] expected = hf.encode(text, false, false);
            int[] actual = gguf.encode(text, false, false);
            if (!Arrays.equals(expected, actual)) {
                return "\"" + text.replace("\n", "\\n") + "\": HF " + Arrays.toString(expected) + ", GGUF "
                        + Arrays.toString(actual);
            }
        }
        return null;
    }

    private static String describe(JsonNode pre) {
        String text = Objects.toString(pre);
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }
}
