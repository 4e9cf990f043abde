package dev.tinyforge.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HF tokenizers' pipeline: added tokens → normalizer → pre-tokenizer → BPE, and a decoder over the
 * pieces. Built by {@link HfTokenizerLoader}.
 */
final class HfPipeline implements Pipeline {
    private final Vocabulary vocabulary;
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final AddedTokenMatcher rawMatcher;
    private final AddedTokenMatcher normalizedMatcher;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final BpeModel model;
    private final Decoder decoder;

    /**
     * @param normalizer null for none
     * @param preTokenizer null for none (the whole segment is one word)
     * @param decoder null to join pieces with spaces, as HF does without a decoder
     */
    HfPipeline(Vocabulary vocabulary, List<AddedToken> addedTokens, Normalizer normalizer, PreTokenizer preTokenizer,
            BpeModel model, Decoder decoder) {
        this.vocabulary = vocabulary;
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

    @Override
    public void encode(String text, boolean parseSpecial, IntList out) {
        rawMatcher.split(text, parseSpecial, new AddedTokenMatcher.Sink() {
            @Override
            public void text(int start, int end) {
                encodeSegment(text.substring(start, end), start, parseSpecial, out);
            }

            @Override
            public void token(AddedToken token) {
                out.add(token.id());
            }
        });
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

    /** HF's {@code decode}: pieces through the decoder; ids out of range or unused are skipped, as HF does. */
    @Override
    public String decode(int[] ids, int from, int to, boolean skipSpecial) {
        List<String> pieces = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            String piece = vocabulary.piece(ids[i]);
            if (piece == null || (skipSpecial && isSpecial(ids[i]))) continue;
            pieces.add(piece);
        }
        return decoder == null ? String.join(" ", pieces) : decoder.decode(pieces);
    }

    @Override
    public byte[] tokenBytes(int id) {
        String piece = vocabulary.piece(id);
        if (piece == null || isSpecial(id)) return new byte[0];
        // Without a decoder HF joins pieces with spaces, so a piece after another one brings its space.
        if (decoder == null) return (" " + piece).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return PieceBytes.of(decoder, piece);
    }

    @Override
    public boolean isSpecial(int id) {
        AddedToken t = addedById.get(id);
        return t != null && t.special();
    }
}
