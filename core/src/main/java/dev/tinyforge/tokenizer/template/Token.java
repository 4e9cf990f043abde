package dev.tinyforge.tokenizer.template;

/**
 * One lexical token. {@code text} is the name, operator or decoded string; {@code literal} holds the
 * value of STRING and NUMBER tokens. Line and column are 1-based, for error messages.
 */
record Token(Type type, String text, Value literal, int line, int column) {
    enum Type { DATA, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, NUMBER, OP, EOF }

    boolean isName(String name) {
        return type == Type.NAME && text.equals(name);
    }

    boolean isOp(String op) {
        return type == Type.OP && text.equals(op);
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (type) {
            case EOF -> "end of template";
            case VAR_END -> "end of print statement '}}'";
            case BLOCK_END -> "end of statement block '%}'";
            case VAR_BEGIN -> "'{{'";
            case BLOCK_BEGIN -> "'{%'";
            case DATA -> "template text";
            case STRING -> "string " + PyStrings.repr(text);
            case NAME, NUMBER, OP -> "'" + text + "'";
        };
    }
}
