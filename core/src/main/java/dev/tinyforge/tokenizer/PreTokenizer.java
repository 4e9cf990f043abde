package dev.tinyforge.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a normalized segment into the words BPE runs on, as HF's pre-tokenizers do. Byte-level mapping
 * itself is not done here: {@link ByteLevelSplit} only adds the prefix space and the GPT-2 split, and
 * the model maps bytes (it knows its words are byte-level, which lets it cache on the raw text).
 */
sealed interface PreTokenizer {
    void split(String text, int offset, PieceSink out);

    /** Each step on every piece of the step before. */
    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        @Override
        public void split(String text, int offset, PieceSink out) {
            List<String> pieces = List.of(text);
            IntList offsets = new IntList(1);
            offsets.add(offset);
            for (int s = 0; s < steps.size() - 1; s++) {
                List<String> nextPieces = new ArrayList<>();
                IntList nextOffsets = new IntList(pieces.size() * 2);
                for (int p = 0; p < pieces.size(); p++) {
                    steps.get(s).split(pieces.get(p), offsets.get(p), (piece, at) -> {
                        nextPieces.add(piece);
                        nextOffsets.add(at);
                    });
                }
                pieces = nextPieces;
                offsets = nextOffsets;
            }
            PreTokenizer last = steps.getLast();
            for (int p = 0; p < pieces.size(); p++) last.split(pieces.get(p), offsets.get(p), out);
        }
    }

    /** HF's Split: cut on a pattern's matches with a {@link SplitBehavior}, matches inverted if asked. */
    record Split(SplitPattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {
        @Override
        public void split(String text, int offset, PieceSink out) {
            IntList matches = new IntList(16);
            pattern.matches(text, matches);
            behavior.split(text, offset, matches, invert, out);
        }
    }

    /** The splitting half of HF's ByteLevel pre-tokenizer: optional leading space, optional GPT-2 regex. */
    record ByteLevelSplit(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
        private static final SplitPattern GPT2 = new SplitPattern.Regex(
                RegexScanner.GPT2.pattern, OnigRegex.compile(RegexScanner.GPT2.pattern), RegexScanner.GPT2);

        @Override
        public void split(String text, int offset, PieceSink out) {
            if (addPrefixSpace && !text.startsWith(" ")) text = " " + text;
            if (!useRegex) {
                out.accept(text, offset);
                return;
            }
            IntList matches = new IntList(16);
            GPT2.matches(text, matches);
            SplitBehavior.ISOLATED.split(text, offset, matches, false, out);
        }
    }

    /** Digits apart from the rest: each alone, or runs of them together. Numeric means \p{N}. */
    record Digits(boolean individual) implements PreTokenizer {
        @Override
        public void split(String text, int offset, PieceSink out) {
            IntList matches = new IntList(16);
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (CharClass.isNumber(cp)) {
                    matches.add(i);
                    matches.add(next);
                }
                i = next;
            }
            (individual ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS).split(text, offset, matches, false, out);
        }
    }

    /** When Metaspace puts the replacement character before a piece. */
    enum PrependScheme { ALWAYS, NEVER, FIRST }

    /**
     * SentencePiece's space handling as a pre-tokenizer: spaces become {@code replacement}, a leading one is
     * added (always, never, or only at the start of the input), and the text is cut before each one.
     */
    record Metaspace(char replacement, PrependScheme scheme, boolean splitOnReplacement) implements PreTokenizer {
        @Override
        public void split(String text, int offset, PieceSink out) {
            text = text.replace(' ', replacement);
            boolean prepend = switch (scheme) {
                case ALWAYS -> true;
                case NEVER -> false;
                case FIRST -> offset == 0;
            };
            if (prepend && text.charAt(0) != replacement) text = replacement + text;
            if (!splitOnReplacement) {
                out.accept(text, offset);
                return;
            }
            IntList matches = new IntList(16);
            new SplitPattern.Literal(String.valueOf(replacement)).matches(text, matches);
            SplitBehavior.MERGED_WITH_NEXT.split(text, offset, matches, false, out);
        }
    }
}
