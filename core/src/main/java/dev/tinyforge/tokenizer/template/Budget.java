package dev.tinyforge.tokenizer.template;

/** Counts the work of one render against {@link TemplateLimits}; any overrun is an {@link EvalError#limit}. */
final class Budget {
    final TemplateLimits limits;
    private long steps;
    private long totalChars;
    private int callDepth;

    Budget(TemplateLimits limits) {
        this.limits = limits;
    }

    /** One statement, loop iteration or call. */
    void step() {
        if (++steps > limits.maxSteps()) {
            throw EvalError.limit("rendering took more than " + limits.maxSteps() + " steps (an endless loop?)");
        }
    }

    /** Before building a string of {@code length} characters. */
    void chars(long length) {
        if (length > limits.maxStringChars()) {
            throw EvalError.limit("a string of " + length + " characters exceeds the limit of " + limits.maxStringChars());
        }
        totalChars += length;
        if (totalChars > limits.maxTotalChars()) {
            throw EvalError.limit("string operations built more than " + limits.maxTotalChars() + " characters in total");
        }
    }

    /** Before building a list of {@code size} items. */
    void items(long size) {
        if (size > limits.maxListItems()) {
            throw EvalError.limit("a list of " + size + " items exceeds the limit of " + limits.maxListItems());
        }
        steps += size / 16; // building a long list is work too
    }

    void enterCall(String name) {
        if (++callDepth > limits.maxCallDepth()) {
            throw EvalError.limit("macro calls nest deeper than " + limits.maxCallDepth() + " (in '" + name + "')");
        }
    }

    void leaveCall() {
        callDepth--;
    }
}
