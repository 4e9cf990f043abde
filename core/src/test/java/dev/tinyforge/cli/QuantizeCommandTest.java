package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.QuantFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tinyforge quantize}: llama-quantize's file, a summary, and one-line refusals that write nothing. */
class QuantizeCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesLlamaQuantizesFileAndASummary() throws IOException {
        Path out = dir.resolve("rand-Q4_K_M.gguf");
        CliRunner run = CliRunner.run("quantize", QuantFixtures.input().toString(), out.toString(), "q4_k_m");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Files.readString(QuantFixtures.dir().resolve("rand-Q4_K_M.gguf"), java.nio.charset.StandardCharsets.ISO_8859_1),
                Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1), "same bytes as llama-quantize");
        assertTrue(run.out().matches("(?s)quantized .*rand-f32\\.gguf -> .*rand-Q4_K_M\\.gguf as Q4_K_M: 39 tensors \\(30 converted\\), "
                + "10\\.01 MiB -> 1\\.53 MiB \\(32\\.00 -> 4\\.88 bits per weight\\) in [0-9.]+ s\n"), run.out());
        List<String> lines = run.err().lines().toList();
        assertEquals(39, lines.size(), run.err());
        assertTrue(lines.get(0).matches("\\[   1/  39\\] output\\.weight +\\[256 x 512\\] F32 +-> Q6_K .*"), lines.get(0));
        assertTrue(lines.get(1).matches("\\[   2/  39\\] output_norm\\.weight +\\[256\\] F32 +\\(kept\\).*"), lines.get(1));

        CliRunner pure = CliRunner.run("quantize", "--pure", QuantFixtures.input().toString(), dir.resolve("p.gguf").toString(), "Q6_K");
        assertEquals(0, pure.exitCode(), pure.err());
        assertEquals(Files.size(QuantFixtures.dir().resolve("rand-Q6_K-pure.gguf")), Files.size(dir.resolve("p.gguf")));
    }

    @Test
    void anExistingOutputNeedsForce() throws IOException {
        Path out = dir.resolve("out.gguf");
        Files.writeString(out, "keep me");
        CliRunner refused = CliRunner.run("quantize", QuantFixtures.input().toString(), out.toString(), "Q8_0");
        assertEquals(2, refused.exitCode());
        assertEquals("error: " + out + ": already exists; pass --force to replace it\n", refused.err());
        assertEquals("keep me", Files.readString(out));
        CliRunner forced = CliRunner.run("quantize", "--force", QuantFixtures.input().toString(), out.toString(), "Q8_0");
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals(Files.size(QuantFixtures.dir().resolve("rand-Q8_0-pure.gguf")), Files.size(out));
    }

    @Test
    void badInputIsOneLineExitTwoAndNoFile() throws IOException {
        Path out = dir.resolve("out.gguf");
        String input = QuantFixtures.input().toString();

        CliRunner unknown = CliRunner.run("quantize", input, out.toString(), "q4_k_xl");
        assertEquals(2, unknown.exitCode());
        assertEquals("error: unknown quantization type 'q4_k_xl'; valid: F32, F16, Q4_0, Q4_1, Q8_0, Q5_0, Q5_1, Q2_K, "
                + "Q3_K_S, Q3_K_M, Q3_K_L, Q4_K_S, Q4_K_M, Q5_K_S, Q5_K_M, Q6_K, BF16\n", unknown.err());

        Path text = dir.resolve("notes.gguf");
        Files.writeString(text, "not a model at all");
        CliRunner notGguf = CliRunner.run("quantize", text.toString(), out.toString(), "Q8_0");
        assertEquals(2, notGguf.exitCode());
        assertTrue(notGguf.err().startsWith("error: " + text + ": not a GGUF file"), notGguf.err());
        assertEquals(1, notGguf.err().lines().count());

        Path quantized = QuantFixtures.dir().resolve("rand-Q4_K_M.gguf");
        CliRunner requantize = CliRunner.run("quantize", quantized.toString(), out.toString(), "Q4_0");
        assertEquals(2, requantize.exitCode());
        // output.weight would stay Q6_K (copied, as llama-quantize does); token_embd would have to change
        assertTrue(requantize.err().startsWith("error: " + quantized + ": tensor 'token_embd.weight' is Q4_K;"), requantize.err());
        assertEquals(1, requantize.err().lines().count());

        CliRunner missing = CliRunner.run("quantize", dir.resolve("nope.gguf").toString(), out.toString(), "Q8_0");
        assertEquals(2, missing.exitCode());
        assertEquals("error: " + dir.resolve("nope.gguf") + ": no such file\n", missing.err());

        CliRunner usage = CliRunner.run("quantize", input, out.toString());
        assertEquals(2, usage.exitCode());

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("notes.gguf"), files.map(p -> p.getFileName().toString()).toList(), "no output, no temp file");
        }
    }
}
