package dev.tinyforge.data;

import dev.tinyforge.util.BadInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The JSONL record layouts TinyForge reads; one per file, detected from the first record or forced. */
public enum RecordFormat {
    /** {@code {"input", "output", "system"?, "metadata"?}} */
    IO("io"),
    /** {@code {"instruction", "input"?, "output"|"response", "system"?}} (Stanford Alpaca). */
    ALPACA("alpaca"),
    /** {@code {"prompt", "completion", "system"?}} (OpenAI legacy fine-tuning). */
    PROMPT_COMPLETION("prompt-completion"),
    /** {@code {"messages": [{"role", "content", "train"?}]}} (OpenAI chat). */
    MESSAGES("messages"),
    /** {@code {"text"}}: plain language-model data, every token is trained on. */
    TEXT("text");

    private final String id;

    RecordFormat(String id) {
        this.id = id;
    }

    /** The name used on the command line and in reports. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    public static RecordFormat fromId(String id) {
        for (RecordFormat f : values()) {
            if (f.id.equals(id)) return f;
        }
        throw new BadInputException("unknown record format '" + id + "': expected one of " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(RecordFormat::id).collect(Collectors.joining(", "));
    }
}
