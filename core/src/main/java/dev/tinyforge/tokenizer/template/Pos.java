package dev.tinyforge.tokenizer.template;

/** A 1-based line and column in the template source, carried by every node for error messages. */
record Pos(int line, int column) {
    static Pos of(Token t) {
        return new Pos(t.line(), t.column());
    }
}
