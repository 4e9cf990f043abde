package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** {@code chat} with piped stdin and {@code generate --chat} on stories260K (no template: ChatML as text). */
class ChatCommandTest {
    private static final String NOTE = "has no chat template; using ChatML\n";

    private static String model() {
        return Fixtures.require("models/stories260K/hf").toString();
    }

    private static CliRunner chat(String stdin, String... more) {
        String[] args = new String[5 + more.length];
        System.arraycopy(new String[] {"chat", model(), "--temperature", "0", "-n"}, 0, args, 0, 5);
        System.arraycopy(more, 0, args, 5, more.length);
        return CliRunner.runWithInput(stdin, args);
    }

    @Test
    void pipedTurnsKeepTheConversationUntilExit() {
        CliRunner r = chat("Hello\nWhat next?\n/exit\nnever read\n", "12");
        assertEquals(0, r.exitCode(), r.err());
        // No prompt markers on a pipe: the replies alone, one after the other.
        assertEquals("\"Here?\" Annab\n\"Here,\" Asked A\n", r.out());
        assertTrue(r.err().endsWith(NOTE) && r.err().indexOf(NOTE) == r.err().lastIndexOf(NOTE), r.err());

        // The first turn is what generate --chat answers; the second depends on the first.
        CliRunner single = CliRunner.run("generate", model(), "--chat", "-p", "Hello", "--temperature", "0", "-n", "12");
        assertEquals(0, single.exitCode(), single.err());
        assertEquals("\"Here?\" Annab\n", single.out());
        assertTrue(single.err().contains(NOTE), single.err());
        CliRunner alone = chat("What next?\n", "12");
        assertNotEquals("\"Here,\" Asked A\n", alone.out());
    }

    @Test
    void resetStartsOverAndEndOfInputEnds() {
        CliRunner r = chat("Hello\n/reset\n\nHello", "12");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("\"Here?\" Annab\n\"Here?\" Annab\n", r.out());
    }

    @Test
    void systemPromptAndContinuationLines() {
        CliRunner chat = chat("Tell me\\\na story\n", "10", "--system", "Be kind.");
        CliRunner generate = CliRunner.run("generate", model(), "--chat", "--system", "Be kind.", "-p", "Tell me\na story",
                "--temperature", "0", "-n", "10");
        assertEquals(0, chat.exitCode(), chat.err());
        assertEquals(0, generate.exitCode(), generate.err());
        assertEquals(generate.out(), chat.out());
    }

    @Test
    void aTurnBeyondTheContextFailsAPipedChat() {
        CliRunner r = chat("Hi\nOnce upon a time there was a very long story about a dog, a cat and a bird.\nHi\n", "4",
                "--ctx", "64");
        assertEquals(Main.BAD_INPUT, r.exitCode());
        assertTrue(r.err().endsWith("error: the conversation has 124 tokens; the context holds 64 (/reset starts a new one)\n"),
                r.err());
        assertEquals(1, r.out().split("\n", -1).length - 1, r.out());
    }

    @Test
    void systemNeedsChat() {
        CliRunner r = CliRunner.run("generate", model(), "--system", "Be kind.", "-p", "Hi");
        assertEquals(Main.BAD_INPUT, r.exitCode());
        assertEquals("error: --system needs --chat\n", r.err());
    }
}
