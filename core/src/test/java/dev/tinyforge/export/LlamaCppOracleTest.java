package dev.tinyforge.export;

import dev.tinyforge.quant.FileType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.GgufTokenizerLoader;
import dev.tinyforge.tokenizer.TokenType;
import dev.tinyforge.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files TinyForge exports load in real llama.cpp (b4916, through de.kherud:llama's JNI build) and
 * behave there as in TinyForge: the GGUF exported from stories260K's HF folder (F32 and F16) gives
 * our engine's greedy tokens and tokenizes the fixture strings to llama-tokenize's ids; a LoRA run's
 * merged GGUF gives our greedy tokens, and so does the base GGUF with the exported LoRA GGUF applied
 * by llama.cpp. llama.cpp runs in forked JVMs ({@link LlamaCppChild}), one per model, so its
 * native state cannot hang or kill the test JVM.
 */
class LlamaCppOracleTest {
    private static final int N = 24;
    private static final List<String> PROMPTS = List.of("Once upon a time",
            "Tom had a red ball. He liked to play with it in the park with his friend Sue. One day", "Lily and Ben");

    @TempDir
    static Path dir;

    private static Path f32, f16, q6k, q4km, merged, adapter;
    private static JsonNode results;

    @BeforeAll
    static void exportAndRunLlamaCpp() throws Exception {
        Path hf = TestRuns.storiesHf();
        f32 = export(hf, FileType.F32, "stories-f32.gguf", null);
        f16 = export(hf, FileType.F16, "stories-f16.gguf", null);
        // stories260K's 172-wide ffn_down rows fit no 32-block type, so Q8_0 is refused (as llama-quantize does); the
        // k-quant mixtures fall back per tensor.
        q6k = export(hf, FileType.Q6_K, "stories-q6_k.gguf", null);
        q4km = export(hf, FileType.Q4_K_M, "stories-q4_k_m.gguf", null);
        Path run = TestRuns.loraRun(dir.resolve("run"), hf, 11);
        adapter = dir.resolve("adapter.gguf");
        merged = export(run, FileType.F32, "merged.gguf", adapter);

        List<ArrayNode> jobs = List.of(job(f32, null, tokenizerCases()), job(f16, null, List.of()), job(merged, null, List.of()),
                job(TestRuns.storiesGguf(), adapter, List.of()), job(f32, adapter, List.of()), job(q6k, null, List.of()),
                job(q4km, null, List.of()));
        results = runChildren(jobs);
    }

    private static Path export(Path source, FileType type, String name, Path adapterGguf) throws IOException {
        Path out = dir.resolve(name);
        GgufExport.run(new GgufExport.Request(source, null, out, type, adapterGguf, false, null, 10), line -> {});
        return out;
    }

    private static ArrayNode job(Path model, Path lora, List<String> encode) {
        ArrayNode jobs = new ObjectMapper().createArrayNode();
        ObjectNode job = jobs.addObject();
        job.put("model", model.toAbsolutePath().toString());
        if (lora != null) job.put("lora", lora.toAbsolutePath().toString());
        ArrayNode prompts = job.putArray("prompts");
        PROMPTS.forEach(prompts::add);
        job.put("n_predict", N);
        ArrayNode texts = job.putArray("encode");
        encode.forEach(texts::add);
        return jobs;
    }

    private static List<String> tokenizerCases() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(Fixtures.require("models/stories260K/tokenizer_cases.json").toFile());
        List<String> texts = new ArrayList<>();
        for (JsonNode c : cases.get("cases")) texts.add(c.get("text").asText());
        return texts;
    }

    /**
     * Runs each job in its own JVM, all at once: a second model loaded in the same process (by this
     * build of de.kherud:llama) generates differently from a fresh process, so no process gets two.
     */
    private static JsonNode runChildren(List<ArrayNode> jobs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Path input = dir.resolve("job" + i + ".json");
            new ObjectMapper().writeValue(input.toFile(), jobs.get(i));
            Path log = dir.resolve("llama-cpp-" + i + ".log");
            logs.add(log);
            // Each child extracts the native library into its own folder: they delete and rewrite it on start.
            Path tmp = Files.createDirectories(dir.resolve("native-" + i));
            children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Djava.io.tmpdir=" + tmp.toAbsolutePath(), LlamaCppChild.class.getName(), input.toString())
                    .redirectError(log.toFile()).redirectOutput(dir.resolve("out" + i + ".txt").toFile()).start());
        }
        ArrayNode results = new ObjectMapper().createArrayNode();
        for (int i = 0; i < children.size(); i++) {
            Process child = children.get(i);
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                children.forEach(Process::destroyForcibly);
                throw new AssertionError("llama.cpp child " + i + " did not finish in 120 s");
            }
            String out = Files.readString(dir.resolve("out" + i + ".txt"), StandardCharsets.UTF_8).strip();
            if (child.exitValue() != 0) {
                throw new AssertionError("llama.cpp child " + i + " failed (exit " + child.exitValue() + "): " + out + "\n"
                        + (Files.exists(logs.get(i)) ? tail(Files.readString(logs.get(i))) : "(no log)"));
            }
            results.add(new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1)).get(0));
        }
        return results;
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    /** Our greedy tokens on {@code model}, as llama.cpp's server reports them: one text piece per token. */
    private static List<List<String>> ours(Path model) throws IOException {
        Tokenizer tokenizer = GgufTokenizerLoader.load(model);
        List<List<String>> out = new ArrayList<>();
        try (LoadedModel loaded = ModelLoader.load(model)) {
            Generator generator = new Generator(loaded.transformer(256), tokenizer);
            for (String prompt : PROMPTS) {
                var result = generator.generate(new Generator.Request(tokenizer.encode(prompt, true, true), SamplingParams.greedy(),
                        N, List.of(), Set.of(tokenizer.eos())), text -> {});
                List<String> pieces = new ArrayList<>();
                for (int id : result.ids()) pieces.add(piece(tokenizer, id));
                out.add(pieces);
            }
        }
        return out;
    }

    /** llama.cpp's text for one SentencePiece token: "▁" as a space, a byte token as its (ASCII) byte. */
    private static String piece(Tokenizer tokenizer, int id) {
        String p = tokenizer.piece(id);
        if (tokenizer.vocabulary().type(id) == TokenType.BYTE) {
            return String.valueOf((char) Integer.parseInt(p.substring(3, 5), 16));
        }
        return p.replace('\u2581', ' ');
    }

    /** The pieces llama.cpp generated for each prompt (the empty piece of its final stop message dropped). */
    private static List<List<String>> theirs(int job) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode prompt : results.get(job).get("generated")) {
            List<String> pieces = new ArrayList<>();
            prompt.forEach(p -> pieces.add(p.asText()));
            if (!pieces.isEmpty() && pieces.getLast().isEmpty()) pieces.removeLast();
            out.add(pieces);
        }
        return out;
    }

    @Test
    void f32ExportGivesOurGreedyTokensInLlamaCpp() throws IOException {
        List<List<String>> ours = ours(f32);
        assertEquals(ours, theirs(0));
        ours.forEach(p -> assertEquals(N, p.size()));
    }

    @Test
    void f16ExportGivesOurGreedyTokensInLlamaCpp() throws IOException {
        assertEquals(ours(f16), theirs(1));
    }

    @Test
    void quantizedExportsGiveOurGreedyTokensInLlamaCpp() throws IOException {
        assertEquals(ours(q6k), theirs(5), "q6_k");
        assertEquals(ours(q4km), theirs(6), "q4_k_m");
    }

    @Test
    void exportedTokenizerGivesLlamaTokenizesIds() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(Fixtures.require("models/stories260K/tokenizer_cases.json").toFile()).get("cases");
        JsonNode encoded = results.get(0).get("encoded");
        assertEquals(cases.size(), encoded.size());
        for (int i = 0; i < cases.size(); i++) {
            // llama-tokenize added BOS; de.kherud's encode does not.
            ArrayNode expected = ((ArrayNode) cases.get(i).get("ids")).deepCopy();
            expected.remove(0);
            assertEquals(expected, encoded.get(i), cases.get(i).get("text").asText());
        }
    }

    @Test
    void mergedLoraExportGivesOurGreedyTokensInLlamaCpp() throws IOException {
        List<List<String>> ours = ours(merged);
        assertEquals(ours, theirs(2));
        assertNotEquals(ours(f32), ours, "the adapter changes the greedy text");
    }

    @Test
    void loraGgufAppliedByLlamaCppGivesTheMergedTokens() throws IOException {
        List<List<String>> ours = ours(merged);
        assertEquals(ours, theirs(3), "llama.cpp's stories260K.gguf + our LoRA GGUF");
        assertEquals(ours, theirs(4), "our exported base + our LoRA GGUF");
        assertTrue(ours.stream().allMatch(p -> p.size() == N));
    }
}
