package dev.tinyforge.data;

import java.util.List;

/** What one JSONL line turned out to be: a usable example (perhaps with warnings) or the reason it is not. */
public sealed interface ParsedRecord {
    record Valid(Example example, List<String> warnings) implements ParsedRecord {}

    record Invalid(String reason) implements ParsedRecord {}
}
