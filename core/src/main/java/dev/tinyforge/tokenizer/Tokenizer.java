package dev.tinyforge.tokenizer;

import java.util.Collections;
import java.util.List;

/**
 * A loaded tokenizer: a source-independent {@link Vocabulary} plus the pipeline its file defines (HF's
 * added tokens → normalizer → pre-tokenizer → BPE → post-processing for tokenizer.json, llama.cpp's rules
 * for a GGUF vocabulary). Thread-safe; build one with {@link Tokenizers#load}, which takes either.
 *
 * <pre>{@code
 * Tokenizer tok = Tokenizers.load(Path.of("models/qwen3"));
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
    private final Pipeline pipeline;

    /**
     * Assembles HF's pipeline; {@link HfTokenizerLoader} calls it.
     *
     * @param prefix ids put before the text when special tokens are added (post-processing)
     * @param suffix ids put after it
     * @param normalizer null for none
     * @param preTokenizer null for none (the whole segment is one word)
     * @param decoder null to join pieces with spaces, as HF does without a decoder
     */
    Tokenizer(Vocabulary vocabulary, SpecialTokens special, int[] prefix, int[] suffix, List<AddedToken> addedTokens,
            Normalizer normalizer, PreTokenizer preTokenizer, BpeModel model, Decoder decoder) {
        this(vocabulary, special, prefix, suffix, addedTokens,
                new HfPipeline(vocabulary, addedTokens, normalizer, preTokenizer, model, decoder));
    }

    /** Assembles a tokenizer around any pipeline (GGUF vocabularies use llama.cpp's). */
    Tokenizer(Vocabulary vocabulary, SpecialTokens special, int[] prefix, int[] suffix, List<AddedToken> addedTokens,
            Pipeline pipeline) {
        this.vocabulary = vocabulary;
        this.special = special;
        this.prefix = prefix.clone();
        this.suffix = suffix.clone();
        this.addedTokens = List.copyOf(addedTokens);
        this.pipeline = pipeline;
    }

    /**
     * Token ids for {@code text}.
     *
     * @param addSpecial add the post-processing tokens (BOS and/or EOS as the tokenizer defines)
     * @param parseSpecial match special tokens written in the text ({@code "<|im_start|>"} becomes one id);
     *     when false they are tokenized as plain text (HF's {@code split_special_tokens}). Non-special added
     *     tokens are always matched, as in HF and llama.cpp.
     */
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        text = replaceLoneSurrogates(text);
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial) out.addAll(prefix);
        pipeline.encode(text, parseSpecial, out);
        if (addSpecial) out.addAll(suffix);
        return out.toArray();
    }

    /** {@code encode(text, false, false)}: the ids of plain text, nothing added, nothing special. */
    public int[] encodePlain(String text) {
        return encode(text, false, false);
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
     * The text of {@code ids}: HF's {@code decode} for a tokenizer.json, llama.cpp's {@code detokenize} for
     * a GGUF vocabulary. Ids that are out of range or unused are skipped.
     *
     * @param skipSpecial leave out special tokens (BOS, EOS, {@code <|im_end|>} ...)
     */
    public String decode(int[] ids, boolean skipSpecial) {
        return decode(ids, 0, ids.length, skipSpecial);
    }

    String decode(int[] ids, int from, int to, boolean skipSpecial) {
        return pipeline.decode(ids, from, to, skipSpecial);
    }

    /** Whether later ids may still change the end of {@code decoded} (see {@link Pipeline#tailMayChange}). */
    boolean tailMayChange(String decoded) {
        return pipeline.tailMayChange(decoded);
    }

    /**
     * The bytes {@code id} adds to the decoded text (special tokens skipped) when other ids come before it:
     * a byte-level piece's bytes, a {@code <0xNN>} piece's one byte, a SentencePiece piece with its
     * {@code ▁} as a space. One id may hold part of a UTF-8 character. Empty for special, unused and
     * out-of-range ids. Decoding rules that look at the whole text (llama.cpp's clean-up of spaces before
     * punctuation, the first piece's dropped space) are not applied: these are the bytes constrained
     * decoding matches token by token.
     */
    public byte[] tokenBytes(int id) {
        return pipeline.tokenBytes(id);
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
        return pipeline.isSpecial(id);
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
