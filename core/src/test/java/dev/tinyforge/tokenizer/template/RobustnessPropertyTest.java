package dev.tinyforge.tokenizer.template;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random token soup never escapes as anything but a {@link TemplateException}: no NullPointerException,
 * no ClassCastException, no StackOverflowError, whatever the template says.
 */
class RobustnessPropertyTest {
    private static final String[] PIECES = {"{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "{{-", "-}}", " ", "\n",
        "if", "elif", "else", "endif", "for", "in", "endfor", "set", "endset", "macro", "endmacro", "raw", "endraw",
        "break", "continue", "x", "loop", "ns", "namespace(", "messages", "m", ".", "[", "]", "(", ")", "{", "}", ",",
        ":", "|", "is", "not", "and", "or", "~", "+", "-", "*", "/", "//", "%", "**", "==", "<", "=", "'a'", "\"b\\n\"",
        "1", "0", "-1", "2.5", "true", "none", "length", "tojson", "join", "map", "select", "defined", "string",
        "items", "range(", "strip(", "split(", "raise_exception(", "'\\x", "'\\u12"};

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void failsOnlyWithTemplateException(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder template = new StringBuilder();
        int n = random.nextInt(1, 40);
        for (int i = 0; i < n; i++) template.append(PIECES[random.nextInt(PIECES.length)]).append(random.nextBoolean() ? " " : "");
        try {
            ChatTemplate.parse(template.toString()).render(Render.vars(
                    "messages", java.util.List.of(java.util.Map.of("role", "user", "content", "hi")), "x", 3));
        } catch (TemplateException expected) {
            // fine: a clear error
        } catch (RuntimeException | Error e) {
            fail("seed " + seed + ", template " + template + ": " + e, e);
        }
    }
}
