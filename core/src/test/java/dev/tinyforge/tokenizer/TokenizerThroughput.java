package dev.tinyforge.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Encoding throughput of each fixture tokenizer, in MB of UTF-8 input per second on one thread. Not a
 * test: run it by hand after {@code ./mvnw -pl core test-compile} with
 * <pre>
 * java --enable-preview -cp core/target/classes:core/target/test-classes:$(jackson jars) \
 *     dev.tinyforge.tokenizer.TokenizerThroughput [../shared/fixtures] [MB]
 * </pre>
 * The corpus is the fixture READMEs, the story, the tokenizer test strings (many scripts, emoji) and
 * this repository's Java sources (when run from its root), repeated to the size asked, cut into documents at blank lines the way
 * a training set is encoded example by example.
 */
public final class TokenizerThroughput {
    private TokenizerThroughput() {}

    public static void main(String[] args) throws IOException {
        Path fixtures = Path.of(args.length > 0 ? args[0] : "../shared/fixtures");
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<String> docs = corpus(fixtures, megabytes << 20);
        long bytes = docs.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
        if (args.length > 2) { // a copy of the corpus, one JSON string per line, to time other tokenizers on
            Files.write(Path.of(args[2]), docs.stream().map(TokenizerThroughput::jsonString).toList());
        }
        System.out.printf("corpus: %d documents, %.1f MB UTF-8; %s%n", docs.size(), bytes / 1e6, System.getProperty("java.vm.version"));
        String[][] tokenizers = {
            {"stories260K", "models/stories260K/hf"}, {"llama2", "hf-tokenizers/llama2"}, {"llama3", "hf-tokenizers/llama3"},
            {"qwen3", "hf-tokenizers/qwen3"}, {"gemma3", "hf-tokenizers/gemma3"},
            {"gguf:stories260K", "models/stories260K/stories260K.gguf"}, {"gguf:llama-spm", "tokenizers/ggml-vocab-llama-spm.gguf"},
            {"gguf:llama-bpe", "tokenizers/ggml-vocab-llama-bpe.gguf"}, {"gguf:qwen2", "tokenizers/ggml-vocab-qwen2.gguf"},
            {"gguf:starcoder", "tokenizers/ggml-vocab-starcoder.gguf"}, {"gguf:deepseek-c", "tokenizers/ggml-vocab-deepseek-coder.gguf"},
        };
        for (String[] t : tokenizers) {
            long t0 = System.nanoTime();
            Tokenizer tok = Tokenizers.load(fixtures.resolve(t[1]));
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            long tokens = 0;
            for (String d : docs) tokens += tok.encode(d, false, false).length; // warm-up: JIT and word cache
            double best = Double.MAX_VALUE;
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                for (String d : docs) tok.encode(d, false, false);
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            long decodeStart = System.nanoTime();
            for (String d : docs) tok.decode(tok.encode(d, false, false), false);
            double decodeSeconds = (System.nanoTime() - decodeStart) / 1e9 - best;
            System.out.printf("%-16s load %5.2f s  encode %6.1f MB/s (%4.2f bytes/token, %d tokens)  decode %6.1f MB/s%n",
                    t[0], loadSeconds, bytes / 1e6 / best, (double) bytes / tokens, tokens, bytes / 1e6 / decodeSeconds);
        }
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static List<String> corpus(Path fixtures, long targetBytes) throws IOException {
        StringBuilder base = new StringBuilder();
        for (String f : List.of("README.md", "README-models.md", "README-tokenizers.md", "models/stories260K/ppl_story.txt",
                "hf-tokenizers/llama3/cases.inp")) {
            base.append(Files.readString(fixtures.resolve(f))).append("\n\n");
        }
        Path sources = Path.of("core", "src", "main", "java"); // run from the repository root
        if (!Files.isDirectory(sources)) sources = Path.of("src", "main", "java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) base.append(Files.readString(p)).append("\n\n");
        } catch (IOException | UncheckedIOException e) {
            // fine: the corpus is then prose and test strings only
        }
        String block = base.toString().replace("__ggml_vocab_test__", "");
        List<String> docs = new ArrayList<>();
        long size = 0;
        while (size < targetBytes) {
            for (String d : block.split("\n\n")) {
                if (d.isBlank()) continue;
                docs.add(d);
                size += d.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return docs;
    }
}
