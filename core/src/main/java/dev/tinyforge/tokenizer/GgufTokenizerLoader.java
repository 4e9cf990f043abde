package dev.tinyforge.tokenizer;

import dev.tinyforge.io.gguf.GgufArray;
import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufMetadata;
import dev.tinyforge.io.gguf.GgufValueType;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Builds a {@link Tokenizer} from a GGUF file's {@code tokenizer.ggml.*} keys that gives the ids llama.cpp
 * gives (and renders ids back as llama.cpp does):
 * <ul>
 *   <li>model {@code llama}: SentencePiece by piece score ({@link SpmModel}) with {@code <0xNN>} byte
 *       fallback; a space is put before the text and after each special token (add_space_prefix, default
 *       on); BOS is added by default.</li>
 *   <li>model {@code gpt2}: byte-level BPE over {@code tokenizer.ggml.merges} after the pre-tokenizer that
 *       {@code tokenizer.ggml.pre} names ({@link LlamaCppPreset}); a missing pre means "default".</li>
 * </ul>
 * Special ids: {@code bos/eos/unknown/padding_token_id}; an id outside the vocabulary (such as 0xFFFFFFFF)
 * leaves llama.cpp's default for the model (BOS 1, EOS 2, UNK 0 for llama; 11, 11, none for gpt2; none for
 * padding), as llama.cpp does. {@code add_bos_token}/{@code add_eos_token} override the defaults.
 * CONTROL and UNKNOWN tokens are matched in text only with parse-special on, USER_DEFINED ones always.
 * {@code remove_extra_whitespaces} is ignored, as llama.cpp ignores it for these two models.
 *
 * <p>Unsupported models or pre-tokenizers and malformed keys are a {@link BadInputException} naming the
 * file and the key.
 */
public final class GgufTokenizerLoader {
    private static final String KEY = "tokenizer.ggml.";
    /** Vocabularies beyond this are treated as corrupt rather than allocated for. */
    private static final int MAX_TOKENS = 1 << 24;
    /** Real tokens are at most a few hundred characters; longer ones would only cost memory and time. */
    private static final int MAX_TOKEN_CHARS = 1 << 16;
    /**
     * Tabling every split of every SentencePiece entry costs the sum of squared entry lengths (about 10^6
     * for Llama 2, 2 * 10^7 for a 256 K vocabulary); far beyond that a file is hostile, not large.
     */
    private static final long MAX_SPLIT_WORK = 1_000_000_000L;

    private GgufTokenizerLoader() {}

