package dev.tinyforge.tokenizer.template;

/**
 * An error raised while evaluating, before its template position is known. The interpreter catches it
 * at the innermost expression or statement and turns it into a {@link TemplateException} with the
 * line and column. No stack trace: these are user-facing errors, created often in probing code.
 */
final class EvalError extends RuntimeException {
    final TemplateException.Kind kind;

    private EvalError(TemplateException.Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** Wrong types or arguments: what Python would raise as TypeError / ValueError. */
    static EvalError type(String message) {
        return new EvalError(TemplateException.Kind.RUNTIME, message);
    }

    /** Jinja's UndefinedError: an undefined value was used in a way that needs a real one. */
    static EvalError undefined(String message) {
        return new EvalError(TemplateException.Kind.UNDEFINED, message);
    }

    /** Valid Jinja that this renderer does not implement. */
    static EvalError unsupported(String message) {
        return new EvalError(TemplateException.Kind.UNSUPPORTED, message);
    }

    /** A resource limit was hit (output size, steps, recursion, range length). */
    static EvalError limit(String message) {
        return new EvalError(TemplateException.Kind.LIMIT, message);
    }

    /** The template itself called {@code raise_exception(message)}. */
    static EvalError raised(String message) {
        return new EvalError(TemplateException.Kind.RAISED, message);
    }
}
