package dev.tinyforge.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.util.BadInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Loads a Hugging Face tokenizer: {@code tokenizer.json} (BPE model, added tokens, normalizer,
 * pre-tokenizer, post-processor, decoder) plus, when present beside it, {@code tokenizer_config.json}
 * (bos/eos/unk/pad tokens, {@code add_bos_token}/{@code add_eos_token}, which override the
 * post-processor as transformers' Llama and Gemma tokenizers do). Unsupported or inconsistent content
 * is a {@link BadInputException} naming the file and the field. Truncation and padding settings are
 * ignored: callers handle lengths.
 */
public final class HfTokenizerLoader {
    /** Ids beyond this are treated as corrupt rather than allocated for. */
    private static final int MAX_ID = 1 << 24;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfTokenizerLoader() {}

    /**
     * @param folderOrTokenizerJson a model folder holding {@code tokenizer.json} (or {@code tokenizer.json.gz}),
     *     or the tokenizer.json file itself (gzipped when its name ends in .gz)
     */
    public static Tokenizer load(Path folderOrTokenizerJson) {
        Path json = folderOrTokenizerJson;
        if (Files.isDirectory(json)) {
            json = folderOrTokenizerJson.resolve("tokenizer.json");
            if (!Files.exists(json)) json = folderOrTokenizerJson.resolve("tokenizer.json.gz");
        }
        if (!Files.isRegularFile(json)) {
            throw new BadInputException(folderOrTokenizerJson + ": no tokenizer.json found");
        }
        Path parent = json.toAbsolutePath().getParent();
        Path config = parent == null ? null : parent.resolve("tokenizer_config.json");
        JsonNode root = read(json);
        JsonNode configRoot = config != null && Files.isRegularFile(config) ? read(config) : null;
        return build(root, json.toString(), configRoot, config == null ? null : config.toString());
    }

    /** Loads from streams; {@code config} may be null. The names are used in error messages. */
    public static Tokenizer load(InputStream tokenizerJson, String jsonName, InputStream config, String configName) {
        JsonNode root = parse(tokenizerJson, jsonName);
        JsonNode configRoot = config == null ? null : parse(config, configName);
        return build(root, jsonName, configRoot, configName);
    }

    /** Builds from an already-parsed tokenizer.json and tokenizer_config.json (null for none). */
    static Tokenizer load(JsonNode tokenizerJson, String jsonName, JsonNode config, String configName) {
        return build(tokenizerJson, jsonName, config, configName);
    }

    /** Reads a tokenizer.json (gzipped when its name ends in .gz) or tokenizer_config.json as a JSON object. */
    static JsonNode read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(InputStream in, String name) {
        try {
            JsonNode node = JSON.readTree(in);
            if (node == null || !node.isObject()) throw new BadInputException(name + ": expected a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new BadInputException(name + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read", e);
        }
    }

    private static Tokenizer build(JsonNode root, String file, JsonNode config, String configFile) {
        HfComponents c = new HfComponents(file);
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) throw c.bad("model", "missing (expected an object with \"type\": \"BPE\")");
        String type = model.has("type") ? c.text(model, "type", "model", null) : model.has("merges") ? "BPE" : "?";
        if (!type.equals("BPE")) throw c.bad("model.type", "unsupported model type '" + type + "' (supported: BPE)");
        checkUnsupportedBpeOptions(model, c);

        Map<String, Integer> modelVocab = modelVocab(model, c);
        int maxId = modelVocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        List<AddedToken> added = addedTokens(root, c, modelVocab);
        for (AddedToken t : added) maxId = Math.max(maxId, t.id());

        MergeTable merges = merges(model, modelVocab, maxId + 1, c);
        boolean byteFallback = c.bool(model, "byte_fallback", "model", false);
        int unk = -1;
        String unkPiece = c.text(model, "unk_token", "model", "");
        if (!unkPiece.isEmpty()) {
            Integer id = modelVocab.get(unkPiece);
            if (id == null) throw c.bad("model.unk_token", "'" + unkPiece + "' is not in model.vocab");
            unk = id;
        }

        Normalizer normalizer = c.normalizer(root.get("normalizer"), "normalizer");
        PreTokenizer preTokenizer = c.preTokenizer(root.get("pre_tokenizer"), "pre_tokenizer");
        Decoder decoder = c.decoder(root.get("decoder"), "decoder");
        int[][] template = c.postProcessor(root.get("post_processor"), "post_processor");

        Vocabulary vocabulary = vocabulary(maxId + 1, modelVocab, added, normalizer, merges, unk, byteFallback);
        for (int[] ids : template) {
            for (int id : ids) if (id >= vocabulary.size()) throw c.bad("post_processor", "token id " + id + " is not in the vocabulary");
        }
        HfComponents cc = new HfComponents(configFile == null ? "tokenizer_config.json" : configFile);
        int bos = configToken(config, "bos_token", vocabulary, cc, template[0]);
        int eos = configToken(config, "eos_token", vocabulary, cc, template[1]);
        int configUnk = configToken(config, "unk_token", vocabulary, cc, null);
        int pad = configToken(config, "pad_token", vocabulary, cc, null);
        int[] prefix = template[0], suffix = template[1];
        if (config != null && (config.has("add_bos_token") || config.has("add_eos_token"))) {
            boolean addBos = cc.bool(config, "add_bos_token", "tokenizer_config", false);
            boolean addEos = cc.bool(config, "add_eos_token", "tokenizer_config", false);
            if (addBos && bos < 0) throw cc.bad("add_bos_token", "true but there is no bos_token");
            if (addEos && eos < 0) throw cc.bad("add_eos_token", "true but there is no eos_token");
            prefix = addBos ? new int[] {bos} : new int[0];
            suffix = addEos ? new int[] {eos} : new int[0];
        }
        SpecialTokens special = new SpecialTokens(bos, eos, configUnk >= 0 ? configUnk : unk, pad,
                Arrays.equals(prefix, new int[] {bos}), Arrays.equals(suffix, new int[] {eos}));

        BpeModel bpe = new BpeModel(piece -> modelVocab.getOrDefault(piece, -1), merges, unk,
                c.bool(model, "fuse_unk", "model", false), byteFallback, c.bool(model, "ignore_merges", "model", false),
                HfComponents.isByteLevel(preTokenizer), modelVocab.keySet());
        return new Tokenizer(vocabulary, special, prefix, suffix, added, normalizer, preTokenizer, bpe, decoder);
    }

    private static void checkUnsupportedBpeOptions(JsonNode model, HfComponents c) {
        for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            if (!c.text(model, affix, "model", "").isEmpty()) throw c.bad("model." + affix, "not supported (only null or \"\")");
        }
        JsonNode dropout = model.get("dropout");
        if (dropout != null && !dropout.isNull() && (!dropout.isNumber() || dropout.asDouble() != 0)) {
            throw c.bad("model.dropout", "BPE dropout is not supported (expected null)");
        }
    }

    private static Map<String, Integer> modelVocab(JsonNode model, HfComponents c) {
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !vocab.isObject()) throw c.bad("model.vocab", "expected an object of piece -> id, found " + HfComponents.kind(vocab));
        Map<String, Integer> map = HashMap.newHashMap(vocab.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode id = e.getValue();
            if (!id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= MAX_ID) {
                throw c.bad("model.vocab", "piece '" + e.getKey() + "' has id " + id + " (expected 0.." + (MAX_ID - 1) + ")");
            }
            map.put(e.getKey(), id.asInt());
        }
        return map;
    }

    private static MergeTable merges(JsonNode model, Map<String, Integer> vocab, int idBound, HfComponents c) {
        JsonNode list = model.get("merges");
        if (list == null || list.isNull()) return new MergeTable(0, idBound);
        if (!list.isArray()) throw c.bad("model.merges", "expected an array, found " + HfComponents.kind(list));
        MergeTable table;
        try {
            table = new MergeTable(list.size(), idBound);
        } catch (IllegalArgumentException e) {
            throw c.bad("model.merges", e.getMessage());
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String left, right;
            if (m.isTextual()) {
                String s = m.asText();
                int space = s.indexOf(' ');
                if (space < 0 || s.indexOf(' ', space + 1) >= 0) {
                    throw c.bad("model.merges[" + i + "]", "expected two pieces separated by one space, found '" + s + "'");
                }
                left = s.substring(0, space);
                right = s.substring(space + 1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                left = m.get(0).asText();
                right = m.get(1).asText();
            } else {
                throw c.bad("model.merges[" + i + "]", "expected \"left right\" or [left, right]");
            }
            table.add(vocabId(vocab, left, i, c), vocabId(vocab, right, i, c), vocabId(vocab, left + right, i, c));
        }
        return table;
    }

    private static int vocabId(Map<String, Integer> vocab, String piece, int merge, HfComponents c) {
        Integer id = vocab.get(piece);
        if (id == null) throw c.bad("model.merges[" + merge + "]", "piece '" + piece + "' is not in model.vocab");
        return id;
    }

    /**
     * The added tokens with the ids HF gives them on loading, which are not always the ids written in the
     * file: a content that is a model piece takes that piece's id, another content keeps the id it got
     * earlier in the list, and a new one gets the next id after the model vocabulary and the tokens added
     * so far. Consistent files (all real ones) say the same; for an inconsistent one this reproduces HF.
     */
    private static List<AddedToken> addedTokens(JsonNode root, HfComponents c, Map<String, Integer> modelVocab) {
        JsonNode list = root.get("added_tokens");
        List<AddedToken> out = new ArrayList<>();
        if (list == null || list.isNull()) return out;
        if (!list.isArray()) throw c.bad("added_tokens", "expected an array, found " + HfComponents.kind(list));
        Map<String, Integer> addedIds = new HashMap<>();
        int maxAdded = -1;
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            String field = "added_tokens[" + i + "]";
            if (!t.isObject()) throw c.bad(field, "expected an object");
            JsonNode id = t.get("id");
            if (id == null || !id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= MAX_ID) {
                throw c.bad(field + ".id", "expected an id in 0.." + (MAX_ID - 1));
            }
            String content = c.text(t, "content", field, null);
            if (content.isEmpty()) throw c.bad(field + ".content", "empty");
            boolean special = c.bool(t, "special", field, false);
            Integer assigned = modelVocab.get(content);
            if (assigned == null) assigned = addedIds.get(content);
            if (assigned == null) {
                assigned = maxAdded >= modelVocab.size() || modelVocab.isEmpty() ? maxAdded + 1 : modelVocab.size();
                if (assigned >= MAX_ID) throw c.bad(field, "too many added tokens");
            }
            addedIds.put(content, assigned);
            maxAdded = Math.max(maxAdded, assigned);
            out.add(new AddedToken(assigned, content, special, c.bool(t, "normalized", field, !special),
                    c.bool(t, "lstrip", field, false), c.bool(t, "rstrip", field, false), c.bool(t, "single_word", field, false)));
        }
        return out;
    }

    /**
     * The source-independent table. HF files carry no scores; a piece that a merge produces gets
     * -(rank of its first merge), which orders pieces as a SentencePiece score would, 0 otherwise.
     */
    private static Vocabulary vocabulary(int size, Map<String, Integer> modelVocab, List<AddedToken> added,
            Normalizer normalizer, MergeTable merges, int unk, boolean byteFallback) {
        String[] pieces = new String[size];
        TokenType[] types = new TokenType[size];
        float[] scores = new float[size];
        Arrays.fill(types, TokenType.NORMAL);
        modelVocab.forEach((piece, id) -> {
            if (pieces[id] == null || piece.compareTo(pieces[id]) < 0) pieces[id] = piece; // deterministic on duplicates
            if (byteFallback && Decoder.ByteFallback.byteOf(piece) >= 0) types[id] = TokenType.BYTE;
        });
        boolean[] scored = new boolean[size];
        for (int rank = 0; rank < merges.count(); rank++) {
            int id = merges.mergedId(rank);
            if (!scored[id]) {
                scored[id] = true;
                scores[id] = -rank;
            }
        }
        if (unk >= 0) types[unk] = TokenType.UNKNOWN;
        for (AddedToken t : added) {
            // HF reports (and decodes) a normalized added token by its normalized content.
            pieces[t.id()] = t.normalized() && normalizer != null ? normalizer.normalize(t.content()) : t.content();
            types[t.id()] = t.id() == unk ? TokenType.UNKNOWN : t.special() ? TokenType.CONTROL : TokenType.USER_DEFINED;
        }
        return new Vocabulary(pieces, scores, types);
    }

    /**
     * The id of a role token named in tokenizer_config.json (a string or an {@code {"content": ...}}
     * object); without a config, the single post-processor token on that side, if any.
     */
    private static int configToken(JsonNode config, String name, Vocabulary vocab, HfComponents c, int[] fallback) {
        JsonNode v = config == null ? null : config.get(name);
        if (v == null || v.isNull()) return fallback != null && fallback.length == 1 ? fallback[0] : -1;
        if (v.isObject()) v = v.get("content");
        if (v == null || !v.isTextual()) throw c.bad(name, "expected a token string or {\"content\": ...}");
        int id = vocab.id(v.asText());
        if (id < 0) throw c.bad(name, "'" + v.asText() + "' is not in the vocabulary");
        return id;
    }
}
