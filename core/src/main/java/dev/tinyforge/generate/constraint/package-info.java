/**
 * Constrained decoding: generated text that is valid JSON, or valid against a JSON Schema, by
 * construction.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Grammar grammar = JsonGrammar.anyObject();                          // json_object / format "json"
 * Grammar grammar = JsonGrammar.fromSchema("response_format.json_schema.schema", schemaNode);
 *                                                                     // BadInputException: unsupported keyword, where
 * var request = new Generator.Request(ids, sampling, maxTokens, stops, stopIds, grammar);
 * Generator.Result r = generator.generate(request, onText);          // or ChatSession.send(..., grammar, onText)
 * // r.reason() END_TOKEN: r.text() is the complete value; MAX_TOKENS / CONTEXT_FULL: it is cut short
 * }</pre>
 * A {@link dev.tinyforge.generate.constraint.JsonGrammar} is immutable and thread-safe: compile a schema once
 * per request (or cache it), share it freely. The generator asks it for a
 * {@link dev.tinyforge.generate.constraint.TokenConstraint} per generation.
 *
 * <h2>How</h2>
 * <ul>
 *   <li>{@code SchemaCompiler} turns the schema into {@code Schema} nodes,
 *       refusing keywords it does not enforce and parts no value satisfies.</li>
 *   <li>{@code JsonAutomaton} is a pushdown automaton over bytes whose states ({@code ParseState}: stacks of
 *       small immutable {@code Frame}s) are cheap to copy and compare; every reachable state can be
 *       completed, so generation never gets stuck.</li>
 *   <li>{@code TokenTrie} holds the vocabulary's token bytes ({@link dev.tinyforge.tokenizer.Tokenizer#tokenBytes})
 *       as a preorder trie; a mask is one pass that prunes every subtree whose first bytes are refused.
 *       Inside strings and free keys, {@code StringTokens} tables settle the tokens that stay inside, and
 *       only those that close the string are run through the automaton.</li>
 *   <li>{@code JsonConstraint} caches masks per state and allows end tokens only when the value is complete.</li>
 * </ul>
 */
package dev.tinyforge.generate.constraint;
