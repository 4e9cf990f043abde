package dev.tinyforge.tokenizer;

import java.util.List;

/**
 * Texts that tell tokenizers apart: runs of digits, contractions in both cases, punctuation runs,
 * every kind of white space, accents, scripts without spaces, emoji, code and case changes inside
 * words. Two tokenizers that agree on all of them split words and merge pieces the same way (the
 * pre-tokenizer regexes llama.cpp knows differ on at least one). Written for TinyForge.
 */
final class TokenizerProbes {
    private TokenizerProbes() {}

    static final List<String> TEXTS = List.of(
            "Hello world",
            " Hello world",
            "hello, world! How are you today?",
            "The year 2024 had 366 days; 1234567 is a long number and 3.14159 is pi.",
            "I'm sure you'll see they've said it's what we'd do. I'M SURE YOU'LL SEE THEY'VE SAID IT'S WHAT WE'D DO.",
            "don't DON'T Don't can't won't o'clock rock'n'roll",
            "Wait...what?!?! No way!!! (really) [maybe] {never}",
            "a  b   c    d     e",
            "   leading spaces and trailing ones   ",
            "tabs\there\t\tand\t \tthere",
            "line one\nline two\n\nline four\r\nwindows line\rold mac",
            "\n\n\nstarts with newlines",
            "ends with a newline\n",
            " ",
            "  ",
            "\t",
            "\n",
            "naïve café résumé Ünïcödé über façade",
            "Привет, мир! Как дела?",
            "Γειά σου Κόσμε",
            "你好，世界！我们今天去公园。",
            "こんにちは世界、カタカナとひらがな。",
            "안녕하세요 세계",
            "مرحبا بالعالم",
            "नमस्ते दुनिया",
            "emoji 🙂👍🏽 and 🇫🇷 flags and ❤️",
            "def square(x):\n    return x ** 2  # squared\n\nprint(square(12))",
            "if (a<=b && c!=d) { x += 1; } else { y -= 2; }",
            "https://example.com/path?query=1&other=two#frag",
            "user@example.org sent $1,299.99 (+5% VAT) = €1.364,99",
            "camelCaseWords PascalCase HTTPServer XMLHttpRequest iPhone McDonald",
            "UPPER lower MiXeD 123abc abc123 a1b2c3",
            "<tag attr=\"v\">text</tag> & more",
            "----- ===== ***** _____ ~~~~~",
            "x = y^2 + z|w; p < q > r",
            "…“quoted” ‘single’ — dash – en‐dash",
            "1 12 123 1234 12345 123456",
            "3rd 21st 100th 1/2 3:45 pm 2024-01-31",
            "Once upon a time, there was a little girl named Lily. She loved to play outside.");
}
