package dev.tinyforge.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyforge.quant.FileType;
import dev.tinyforge.quant.QuantFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole files: our output for rand-f32.gguf equals llama-quantize's, byte for byte. */
class GgufQuantizerTest {
    @TempDir
    Path dir;

    static List<QuantFixtures.Output> outputs() {
        return QuantFixtures.outputs();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void writesTheSameFileAsLlamaQuantize(QuantFixtures.Output expected) throws IOException {
        Path out = dir.resolve(expected.file());
        GgufQuantizer.Summary summary = GgufQuantizer.quantize(QuantFixtures.input(), out, FileType.parse(expected.ftype()),
                expected.pure(), GgufQuantizer.Listener.NONE);
        assertEquals(39, summary.tensors());
        assertEquals(expected.size(), Files.size(out), "file size");
        assertEquals(expected.sha256(), QuantFixtures.sha256(Files.readAllBytes(out)), "file sha256");
    }
}
