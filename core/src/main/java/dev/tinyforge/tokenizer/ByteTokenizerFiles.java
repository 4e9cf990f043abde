package dev.tinyforge.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A byte-level BPE tokenizer: one token per byte (GPT-2's byte-to-character map), then one per
 * learned merge (none, or those of {@link BpeTrainer}), then {@code <s>}, {@code </s>} and
 * {@code <pad>}. Written as a standard tokenizer.json and tokenizer_config.json, so a model built
 * on it loads in Hugging Face tokenizers too. For models trained from scratch.
 */
public final class ByteTokenizerFiles {
    /** The ids without merges. */
    public static final int BOS = 256, EOS = 257, PAD = 258, VOCAB_SIZE = 259;

    private ByteTokenizerFiles() {}

    /** The vocabulary size with {@code merges} learned merges: bytes, merges, three special tokens. */
    public static int vocabSize(int merges) {
        return 256 + merges + 3;
    }

    /** Writes the tokenizer without merges: one token per byte. */
    public static void write(Path dir) throws IOException {
        write(dir, List.of());
    }

    public static void write(Path dir, List<BpeTrainer.Merge> merges) throws IOException {
        int bos = 256 + merges.size();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<s>", "</s>", "<pad>"};
        for (int i = 0; i < specials.length; i++) {
            added.addObject().put("id", bos + i).put("content", specials[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode specialTokens = post.putObject("special_tokens");
        specialTokens.putObject("<s>").put("id", "<s>").putArray("ids").add(bos);
        specialTokens.with("<s>").putArray("tokens").add("<s>");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) vocab.put(String.valueOf(ByteLevel.charOf(b)), b);
        for (int m = 0; m < merges.size(); m++) vocab.put(merges.get(m).merged(), 256 + m);
        for (int i = 0; i < specials.length; i++) vocab.put(specials[i], bos + i);
        ArrayNode mergeList = model.putArray("merges");
        for (BpeTrainer.Merge m : merges) mergeList.add(m.left() + " " + m.right());
        AtomicFiles.write(dir.resolve("tokenizer.json"), out -> out.write(json.writeValueAsBytes(root)));

        ObjectNode config = json.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("bos_token", "<s>");
        config.put("eos_token", "</s>");
        config.put("pad_token", "<pad>");
        config.put("add_bos_token", true);
        config.put("add_eos_token", false);
        config.put("model_max_length", 512);
        AtomicFiles.write(dir.resolve("tokenizer_config.json"), out -> out.write(json.writeValueAsBytes(config)));
    }
}
