package dev.tinyforge.tokenizer.template;

import dev.tinyforge.util.BadInputException;

/**
 * A chat template could not be parsed or rendered. The message is one line:
 * {@code NAME: line L, column C: what went wrong}, where NAME is the template's name (a file name,
 * or "chat template"). {@link #kind()} tells a template's own {@code raise_exception} apart from
 * syntax errors, unsupported constructs and exhausted limits.
 */
public final class TemplateException extends BadInputException {
    /** What kind of failure this is. */
    public enum Kind {
        /** Not valid Jinja syntax. */
        SYNTAX,
        /** Valid Jinja that this renderer does not implement; it refuses rather than guess. */
        UNSUPPORTED,
        /** A type error and the like, as Python would raise while rendering. */
        RUNTIME,
        /** An undefined variable was used where a value is needed (Jinja's UndefinedError). */
        UNDEFINED,
        /** The template called {@code raise_exception(message)}; {@link #reason()} is its message. */
        RAISED,
        /** A limit on size, steps, recursion or range length was exceeded (see {@link TemplateLimits}). */
        LIMIT
    }

    private final Kind kind;
    private final String templateName;
    private final int line;
    private final int column;
    private final String reason;

    TemplateException(Kind kind, String templateName, int line, int column, String reason) {
        super(format(templateName, line, column, reason));
        this.kind = kind;
        this.templateName = templateName;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    private static String format(String name, int line, int column, String reason) {
        // One line, always: a template's message may contain newlines.
        String oneLine = reason.replace("\r", "\\r").replace("\n", "\\n");
        return line > 0 ? name + ": line " + line + ", column " + column + ": " + oneLine : name + ": " + oneLine;
    }

    public Kind kind() {
        return kind;
    }

    public String templateName() {
        return templateName;
    }

    /** 1-based line in the template source, or 0 when the error has no position. */
    public int line() {
        return line;
    }

    /** 1-based column (in UTF-16 units) in the template source, or 0. */
    public int column() {
        return column;
    }

    /** The message without the name and position. */
    public String reason() {
        return reason;
    }
}
