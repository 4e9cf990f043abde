package dev.tinyforge.tokenizer;

import dev.tinyforge.io.gguf.GgufArray;
import dev.tinyforge.io.gguf.GgufMetadata;
import dev.tinyforge.io.gguf.GgufValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small {@code tokenizer.ggml.*} metadata blocks for tests, token by token. */
final class TinyGguf {
    private final List<String> tokens = new ArrayList<>();
    private final List<Float> scores = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final List<String> merges = new ArrayList<>();
    private final Map<String, GgufValue> extra = new LinkedHashMap<>();
    private final String model;

    private TinyGguf(String model) {
        this.model = model;
    }

    /** A SentencePiece vocabulary starting {@code <unk> <s> </s>}, then the 256 byte pieces when asked. */
    static TinyGguf spm(boolean bytePieces) {
        TinyGguf g = new TinyGguf("llama");
        g.add("<unk>", 0, 2).add("<s>", 0, 3).add("</s>", 0, 3);
        if (bytePieces) for (int b = 0; b < 256; b++) g.add(String.format("<0x%02X>", b), 0, 6);
        return g;
    }

    /** A byte-level BPE vocabulary whose first 256 ids are the bytes (in byte order), with {@code pre}. */
    static TinyGguf bpe(String pre) {
        TinyGguf g = new TinyGguf("gpt2");
        for (int b = 0; b < 256; b++) g.add(String.valueOf(ByteLevel.charOf(b)), 0, 1);
        if (pre != null) g.put("tokenizer.ggml.pre", GgufValue.string(pre));
        return g;
    }

    /** A byte-level BPE vocabulary of exactly {@code pieces}, with {@code pre}. */
    static TinyGguf bpeFrom(List<String> pieces, String pre) {
        TinyGguf g = new TinyGguf("gpt2");
        for (String p : pieces) g.add(p, 0, 1);
        g.put("tokenizer.ggml.pre", GgufValue.string(pre));
        return g;
    }

    TinyGguf add(String piece, float score, int type) {
        tokens.add(piece);
        scores.add(score);
        types.add(type);
        return this;
    }

    /** Adds a normal piece. */
    TinyGguf add(String piece, float score) {
        return add(piece, score, 1);
    }

    /** Adds the merge "left right" and its result as a normal piece (if new). */
    TinyGguf merge(String left, String right) {
        merges.add(left + " " + right);
        if (!tokens.contains(left + right)) add(left + right, 0);
        return this;
    }

    TinyGguf put(String key, GgufValue value) {
        extra.put(key, value);
        return this;
    }

    int id(String piece) {
        return tokens.indexOf(piece);
    }

    GgufMetadata metadata() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GgufValue.string(model));
        m.put("tokenizer.ggml.tokens", GgufArray.ofStrings(tokens));
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        m.put("tokenizer.ggml.scores", GgufArray.ofFloats(s));
        m.put("tokenizer.ggml.token_type", GgufArray.ofInts(types.stream().mapToInt(Integer::intValue).toArray()));
        if (model.equals("gpt2")) m.put("tokenizer.ggml.merges", GgufArray.ofStrings(merges));
        m.putAll(extra);
        return new GgufMetadata("tiny.gguf", m);
    }

    Tokenizer load() {
        return GgufTokenizerLoader.load(metadata(), "tiny.gguf");
    }
}
