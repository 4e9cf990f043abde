package dev.tinyforge.tokenizer.template;

/**
 * Bounds on the work an untrusted template may cause. Chat templates come inside model downloads,
 * so a template must not be able to hang the process, overflow the stack or exhaust the heap.
 * Exceeding a bound is a {@link TemplateException} of kind {@code LIMIT}.
 *
 * @param maxSourceChars  longest template source accepted (real ones are under 50 KB)
 * @param maxNesting      deepest nesting of blocks plus brackets/operators in the parser (stack depth)
 * @param maxCallDepth    deepest macro recursion
 * @param maxSteps        statements, loop iterations and calls per render (bounds time)
 * @param maxStringChars  longest string any single operation may build (e.g. {@code 'x' * n})
 * @param maxListItems    longest list any single operation may build, {@code range(...)} included
 *                        (100,000, the bound of Jinja's sandboxed range)
 * @param maxTotalChars   characters all string operations of one render may build together, so that
 *                        a loop re-building a long string cannot run for minutes
 * @param maxOutputChars  longest rendered prompt
 */
public record TemplateLimits(int maxSourceChars, int maxNesting, int maxCallDepth, long maxSteps,
                             int maxStringChars, int maxListItems, long maxTotalChars, int maxOutputChars) {
    /** Generous for any real chat template, tight enough that a hostile one fails within seconds. */
    public static final TemplateLimits DEFAULT =
            new TemplateLimits(1 << 20, 64, 32, 5_000_000L, 16 << 20, 100_000, 512L << 20, 32 << 20);

    public TemplateLimits {
        if (maxSourceChars <= 0 || maxNesting <= 0 || maxCallDepth <= 0 || maxSteps <= 0
                || maxStringChars <= 0 || maxListItems <= 0 || maxTotalChars <= 0 || maxOutputChars <= 0) {
            throw new IllegalArgumentException("template limits must be positive");
        }
    }
}
