package dev.tinyforge.tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded tokenizer: HF's pipeline (added tokens → normalizer → pre-tokenizer → BPE → post-processing)
 * on top of a source-independent {@link Vocabulary}. Thread-safe; build one with
 * {@link HfTokenizerLoader#load}.
 *
 * <pre>{@code
 * Tokenizer tok = HfTokenizerLoader.load(Path.of("models/qwen3"));
 * int[] ids = tok.encode("Hello", true, true);
 * String text = tok.decode(ids, true);
 * }</pre>
 */
public final class Tokenizer {
    private final Vocabulary vocabulary;
    private final SpecialTokens special;
    private final int[] prefix;
    private final int[] suffix;
    private final List<AddedToken> addedTokens;
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final AddedTokenMatcher rawMatcher;
    private final AddedTokenMatcher normalizedMatcher;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final BpeModel model;
    private final Decoder decoder;

    /**
     * Assembles the parts; loaders in this package call it.
     *
     * @param prefix ids put before the text when special tokens are added (post-processing)
     * @param suffix ids put after it
     * @param normalizer null for none
     * @param preTokenizer null for none (the whole segment is one word)
     * @param decoder null to join pieces with spaces, as HF does without a decoder
     */
    Tokenizer(Vocabulary vocabulary, SpecialTokens special, int[] prefix, int[] suffix, List<AddedToken> addedTokens,
            Normalizer normalizer, PreTokenizer preTokenizer, BpeModel model, Decoder decoder) {
        this.vocabulary = vocabulary;
        this.special = special;
        this.prefix = prefix.clone();
        this.suffix = suffix.clone();
        this.addedTokens = List.copyOf(addedTokens);
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.decoder = decoder;
        List<AddedToken> raw = new ArrayList<>(), normalized = new ArrayList<>();
        List<String> normalizedContents = new ArrayList<>();
        for (AddedToken t : addedTokens) {
            addedById.putIfAbsent(t.id(), t);
            if (t.normalized()) {
                normalized.add(t);
                // HF matches these against normalized text, so it normalizes their content the same way.
                normalizedContents.add(normalizer == null ? t.content() : normalizer.normalize(t.content()));
            } else {
                raw.add(t);
            }
        }
        rawMatcher = new AddedTokenMatcher(raw, raw.stream().map(AddedToken::content).toList());
        normalizedMatcher = new AddedTokenMatcher(normalized, normalizedContents);
    }

    /**
     * Token ids for {@code text}.
     *
     * @param addSpecial add the post-processing tokens (BOS and/or EOS as the tokenizer defines)
     * @param parseSpecial match special tokens written in the text ({@code "<|im_start|>"} becomes one id);
     *     when false they are tokenized as plain text (HF's {@code split_special_tokens}). Non-special added
     *     tokens are always matched, as in HF.
     */
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        text = replaceLoneSurrogates(text);
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial) out.addAll(prefix);
        String input = text;
        rawMatcher.split(input, parseSpecial, new AddedTokenMatcher.Sink() {
            @Override
            public void text(int start, int end) {
                encodeSegment(input.substring(start, end), start, parseSpecial, out);
            }

            @Override
            public void token(AddedToken token) {
                out.add(token.id());
            }
        });
        if (addSpecial) out.addAll(suffix);
        return out.toArray();
    }

    /** {@code encode(text, false, false)}: the ids of plain text, nothing added, nothing special. */
    public int[] encodePlain(String text) {
        return encode(text, false, false);
    }

    private void encodeSegment(String segment, int offset, boolean parseSpecial, IntList out) {
        String normalized = normalizer == null ? segment : normalizer.normalize(segment);
        if (normalized.isEmpty()) return;
        if (normalizedMatcher.isEmpty()) {
            preTokenizeAndEncode(normalized, offset, out);
            return;
        }
        normalizedMatcher.split(normalized, parseSpecial, new AddedTokenMatcher.Sink() {
            @Override
            public void text(int start, int end) {
                preTokenizeAndEncode(normalized.substring(start, end), offset + start, out);
            }

            @Override
            public void token(AddedToken token) {
                out.add(token.id());
            }
        });
    }

    private void preTokenizeAndEncode(String text, int offset, IntList out) {
        if (preTokenizer == null) {
            model.encode(text, out);
        } else {
            preTokenizer.split(text, offset, (piece, at) -> model.encode(piece, out));
        }
    }

    /** Java strings may hold unpaired surrogates, which have no UTF-8; they count as U+FFFD. */
    private static String replaceLoneSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            StringBuilder b = new StringBuilder(s.length());
            for (int j = 0; j < s.length(); j++) {
                char d = s.charAt(j);
                if (Character.isHighSurrogate(d) && j + 1 < s.length() && Character.isLowSurrogate(s.charAt(j + 1))) {
                    b.append(d).append(s.charAt(++j));
                } else {
                    b.append(Character.isSurrogate(d) ? '\uFFFD' : d);
                }
            }
            return b.toString();
        }
        return s;
    }

    /**
     * The text of {@code ids}, as HF's {@code decode}: pieces through the tokenizer's decoder. Ids that
     * are out of range or unused are skipped, as HF does.
     *
     * @param skipSpecial leave out special tokens (BOS, EOS, {@code <|im_end|>} ...)
     */
    public String decode(int[] ids, boolean skipSpecial) {
        return decode(ids, 0, ids.length, skipSpecial);
    }

    String decode(int[] ids, int from, int to, boolean skipSpecial) {
        List<String> pieces = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            String piece = vocabulary.piece(ids[i]);
            if (piece == null || (skipSpecial && isSpecial(ids[i]))) continue;
            pieces.add(piece);
        }
        return decoder == null ? String.join(" ", pieces) : decoder.decode(pieces);
    }

    /** A decoder for ids that arrive one at a time (generation), emitting only complete characters. */
    public StreamingDecoder streamingDecoder(boolean skipSpecial) {
        return new StreamingDecoder(this, skipSpecial);
    }

    /** The raw piece of {@code id} ({@code "▁the"}, {@code "Ġthe"}, {@code "<|im_end|>"}), or null. */
    public String piece(int id) {
        return vocabulary.piece(id);
    }

    /** The id of a piece written exactly as in the vocabulary, or -1. */
    public int id(String piece) {
        return vocabulary.id(piece);
    }

    /** Number of ids, including added tokens: the size an embedding table needs at least. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** Whether {@code id} is a special added token (skipped by {@code decode(ids, true)}). */
    public boolean isSpecial(int id) {
        AddedToken t = addedById.get(id);
        return t != null && t.special();
    }

    /** BOS id or -1. */
    public int bos() {
        return special.bos();
    }

    /** EOS id or -1. */
    public int eos() {
        return special.eos();
    }

    public SpecialTokens specialTokens() {
        return special;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public List<AddedToken> addedTokens() {
        return Collections.unmodifiableList(addedTokens);
    }
}
