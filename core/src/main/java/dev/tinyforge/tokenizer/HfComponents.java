package dev.tinyforge.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tinyforge.util.BadInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the pipeline parts of a tokenizer.json (normalizer, pre_tokenizer, decoder, post_processor)
 * into our types. Anything we do not implement exactly is rejected with the file and the JSON path,
 * because a tokenizer that silently skips a step produces plausible but wrong ids.
 */
final class HfComponents {
    private final String file;

    HfComponents(String file) {
        this.file = file;
    }

    BadInputException bad(String field, String problem) {
        return new BadInputException(file + ": " + field + ": " + problem);
    }

    private String type(JsonNode node, String field) {
        if (!node.isObject()) throw bad(field, "expected an object, found " + kind(node));
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual()) throw bad(field + ".type", "missing");
        return t.asText();
    }

    static String kind(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase();
    }

    String text(JsonNode node, String name, String field, String fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (fallback != null) return fallback;
            throw bad(field + "." + name, "missing");
        }
        if (!v.isTextual()) throw bad(field + "." + name, "expected a string, found " + kind(v));
        return v.asText();
    }

    boolean bool(JsonNode node, String name, String field, boolean fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) throw bad(field + "." + name, "expected true or false, found " + kind(v));
        return v.asBoolean();
    }

    private int integer(JsonNode node, String name, String field, int fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return fallback;
        if (!v.canConvertToInt() || v.asInt() < 0) throw bad(field + "." + name, "expected a non-negative integer");
        return v.asInt();
    }

    private List<JsonNode> array(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        if (v == null || !v.isArray()) throw bad(field + "." + name, "expected an array, found " + kind(v));
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** {"String": "..."} or {"Regex": "..."}. */
    private SplitPattern pattern(JsonNode node, String field) {
        JsonNode p = node.get("pattern");
        if (p == null || !p.isObject()) throw bad(field + ".pattern", "expected {\"String\": ...} or {\"Regex\": ...}");
        if (p.has("String")) return new SplitPattern.Literal(text(p, "String", field + ".pattern", null));
        if (p.has("Regex")) {
            String source = text(p, "Regex", field + ".pattern", null);
            try {
                return SplitPattern.Regex.of(source);
            } catch (IllegalArgumentException e) {
                throw bad(field + ".pattern.Regex", e.getMessage());
            }
        }
        throw bad(field + ".pattern", "expected {\"String\": ...} or {\"Regex\": ...}");
    }

    // ---- normalizer ------------------------------------------------------------------------------

    Normalizer normalizer(JsonNode node, String field) {
        if (node == null || node.isNull()) return null;
        String type = type(node, field);
        return switch (type) {
            case "Sequence" -> {
                List<Normalizer> steps = new ArrayList<>();
                List<JsonNode> items = array(node, "normalizers", field);
                for (int i = 0; i < items.size(); i++) {
                    Normalizer n = normalizer(items.get(i), field + ".normalizers[" + i + "]");
                    if (n != null) steps.add(n);
                }
                yield new Normalizer.Sequence(List.copyOf(steps));
            }
            case "Prepend" -> new Normalizer.Prepend(text(node, "prepend", field, null));
            case "Replace" -> new Normalizer.Replace(pattern(node, field), text(node, "content", field, null));
            case "NFC" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFC);
            case "NFD" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFD);
            case "NFKC" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFKC);
            case "NFKD" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> new Normalizer.Lowercase();
            case "Strip" -> new Normalizer.Strip(bool(node, "strip_left", field, true), bool(node, "strip_right", field, true));
            default -> throw bad(field + ".type", "unsupported normalizer type '" + type
                    + "' (supported: Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip)");
        };
    }

    // ---- pre-tokenizer ---------------------------------------------------------------------------

    /** The pre-tokenizer, with nested Sequences flattened; ByteLevel may only come last. */
    PreTokenizer preTokenizer(JsonNode node, String field) {
        if (node == null || node.isNull()) return null;
        List<PreTokenizer> steps = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        flattenPreTokenizers(node, field, steps, fields);
        for (int i = 0; i < steps.size() - 1; i++) {
            if (steps.get(i) instanceof PreTokenizer.ByteLevelSplit) {
                // Later steps would have to split the byte-level alphabet, which no real tokenizer does.
                throw bad(fields.get(i), "a ByteLevel pre-tokenizer followed by other pre-tokenizers is not supported");
            }
        }
        if (steps.isEmpty()) return null;
        return steps.size() == 1 ? steps.getFirst() : new PreTokenizer.Sequence(List.copyOf(steps));
    }

    private void flattenPreTokenizers(JsonNode node, String field, List<PreTokenizer> steps, List<String> fields) {
        String type = type(node, field);
        switch (type) {
            case "Sequence" -> {
                List<JsonNode> items = array(node, "pretokenizers", field);
                for (int i = 0; i < items.size(); i++) {
                    flattenPreTokenizers(items.get(i), field + ".pretokenizers[" + i + "]", steps, fields);
                }
            }
            case "Split" -> {
                String behaviorName = text(node, "behavior", field, null);
                SplitBehavior behavior = SplitBehavior.fromHf(behaviorName);
                if (behavior == null) throw bad(field + ".behavior", "unknown split behavior '" + behaviorName + "'");
                add(steps, fields, field, new PreTokenizer.Split(pattern(node, field), behavior, bool(node, "invert", field, false)));
            }
            case "ByteLevel" -> add(steps, fields, field, new PreTokenizer.ByteLevelSplit(
                    bool(node, "add_prefix_space", field, true), bool(node, "use_regex", field, true)));
            case "Digits" -> add(steps, fields, field, new PreTokenizer.Digits(bool(node, "individual_digits", field, false)));
            case "Metaspace" -> add(steps, fields, field, new PreTokenizer.Metaspace(
                    replacement(node, field), prependScheme(node, field), bool(node, "split", field, true)));
            default -> throw bad(field + ".type", "unsupported pre-tokenizer type '" + type
                    + "' (supported: Sequence, Split, ByteLevel, Digits, Metaspace)");
        }
    }

    private static void add(List<PreTokenizer> steps, List<String> fields, String field, PreTokenizer step) {
        steps.add(step);
        fields.add(field);
    }

    private char replacement(JsonNode node, String field) {
        String r = text(node, "replacement", field, "\u2581");
        if (r.length() != 1) throw bad(field + ".replacement", "expected one character, found '" + r + "'");
        return r.charAt(0);
    }

    private PreTokenizer.PrependScheme prependScheme(JsonNode node, String field) {
        JsonNode scheme = node.get("prepend_scheme");
        if (scheme == null || scheme.isNull()) {
            // Files written before prepend_scheme existed say add_prefix_space instead.
            return bool(node, "add_prefix_space", field, true) ? PreTokenizer.PrependScheme.ALWAYS : PreTokenizer.PrependScheme.NEVER;
        }
        return switch (text(node, "prepend_scheme", field, null)) {
            case "always" -> PreTokenizer.PrependScheme.ALWAYS;
            case "never" -> PreTokenizer.PrependScheme.NEVER;
            case "first" -> PreTokenizer.PrependScheme.FIRST;
            default -> throw bad(field + ".prepend_scheme", "expected always, never or first, found '" + scheme.asText() + "'");
        };
    }

    /** Whether the pre-tokenizer includes byte-level mapping (so the model works on bytes). */
    static boolean isByteLevel(PreTokenizer p) {
        return switch (p) {
            case PreTokenizer.ByteLevelSplit b -> true;
            case PreTokenizer.Sequence s -> s.steps().getLast() instanceof PreTokenizer.ByteLevelSplit;
            case null, default -> false;
        };
    }

    // ---- decoder ---------------------------------------------------------------------------------

    Decoder decoder(JsonNode node, String field) {
        if (node == null || node.isNull()) return null;
        String type = type(node, field);
        return switch (type) {
            case "Sequence" -> {
                List<Decoder> steps = new ArrayList<>();
                List<JsonNode> items = array(node, "decoders", field);
                for (int i = 0; i < items.size(); i++) {
                    Decoder d = decoder(items.get(i), field + ".decoders[" + i + "]");
                    if (d != null) steps.add(d);
                }
                yield new Decoder.Sequence(List.copyOf(steps));
            }
            case "ByteLevel" -> new Decoder.ByteLevelBytes();
            case "Replace" -> {
                if (!(pattern(node, field) instanceof SplitPattern.Literal literal)) {
                    throw bad(field + ".pattern", "a Regex pattern in a Replace decoder is not supported");
                }
                yield new Decoder.Replace(literal.text(), text(node, "content", field, null));
            }
            case "ByteFallback" -> new Decoder.ByteFallback();
            case "Fuse" -> new Decoder.Fuse();
            case "Strip" -> {
                String content = text(node, "content", field, null);
                if (content.codePointCount(0, content.length()) != 1) throw bad(field + ".content", "expected one character");
                yield new Decoder.Strip(content.codePointAt(0), integer(node, "start", field, 0), integer(node, "stop", field, 0));
            }
            case "Metaspace" -> new Decoder.Metaspace(replacement(node, field),
                    prependScheme(node, field) != PreTokenizer.PrependScheme.NEVER);
            default -> throw bad(field + ".type", "unsupported decoder type '" + type
                    + "' (supported: Sequence, ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace)");
        };
    }

    // ---- post-processor --------------------------------------------------------------------------

    /** Ids added before and after the text by the post-processor: {prefix, suffix}. */
    int[][] postProcessor(JsonNode node, String field) {
        int[][] none = {new int[0], new int[0]};
        if (node == null || node.isNull()) return none;
        String type = type(node, field);
        return switch (type) {
            case "ByteLevel" -> none; // only adjusts offsets
            case "Sequence" -> {
                int[][] result = none;
                List<JsonNode> items = array(node, "processors", field);
                for (int i = 0; i < items.size(); i++) {
                    int[][] r = postProcessor(items.get(i), field + ".processors[" + i + "]");
                    if (r[0].length + r[1].length == 0) continue;
                    if (result[0].length + result[1].length > 0) throw bad(field, "two processors that add tokens");
                    result = r;
                }
                yield result;
            }
            case "TemplateProcessing" -> template(node, field);
            case "BertProcessing", "RobertaProcessing" -> {
                int cls = pairId(node, "cls", field), sep = pairId(node, "sep", field);
                yield new int[][] {{cls}, {sep}};
            }
            default -> throw bad(field + ".type", "unsupported post-processor type '" + type
                    + "' (supported: TemplateProcessing, ByteLevel, Sequence, BertProcessing, RobertaProcessing)");
        };
    }

    private int pairId(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        if (v == null || !v.isArray() || v.size() != 2 || !v.get(1).canConvertToInt()) {
            throw bad(field + "." + name, "expected [token, id]");
        }
        return v.get(1).asInt();
    }

    /** TemplateProcessing's "single" template: special tokens around one $A. */
    private int[][] template(JsonNode node, String field) {
        JsonNode specials = node.get("special_tokens");
        List<Integer> before = new ArrayList<>(), after = new ArrayList<>();
        boolean seenSequence = false;
        List<JsonNode> items = array(node, "single", field);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String itemField = field + ".single[" + i + "]";
            if (item.has("Sequence")) {
                if (seenSequence) throw bad(itemField, "more than one sequence in the single template");
                seenSequence = true;
            } else if (item.has("SpecialToken")) {
                String name = text(item.get("SpecialToken"), "id", itemField + ".SpecialToken", null);
                JsonNode special = specials == null ? null : specials.get(name);
                if (special == null || !special.has("ids") || !special.get("ids").isArray()) {
                    throw bad(field + ".special_tokens", "no ids for '" + name + "'");
                }
                for (JsonNode id : special.get("ids")) {
                    if (!id.canConvertToInt() || id.asInt() < 0) throw bad(field + ".special_tokens." + name, "bad id");
                    (seenSequence ? after : before).add(id.asInt());
                }
            } else {
                throw bad(itemField, "expected Sequence or SpecialToken");
            }
        }
        if (!seenSequence) throw bad(field + ".single", "no $A sequence");
        return new int[][] {before.stream().mapToInt(Integer::intValue).toArray(), after.stream().mapToInt(Integer::intValue).toArray()};
    }
}
