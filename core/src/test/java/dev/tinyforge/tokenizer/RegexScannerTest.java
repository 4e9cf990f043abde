package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hand-written scanners must cut text exactly where the regexes they replace do. Random strings
 * are drawn from characters at every class boundary the patterns care about: letters and numbers of
 * several scripts, each kind of white space, \r and \n, apostrophes with every contraction letter in
 * both cases (and ſ, which case-folds to s), marks, joiners and supplementary characters.
 */
class RegexScannerTest {
    static final String[] ALPHABET = {
        "a", "Z", "é", "Ж", "中", "ſ", "s", "S", "t", "T", "r", "R", "e", "E", "v", "V", "m", "M", "l", "L", "d", "D",
        "0", "7", "٣", "½", "Ⅻ", "²", " ", " ", " ", "\t", "\n", "\r", "\u000B", "\f", "\u0085", "\u00A0", "\u2003",
        "\u3000", "\u2028", "'", "'", "\"", ".", ",", "!", "-", "_", "(", "$", "\u0301", "\u200D", "\uFEFF", "😀", "🦙",
        "\uD835\uDC00" /* mathematical bold A: a supplementary letter */, "\uD800\uDD07" /* Aegean one: a supplementary number */
    };

    @ParameterizedTest
    @EnumSource(RegexScanner.class)
    void cutsLikeTheRegex(RegexScanner scanner) {
        Pattern regex = OnigRegex.compile(scanner.pattern);
        SplittableRandom random = new SplittableRandom(20240611L + scanner.ordinal());
        for (int round = 0; round < 5000; round++) {
            StringBuilder b = new StringBuilder();
            int length = 1 + random.nextInt(24);
            for (int i = 0; i < length; i++) b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            String text = b.toString();
            assertEquals(regexCuts(regex, text), scannerCuts(scanner, text), () -> HfFixtureTest.escape(text));
        }
    }

    private static List<String> regexCuts(Pattern regex, String text) {
        List<String> cuts = new ArrayList<>();
        Matcher m = regex.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) cuts.add("<gap>" + text.substring(last, m.start()));
            cuts.add(m.group());
            last = m.end();
        }
        if (last < text.length()) cuts.add("<gap>" + text.substring(last));
        return cuts;
    }

    private static List<String> scannerCuts(RegexScanner scanner, String text) {
        List<String> cuts = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int end = scanner.matchEnd(text, i);
            cuts.add(text.substring(i, end));
            i = end;
        }
        return cuts;
    }
}
