package dev.tinyforge.tokenizer;

/**
 * A token matched verbatim in the input before normalization and BPE (HF's {@code added_tokens}):
 * special ones (BOS, {@code <|im_start|>}) and plain ones ({@code <think>}, Gemma's runs of newlines).
 *
 * @param normalized match against the normalized text instead of the raw input
 * @param lstrip also swallow white space just before the token
 * @param rstrip also swallow white space just after it
 * @param singleWord match only where it is not glued to a word character on either side
 */
public record AddedToken(int id, String content, boolean special, boolean normalized, boolean lstrip,
        boolean rstrip, boolean singleWord) {
    public AddedToken {
        if (content.isEmpty()) throw new IllegalArgumentException("empty added token " + id);
    }
}