    /** Reads the tokenizer of a GGUF file (a vocab-only file or a whole model; tensors are not touched). */
    public static Tokenizer load(Path gguf) {
        try (GgufFile file = GgufFile.open(gguf)) {
            return load(file.metadata(), gguf.toString());
        } catch (IOException e) {
            throw new BadInputException(gguf + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The tokenizer of a GGUF file the caller already holds open (for instance while loading its weights). */
    public static Tokenizer load(GgufFile gguf) {
        return load(gguf.metadata(), gguf.path().toString());
    }

    /** Builds the tokenizer from metadata already read; {@code source} names the file in error messages. */
    public static Tokenizer load(GgufMetadata metadata, String source) {
        String model = metadata.getString(KEY + "model");
        String pre = metadata.getString(KEY + "pre", "");
        boolean spm = switch (model) {
            case "llama" -> true;
            case "gpt2" -> false;
            default -> throw bad(source, "model", "is '" + model
                    + "', which TinyForge does not support (supported: llama = SentencePiece, gpt2 = byte-level BPE)");
        };
        LlamaCppPreset preset = spm ? null : LlamaCppPreset.forName(pre);
        if (!spm && preset == null) {
            throw bad(source, "pre", "is '" + pre + "', a pre-tokenizer TinyForge does not support (supported: "
                    + String.join(", ", LlamaCppPreset.names()) + ")");
        }

        String[] texts = texts(metadata, source);
        int n = texts.length;
        Map<String, Integer> ids = HashMap.newHashMap(n);
        for (int id = 0; id < n; id++) {
            Integer earlier = ids.putIfAbsent(texts[id], id);
            if (earlier != null) {
                throw bad(source, "tokens", "holds '" + texts[id] + "' twice (ids " + earlier + " and " + id + ")");
            }
        }
        ToIntFunction<String> idOf = piece -> ids.getOrDefault(piece, -1);
        float[] scores = scores(metadata, source, n);
        int[] attrs = attributes(metadata, source, n);

        int bos = specialId(metadata, "bos_token_id", spm ? 1 : preset.noBos() ? -1 : 11, n);
        int eos = specialId(metadata, "eos_token_id", spm ? 2 : 11, n);
        int unk = specialId(metadata, "unknown_token_id", spm ? 0 : -1, n);
        int pad = specialId(metadata, "padding_token_id", -1, n);
        boolean addBos = metadata.getBoolean(KEY + "add_bos_token", spm || preset.addBos());
        boolean addEos = metadata.getBoolean(KEY + "add_eos_token", false);
        if (addBos && bos < 0) throw bad(source, "add_bos_token", "is true but there is no BOS token (bos_token_id)");
        if (addEos && eos < 0) throw bad(source, "add_eos_token", "is true but there is no EOS token (eos_token_id)");
        boolean addSpacePrefix = metadata.getBoolean(KEY + "add_space_prefix", spm);

        LlamaCppTokenFixups.apply(idOf, attrs, fimRolesGiven(metadata, n), metadata.getString("general.name", ""), pre,
                metadata.getString("general.architecture", ""));

        TokenType[] types = new TokenType[n];
        for (int id = 0; id < n; id++) types[id] = TokenAttr.type(attrs[id]);
        Vocabulary vocabulary = new Vocabulary(texts, scores, types);

        if (spm) {
            long work = 0;
            for (String t : texts) work += (long) t.length() * t.length();
            if (work > MAX_SPLIT_WORK) {
                throw bad(source, "tokens", "holds pieces too long to index (sum of squared lengths " + work + ")");
            }
        }
        LlamaCppPipeline.Fragments fragments = spm
                ? new LlamaCppPipeline.Spm(new SpmModel(vocabulary, unk), addSpacePrefix)
                : bpe(metadata, source, preset, texts, ids);
        LlamaCppDetokenizer detokenizer = new LlamaCppDetokenizer(texts, attrs, !spm, addSpacePrefix, !spm && preset.cleanSpaces());
        List<AddedToken> added = new ArrayList<>();
        List<Integer> matched = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            int a = attrs[id];
            if ((a & TokenAttr.MATCHED_IN_TEXT) == 0) continue;
            matched.add(id);
            added.add(new AddedToken(id, texts[id], (a & TokenAttr.SPECIAL) != 0, false, (a & TokenAttr.LSTRIP) != 0,
                    (a & TokenAttr.RSTRIP) != 0, false));
        }
        int[] matchedIds = matched.stream().mapToInt(Integer::intValue).toArray();
        SpecialTokenSplitter splitter = new SpecialTokenSplitter(matchedIds,
                Arrays.stream(matchedIds).mapToObj(id -> texts[id]).toArray(String[]::new),
                Arrays.stream(matchedIds).map(id -> attrs[id]).toArray());

        return new Tokenizer(vocabulary, new SpecialTokens(bos, eos, unk, pad, addBos, addEos),
                addBos ? new int[] {bos} : new int[0], addEos ? new int[] {eos} : new int[0], added,
                new LlamaCppPipeline(splitter, fragments, detokenizer));
    }

    private static String[] texts(GgufMetadata metadata, String source) {
        GgufArray tokens = metadata.getArray(KEY + "tokens");
        if (tokens.elementType() != GgufValueType.STRING) {
            throw bad(source, "tokens", "is an array of " + tokens.elementType() + "; expected strings");
        }
        if (tokens.size() == 0 || tokens.size() > MAX_TOKENS) {
            throw bad(source, "tokens", "has " + tokens.size() + " entries; expected 1.." + MAX_TOKENS);
        }
        String[] texts = new String[tokens.size()];
        for (int id = 0; id < texts.length; id++) {
            String text = tokens.getString(id);
            if (text.length() > MAX_TOKEN_CHARS) {
                throw bad(source, "tokens", "entry " + id + " is " + text.length() + " characters long; at most "
                        + MAX_TOKEN_CHARS + " are accepted");
            }
            texts[id] = text.isEmpty() ? "[EMPTY_" + id + "]" : text; // llama.cpp's name for an empty entry
        }
        return texts;
    }

    private static float[] scores(GgufMetadata metadata, String source, int n) {
        if (!metadata.contains(KEY + "scores")) return new float[n];
        GgufArray scores = metadata.getArray(KEY + "scores");
        if (scores.elementType() != GgufValueType.FLOAT32 && scores.elementType() != GgufValueType.INT32) {
            throw bad(source, "scores", "is an array of " + scores.elementType() + "; expected FLOAT32 (or INT32)");
        }
        if (scores.size() < n) throw bad(source, "scores", "has " + scores.size() + " entries for " + n + " tokens");
        float[] out = new float[n];
        for (int id = 0; id < n; id++) out[id] = scores.getFloat(id);
        return out;
    }

    private static int[] attributes(GgufMetadata metadata, String source, int n) {
        int[] attrs = new int[n];
        if (!metadata.contains(KEY + "token_type")) {
            Arrays.fill(attrs, TokenAttr.NORMAL);
            return attrs;
        }
        GgufArray types = metadata.getArray(KEY + "token_type");
        if (types.elementType() != GgufValueType.INT32) {
            throw bad(source, "token_type", "is an array of " + types.elementType() + "; expected INT32");
        }
        if (types.size() < n) throw bad(source, "token_type", "has " + types.size() + " entries for " + n + " tokens");
        for (int id = 0; id < n; id++) attrs[id] = TokenAttr.fromGgufType(types.getLong(id));
        return attrs;
    }

    /** A special id: the file's when it lies in the vocabulary, else the default (when that does), else -1. */
    private static int specialId(GgufMetadata metadata, String name, int defaultId, int n) {
        int id = defaultId < n ? defaultId : -1;
        if (metadata.contains(KEY + name)) {
            long value = metadata.getLong(KEY + name);
            if (value >= 0 && value < n) id = (int) value;
        }
        return id;
    }

    /** The fill-in-the-middle roles whose id the file sets (llama.cpp then does not guess them by name). */
    private static Set<String> fimRolesGiven(GgufMetadata metadata, int n) {
        Map<String, List<String>> keys = Map.of("fim_pre", List.of("fim_pre_token_id", "prefix_token_id"),
                "fim_suf", List.of("fim_suf_token_id", "suffix_token_id"),
                "fim_mid", List.of("fim_mid_token_id", "middle_token_id"), "fim_pad", List.of("fim_pad_token_id"),
                "fim_rep", List.of("fim_rep_token_id"), "fim_sep", List.of("fim_sep_token_id"));
        Set<String> given = new HashSet<>();
        keys.forEach((role, names) -> {
            for (String name : names) if (specialId(metadata, name, -1, n) >= 0) given.add(role);
        });
        return given;
    }

    private static LlamaCppPipeline.Bpe bpe(GgufMetadata metadata, String source, LlamaCppPreset preset, String[] texts,
            Map<String, Integer> ids) {
        int n = texts.length;
        GgufArray list = metadata.getArray(KEY + "merges");
        if (list.elementType() != GgufValueType.STRING) {
            throw bad(source, "merges", "is an array of " + list.elementType() + "; expected strings");
        }
        // Bytes without a token get ids past the vocabulary, so that they stay in place during the merges.
        boolean lacksBytes = false;
        for (int b = 0; b < 256; b++) lacksBytes |= !ids.containsKey(String.valueOf(ByteLevel.charOf(b)));
        MergeTable merges;
        try {
            merges = new MergeTable(list.size(), n + 256);
        } catch (IllegalArgumentException e) {
            throw bad(source, "merges", e.getMessage());
        }
        for (int rank = 0; rank < list.size(); rank++) {
            String merge = list.getString(rank);
            int space = merge.indexOf(' ', 1);
            if (space < 0) continue; // llama.cpp keeps it as a pair of empty strings, which never matches
            String left = merge.substring(0, space), right = merge.substring(space + 1);
            Integer l = ids.get(left), r = ids.get(right), m = ids.get(left + right);
            if (l == null || r == null || m == null) {
                String missing = l == null ? left : r == null ? right : left + right;
                throw bad(source, "merges", "entry " + rank + " '" + merge + "' needs the piece '" + missing
                        + "', which is not in tokenizer.ggml.tokens");
            }
            if (merges.rank(l, r) < 0) merges.add(l, r, m); // llama.cpp keeps the first rank of a repeated pair
        }
        ToIntFunction<String> lookup = piece -> {
            Integer id = ids.get(piece);
            if (id != null) return id;
            int b = piece.length() == 1 ? ByteLevel.byteOf(piece.charAt(0)) : -1;
            return b >= 0 ? n + b : -1;
        };
        BpeModel model = new BpeModel(lookup, merges, -1, false, false, preset.ignoreMerges(), true, ids.keySet());
        LlamaCppPreTokenizer preTokenizer;
        try {
            preTokenizer = LlamaCppPreTokenizer.of(preset.regexes());
        } catch (IllegalArgumentException e) {
            throw bad(source, "pre", e.getMessage());
        }
        return new LlamaCppPipeline.Bpe(preTokenizer, model, n, lacksBytes);
    }

    private static BadInputException bad(String source, String key, String problem) {
        return new BadInputException(source + ": metadata key '" + KEY + key + "' " + problem);
    }
}
