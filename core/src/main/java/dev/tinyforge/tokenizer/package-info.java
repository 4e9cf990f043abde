/**
 * Tokenizers: text ↔ token ids for the Llama family's BPE layouts, matching HF tokenizers id for id on
 * tokenizer.json and llama.cpp id for id on GGUF vocabularies.
 *
 * <h2>Shape</h2>
 * The core does not know which file it came from:
 * <ul>
 *   <li>{@link dev.tinyforge.tokenizer.Vocabulary}: piece, score and {@link dev.tinyforge.tokenizer.TokenType}
 *       per id; {@link dev.tinyforge.tokenizer.SpecialTokens}: BOS/EOS/UNK/PAD and add_bos/add_eos;
 *       {@link dev.tinyforge.tokenizer.MergeTable}: merge ranks.</li>
 *   <li>HF's pipeline, one small type per step: {@link dev.tinyforge.tokenizer.AddedTokenMatcher} (added and
 *       special tokens found in the raw text), {@code Normalizer}, {@code PreTokenizer} (with
 *       {@code SplitPattern}, {@code RegexScanner} for the GPT-2 / Llama 3 / Qwen2 regexes and
 *       {@code OnigRegex} for others), {@code BpeModel} (byte-level or SentencePiece-style with byte
 *       fallback), post-processing (prefix/suffix ids), {@code Decoder}.</li>
 *   <li>{@link dev.tinyforge.tokenizer.Tokenizer} assembles them; {@link dev.tinyforge.tokenizer.StreamingDecoder}
 *       turns ids arriving one by one into complete characters.</li>
 * </ul>
 * {@link dev.tinyforge.tokenizer.Tokenizer} delegates encoding and decoding to a {@code Pipeline}, because the
 * two file families we read define the details that decide ids differently:
 * <ul>
 *   <li>{@link dev.tinyforge.tokenizer.HfTokenizerLoader} maps tokenizer.json (+ tokenizer_config.json) onto
 *       HF's pipeline ({@code HfPipeline}: added tokens leftmost-longest, normalizer, pre-tokenizer, BPE,
 *       decoder steps) and refuses what it cannot reproduce exactly.</li>
 *   <li>{@link dev.tinyforge.tokenizer.GgufTokenizerLoader} maps {@code tokenizer.ggml.*} onto llama.cpp's
 *       rules ({@code LlamaCppPipeline}): special and user-defined tokens cut out longest-first
 *       ({@code SpecialTokenSplitter}), then per fragment either SentencePiece merging by piece score
 *       ({@code SpmModel}, model "llama") or byte-level BPE after the {@code pre} family's regexes
 *       ({@code LlamaCppPreset}, {@code LlamaCppPreTokenizer}, model "gpt2"), and llama.cpp's detokenize
 *       ({@code LlamaCppDetokenizer}, {@code CleanSpaces}). Token attributes follow llama.cpp, including the
 *       by-name fix-ups it applies ({@code LlamaCppTokenFixups}).</li>
 * </ul>
 * {@link dev.tinyforge.tokenizer.Tokenizers#load} takes either kind of path.
 *
 * <h2>Speed</h2>
 * No objects per character: BPE runs on int arrays with a heap of packed (rank, position) longs, byte-level
 * words are mapped straight from UTF-8 bytes to ids, results for short words are cached, and the common
 * pre-tokenizer regexes are hand-written scanners checked against java.util.regex. SentencePiece text is
 * merged word by word where no piece can join two words, which gives llama.cpp's whole-fragment result.
 */
package dev.tinyforge.tokenizer;
