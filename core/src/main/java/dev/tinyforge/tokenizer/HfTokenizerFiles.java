package dev.tinyforge.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.io.gguf.GgufArray;
import dev.tinyforge.io.gguf.GgufMetadata;
import dev.tinyforge.util.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A GGUF vocabulary written as Hugging Face tokenizer files ({@code tokenizer.json},
 * {@code tokenizer_config.json}) that transformers loads and that tokenize as llama.cpp does:
 * <ul>
 *   <li>model {@code llama} (SentencePiece) becomes a byte-fallback BPE, as transformers converts
 *       SentencePiece models: merges are every split of a normal piece into two pieces, ordered by the
 *       merged piece's score (highest first); "▁" replaces spaces and is prepended when llama.cpp adds
 *       a space prefix;</li>
 *   <li>model {@code gpt2} keeps its pieces and merges, with a Split pre-tokenizer per regex of the
 *       {@code pre} name and byte-level mapping.</li>
 * </ul>
 * The files are checked before they are returned: loaded back, they must tokenize {@link TokenizerProbes}
 * exactly as the GGUF does, or the conversion fails with the first difference.
 */
public final class HfTokenizerFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The two files' bytes. */
    public record Files(byte[] tokenizerJson, byte[] tokenizerConfigJson) {}

    private HfTokenizerFiles() {}

    /**
     * @param chatTemplate written into tokenizer_config.json, or null
     */
    public static Files fromGguf(GgufMetadata metadata, String source, String chatTemplate) {
        Tokenizer gguf = GgufTokenizerLoader.load(metadata, source);
        String model = metadata.getString("tokenizer.ggml.model");
        boolean spm = model.equals("llama");
        Vocabulary vocab = gguf.vocabulary();
        int n = vocab.size();
        SpecialTokens special = gguf.specialTokens();

        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < n; id++) {
            TokenType type = vocab.type(id);
            if (type != TokenType.CONTROL && type != TokenType.UNKNOWN && type != TokenType.USER_DEFINED) continue;
            added.addObject().put("id", id).put("content", vocab.piece(id)).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", type != TokenType.USER_DEFINED);
        }
        boolean prefix = spm && metadata.getBoolean("tokenizer.ggml.add_space_prefix", true);
        if (spm) {
            ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
            if (prefix) normalizers.addObject().put("type", "Prepend").put("prepend", "\u2581");
            normalizers.addObject().put("type", "Replace").put("content", "\u2581").putObject("pattern").put("String", " ");
            root.putNull("pre_tokenizer");
        } else {
            LlamaCppPreset preset = LlamaCppPreset.forName(metadata.getString("tokenizer.ggml.pre", ""));
            ArrayNode steps = root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
            for (String regex : preset.regexes()) {
                steps.addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false)
                        .putObject("pattern").put("Regex", regex);
            }
            steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                    .put("use_regex", false);
        }
        postProcessor(root.putObject("post_processor"), gguf, special);
        ObjectNode decoder = root.putObject("decoder");
        if (spm) {
            ArrayNode steps = decoder.put("type", "Sequence").putArray("decoders");
            steps.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("String", "\u2581");
            steps.addObject().put("type", "ByteFallback");
            steps.addObject().put("type", "Fuse");
            if (prefix) steps.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        } else {
            decoder.put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true).put("use_regex", true);
        }
        ObjectNode bpe = root.putObject("model").put("type", "BPE").putNull("dropout");
        if (spm && special.unk() >= 0) bpe.put("unk_token", vocab.piece(special.unk()));
        else bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix").putNull("end_of_word_suffix").put("fuse_unk", spm).put("byte_fallback", spm)
                .put("ignore_merges", !spm && LlamaCppPreset.forName(metadata.getString("tokenizer.ggml.pre", "")).ignoreMerges());
        ObjectNode pieces = bpe.putObject("vocab");
        for (int id = 0; id < n; id++) pieces.put(vocab.piece(id), id);
        ArrayNode merges = bpe.putArray("merges");
        (spm ? spmMerges(vocab) : metadata.getArray("tokenizer.ggml.merges").toStringList()).forEach(merges::add);

        ObjectNode config = JSON.createObjectNode();
        config.put("add_bos_token", special.addBos());
        config.put("add_eos_token", special.addEos());
        putToken(config, "bos_token", gguf, special.bos());
        putToken(config, "eos_token", gguf, special.eos());
        putToken(config, "unk_token", gguf, special.unk());
        putToken(config, "pad_token", gguf, special.pad());
        config.put("clean_up_tokenization_spaces", false);
        if (spm) config.put("legacy", true);
        config.put("tokenizer_class", spm ? "LlamaTokenizerFast" : "PreTrainedTokenizerFast");
        if (chatTemplate != null) config.put("chat_template", chatTemplate);

        Files files;
        try {
            files = new Files(JSON.writeValueAsBytes(root), JSON.writeValueAsBytes(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        check(files, gguf, source);
        return files;
    }

    private static void postProcessor(ObjectNode node, Tokenizer gguf, SpecialTokens special) {
        node.put("type", "TemplateProcessing");
        ArrayNode single = node.putArray("single");
        ObjectNode tokens = JSON.createObjectNode();
        if (special.addBos()) addSpecial(single, tokens, gguf.piece(special.bos()), special.bos());
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        if (special.addEos()) addSpecial(single, tokens, gguf.piece(special.eos()), special.eos());
        ArrayNode pair = node.putArray("pair");
        single.forEach(pair::add);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        node.set("special_tokens", tokens);
    }

    private static void addSpecial(ArrayNode single, ObjectNode tokens, String piece, int id) {
        single.addObject().putObject("SpecialToken").put("id", piece).put("type_id", 0);
        ObjectNode entry = tokens.putObject(piece).put("id", piece);
        entry.putArray("ids").add(id);
        entry.putArray("tokens").add(piece);
    }

    private static void putToken(ObjectNode config, String name, Tokenizer gguf, int id) {
        if (id >= 0) config.put(name, gguf.piece(id));
        else config.putNull(name);
    }

    /**
     * transformers' conversion of a SentencePiece BPE vocabulary: for each normal piece, every split
     * into two pieces that are in the vocabulary, ordered by the piece's score (highest first), ties
     * by the ids of left and right.
     */
    static List<String> spmMerges(Vocabulary vocab) {
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (int id = 0; id < vocab.size(); id++) if (vocab.piece(id) != null) ids.putIfAbsent(vocab.piece(id), id);
        List<int[]> merges = new ArrayList<>(); // {merged, left, right}
        for (int id = 0; id < vocab.size(); id++) {
            String piece = vocab.piece(id);
            if (vocab.type(id) != TokenType.NORMAL || piece.codePointCount(0, piece.length()) < 2) continue;
            for (int cut = piece.offsetByCodePoints(0, 1); cut < piece.length(); cut = piece.offsetByCodePoints(cut, 1)) {
                Integer left = ids.get(piece.substring(0, cut)), right = ids.get(piece.substring(cut));
                if (left != null && right != null) merges.add(new int[] {id, left, right});
            }
        }
        merges.sort(Comparator.<int[]>comparingDouble(m -> -vocab.score(m[0])).thenComparingInt(m -> m[1])
                .thenComparingInt(m -> m[2]));
        List<String> out = new ArrayList<>(merges.size());
        for (int[] m : merges) out.add(vocab.piece(m[1]) + " " + vocab.piece(m[2]));
        return out;
    }

    private static void check(Files files, Tokenizer gguf, String source) {
        Tokenizer hf = HfTokenizerLoader.load(new ByteArrayInputStream(files.tokenizerJson()), source + " (tokenizer.json)",
                new ByteArrayInputStream(files.tokenizerConfigJson()), source + " (tokenizer_config.json)");
        for (String text : TokenizerProbes.TEXTS) {
            for (boolean addSpecial : new boolean[] {false, true}) {
                int[] expected = gguf.encode(text, addSpecial, false), actual = hf.encode(text, addSpecial, false);
                if (!Arrays.equals(expected, actual)) {
                    throw new BadInputException(source + ": its vocabulary cannot be written as an HF tokenizer.json that "
                            + "tokenizes alike (\"" + text.replace("\n", "\\n") + "\": GGUF " + Arrays.toString(expected)
                            + ", tokenizer.json " + Arrays.toString(actual) + ")");
                }
            }
        }
    }
}
