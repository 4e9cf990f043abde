package dev.tinyforge.tokenizer;

/**
 * llama.cpp's tokenize/detokenize for a GGUF vocabulary: special and user-defined tokens are cut out of
 * the raw text first ({@link SpecialTokenSplitter}), then each remaining fragment is encoded on its own by
 * the model's algorithm, and ids render back through {@link LlamaCppDetokenizer}. Built by
 * {@link GgufTokenizerLoader}.
 */
final class LlamaCppPipeline implements Pipeline {

    /** Encodes one text fragment between special tokens. */
    sealed interface Fragments permits Spm, Bpe {
        /** @param afterSpecial the fragment starts the text or follows a special token */
        void encode(String text, int start, int end, boolean afterSpecial, IntList out);
    }

    /**
     * Model "llama": the fragment, with a space put before it when it starts the text or follows a special
     * token (if add_space_prefix), is merged by piece score as a whole.
     */
    record Spm(SpmModel model, boolean addSpacePrefix) implements Fragments {
        @Override
        public void encode(String text, int start, int end, boolean afterSpecial, IntList out) {
            model.encode(text, start, end, addSpacePrefix && afterSpecial, out);
        }
    }

    /**
     * Model "gpt2": the fragment is cut into words by the pre-tokenizer and each word is byte-level BPE
     * encoded. Ids at or beyond {@code vocabSize} stand for bytes the vocabulary lacks: they keep their
     * place during the merges (as llama.cpp's unmatched symbols do) and are then dropped, as llama.cpp drops them.
     */
    record Bpe(LlamaCppPreTokenizer preTokenizer, BpeModel model, int vocabSize, boolean lacksBytes) implements Fragments {
        @Override
        public void encode(String text, int start, int end, boolean afterSpecial, IntList out) {
            String fragment = start == 0 && end == text.length() ? text : text.substring(start, end);
            preTokenizer.split(fragment, word -> {
                int from = out.size();
                model.encode(word, out);
                if (lacksBytes) dropMissingBytes(out, from);
            });
        }

        private void dropMissingBytes(IntList out, int from) {
            int kept = from;
            for (int i = from; i < out.size(); i++) {
                int id = out.get(i);
                if (id < vocabSize) out.set(kept++, id);
            }
            out.truncate(kept);
        }
    }

    private final SpecialTokenSplitter splitter;
    private final Fragments fragments;
    private final LlamaCppDetokenizer detokenizer;

    LlamaCppPipeline(SpecialTokenSplitter splitter, Fragments fragments, LlamaCppDetokenizer detokenizer) {
        this.splitter = splitter;
        this.fragments = fragments;
        this.detokenizer = detokenizer;
    }

    @Override
    public void encode(String text, boolean parseSpecial, IntList out) {
        splitter.split(text, parseSpecial, new SpecialTokenSplitter.Sink() {
            private boolean afterSpecial = true; // the start of the text counts as following one

            @Override
            public void text(int start, int end) {
                fragments.encode(text, start, end, afterSpecial, out);
                afterSpecial = false;
            }

            @Override
            public void token(int id) {
                out.add(id);
                afterSpecial = true;
            }
        });
    }

    @Override
    public String decode(int[] ids, int from, int to, boolean skipSpecial) {
        return detokenizer.decode(ids, from, to, skipSpecial);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return detokenizer.tokenBytes(id);
    }

    @Override
    public boolean isSpecial(int id) {
        return detokenizer.isSpecial(id);
    }

    @Override
    public boolean tailMayChange(String decoded) {
        return detokenizer.tailMayChange(decoded);
    }
}
