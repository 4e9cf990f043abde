package dev.tinyforge.tokenizer;

/**
 * Receives the pieces a splitter cuts. {@code offset} is where the piece starts in the text of the
 * segment being tokenized; 0 means "the very start of the input", which Metaspace's "first" scheme needs.
 */
@FunctionalInterface
interface PieceSink {
    void accept(String piece, int offset);
}
