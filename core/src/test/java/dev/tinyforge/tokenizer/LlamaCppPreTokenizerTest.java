package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's pre-tokenizer splits: our scanners must cut exactly where llama.cpp's std::regex path
 * ({@link StdRegexSplit}) cuts for the same regexes, and every preset must partition any text.
 */
class LlamaCppPreTokenizerTest {

    private static String randomText(SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        int length = 1 + random.nextInt(24);
        for (int i = 0; i < length; i++) b.append(RegexScannerTest.ALPHABET[random.nextInt(RegexScannerTest.ALPHABET.length)]);
        return b.toString();
    }

    private static List<String> words(LlamaCppPreTokenizer pre, String text) {
        List<String> out = new ArrayList<>();
        pre.split(text, out::add);
        return out;
    }

    private static List<String> regexWords(String regex, String text) {
        return words(LlamaCppPreTokenizer.of(List.of(regex)), text);
    }

    @Test
    void scannersCutLikeLlamaCppsStdRegexPath() {
        // Each pair: a regex we split by hand, and a spelling of it that goes down the std::regex path.
        // Appending "|\s+" is what llama.cpp's GPT-2 splitter does anyway and adds nothing to the others.
        String[][] pairs = {
            {LlamaCppRegexes.GPT2, LlamaCppRegexes.GPT2 + "|\\s+"},
            {LlamaCppRegexes.LLAMA3, LlamaCppRegexes.LLAMA3 + "|\\s+"},
            {LlamaCppRegexes.QWEN2, LlamaCppRegexes.QWEN2 + "|\\s+"},
            {"\\p{N}", "\\p{N}{1}"},
            {"\\p{N}{1,3}", "(?:\\p{N}{1,3})"},
            {"\\p{N}+", "\\p{N}{1,}"},
        };
        SplittableRandom random = new SplittableRandom(20250611L);
        for (String[] pair : pairs) {
            LlamaCppPreTokenizer scanner = LlamaCppPreTokenizer.of(List.of(pair[0]));
            for (int round = 0; round < 3000; round++) {
                String text = randomText(random);
                assertEquals(regexWords(pair[1], text), words(scanner, text), () -> pair[0] + " on " + HfFixtureTest.escape(text));
            }
        }
    }

    static List<String> presetNames() {
        return List.copyOf(LlamaCppPreset.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presetNames")
    void everyPresetPartitionsText(String name) {
        LlamaCppPreTokenizer pre = LlamaCppPreTokenizer.of(LlamaCppPreset.forName(name).regexes());
        SplittableRandom random = new SplittableRandom(name.hashCode());
        List<String> samples = new ArrayList<>(List.of("Hello, y'all! How are you 😁 ?我想在apple工作1314151天～",
                "  \n\n\t x = 3.14159; // ünïcödé —  ", "Ⅻ ½ 𝐀𝐁 ΑΒΓ ǅ ῼ ＡＢ 가나 ぁ ア 中文 ～！"));
        for (int i = 0; i < 300; i++) samples.add(randomText(random));
        for (String text : samples) {
            List<String> words = words(pre, text);
            assertEquals(text, String.join("", words), () -> name + " on " + HfFixtureTest.escape(text));
            for (String w : words) assertFalse(w.isEmpty());
        }
    }

    @Test
    void collapsedCategoriesKeepLlamaCppsAsciiMembers() {
        // llama.cpp's ASCII members of \p{S} leave '~' out, so "a~b" has no symbol to cut at.
        assertEquals(List.of("a~b"), regexWords("\\p{S}", "a~b"));
        assertEquals(List.of("a", "+", "b"), regexWords("\\p{S}", "a+b"));
        assertEquals(List.of("a", "€", "b"), regexWords("\\p{S}", "a€b"));
        // Every number on its own (StarCoder's first step), whatever the script.
        assertEquals(List.of("x", "1", "٣", "½", "y"), regexWords("\\p{N}", "x1٣½y"));
        // Letters of any script are one class, marks another; a gap between matches is one piece.
        assertEquals(List.of(" héllo", "\u0301!", " ab"), regexWords("\\s?\\p{L}+", " héllo\u0301! ab"));
    }

    @Test
    void dollarMeansTheEndOfThePieceOnly() {
        assertEquals(List.of("a b", "  \n"), regexWords("\\s+$", "a b  \n"));
        assertEquals(List.of("a", "\n", "b"), regexWords("[\r\n]", "a\nb"));
    }
}
