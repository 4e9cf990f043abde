/**
 * Tokenizers: text ↔ token ids for the Llama family's BPE layouts, matching HF tokenizers id for id.
 *
 * <h2>Shape</h2>
 * The core does not know which file it came from:
 * <ul>
 *   <li>{@link dev.tinyforge.tokenizer.Vocabulary}: piece, score and {@link dev.tinyforge.tokenizer.TokenType}
 *       per id; {@link dev.tinyforge.tokenizer.SpecialTokens}: BOS/EOS/UNK/PAD and add_bos/add_eos;
 *       {@link dev.tinyforge.tokenizer.MergeTable}: merge ranks.</li>
 *   <li>The pipeline, one small type per step: {@link dev.tinyforge.tokenizer.AddedTokenMatcher} (added and
 *       special tokens found in the raw text), {@code Normalizer}, {@code PreTokenizer} (with
 *       {@code SplitPattern}, {@code RegexScanner} for the GPT-2 / Llama 3 / Qwen2 regexes and
 *       {@code OnigRegex} for others), {@code BpeModel} (byte-level or SentencePiece-style with byte
 *       fallback), post-processing (prefix/suffix ids), {@code Decoder}.</li>
 *   <li>{@link dev.tinyforge.tokenizer.Tokenizer} assembles them; {@link dev.tinyforge.tokenizer.StreamingDecoder}
 *       turns ids arriving one by one into complete characters.</li>
 * </ul>
 * {@link dev.tinyforge.tokenizer.HfTokenizerLoader} maps tokenizer.json (+ tokenizer_config.json) onto these
 * parts and refuses what it cannot reproduce exactly. A GGUF loader is another thin adapter onto the same
 * parts: {@code tokenizer.ggml.tokens/scores/token_type} give the Vocabulary; model "gpt2" with
 * {@code tokenizer.ggml.merges} and the {@code pre} name's regex gives a byte-level BpeModel with a Split
 * pre-tokenizer; model "llama" (SentencePiece) gives a code-point BpeModel with byte fallback, whose merge
 * ranks come from every split of each normal piece into two pieces ordered by the merged piece's score
 * (how the stories260K fixture's tokenizer.json was made, equal to llama.cpp on its cases), with a
 * Prepend("▁") + Replace(" ", "▁") normalizer and the matching decoder.
 *
 * <h2>Speed</h2>
 * No objects per character: BPE runs on int arrays with a heap of packed (rank, position) longs, byte-level
 * words are mapped straight from UTF-8 bytes to ids, results for short words are cached, and the common
 * pre-tokenizer regexes are hand-written scanners checked against java.util.regex.
 */
package dev.tinyforge.tokenizer;
