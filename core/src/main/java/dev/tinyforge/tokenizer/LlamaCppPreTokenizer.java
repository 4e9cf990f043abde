package dev.tinyforge.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * llama.cpp's {@code unicode_regex_split} for a byte-level BPE vocabulary: each regex in turn cuts every
 * piece the previous one left into its matches and the gaps between them. The regexes llama.cpp runs
 * hand-written code for (GPT-2's, Llama 3's), Qwen2's and the number runs, which it runs through
 * std::regex, go through hand-written splitters here too, which cut identically (LlamaCppPreTokenizerTest
 * checks them against {@link StdRegexSplit}); any other regex through {@link StdRegexSplit}.
 */
final class LlamaCppPreTokenizer {
    private sealed interface Step permits Scan, Numbers, Regex {}

    private record Scan(RegexScanner scanner) implements Step {}

    /** {@code \p{N}}, {@code \p{N}{1,3}}, {@code \p{N}+}: runs of up to {@code max} numbers, the rest between them. */
    private record Numbers(int max) implements Step {}

    private record Regex(StdRegexSplit split) implements Step {}

    private final List<Step> steps;

    private LlamaCppPreTokenizer(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** @throws IllegalArgumentException when a regex does not compile */
    static LlamaCppPreTokenizer of(List<String> regexes) {
        List<Step> steps = new ArrayList<>();
        for (String regex : regexes) {
            steps.add(switch (regex) {
                case LlamaCppRegexes.GPT2 -> new Scan(RegexScanner.GPT2);
                case LlamaCppRegexes.LLAMA3, LlamaCppRegexes.LLAMA3_ORIGINAL -> new Scan(RegexScanner.LLAMA3_ASCII_CASE);
                case LlamaCppRegexes.QWEN2 -> new Scan(RegexScanner.QWEN2_ASCII_CASE);
                case "\\p{N}" -> new Numbers(1);
                case "\\p{N}{1,3}" -> new Numbers(3);
                case "\\p{N}+" -> new Numbers(Integer.MAX_VALUE);
                default -> new Regex(StdRegexSplit.compile(regex));
            });
        }
        return new LlamaCppPreTokenizer(steps);
    }

    /** Sends the words of {@code text} (non-empty, in order) to {@code words}. */
    void split(String text, Consumer<String> words) {
        if (!text.isEmpty()) split(text, 0, words);
    }

    private void split(String piece, int step, Consumer<String> words) {
        if (step == steps.size()) {
            words.accept(piece);
            return;
        }
        switch (steps.get(step)) {
            case Scan(RegexScanner scanner) -> {
                for (int i = 0, n = piece.length(); i < n; ) {
                    int end = scanner.matchEnd(piece, i);
                    split(i == 0 && end == n ? piece : piece.substring(i, end), step + 1, words);
                    i = end;
                }
            }
            case Numbers(int max) -> {
                int start = 0, n = piece.length();
                for (int i = 0; i < n; ) {
                    int cp = piece.codePointAt(i);
                    if (!CharClass.isNumber(cp)) {
                        i += Character.charCount(cp);
                        continue;
                    }
                    if (i > start) split(piece.substring(start, i), step + 1, words);
                    int end = i, count = 0;
                    while (end < n && count < max && CharClass.isNumber(piece.codePointAt(end))) {
                        end += Character.charCount(piece.codePointAt(end));
                        count++;
                    }
                    split(start == 0 && end == n && i == 0 ? piece : piece.substring(i, end), step + 1, words);
                    start = i = end;
                }
                if (start < n) split(start == 0 ? piece : piece.substring(start), step + 1, words);
            }
            case Regex(StdRegexSplit regex) -> {
                IntList ends = new IntList(8);
                regex.cut(piece, ends);
                for (int k = 0, start = 0; k < ends.size(); k++) {
                    int end = ends.get(k);
                    split(start == 0 && end == piece.length() ? piece : piece.substring(start, end), step + 1, words);
                    start = end;
                }
            }
        }
    }
}
