package dev.tinyforge.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.QuantFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tensor of every {@code --pure} llama-quantize output in the fixtures (one per encodable block
 * type): quantizing the F32 input tensor gives the same bytes. The mixtures' files are compared whole
 * in {@code GgufQuantizerTest}.
 */
class QuantizerFixtureTest {

    static List<QuantFixtures.Output> outputs() {
        return QuantFixtures.outputs().stream().filter(QuantFixtures.Output::pure).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void everyTensorMatchesLlamaQuantize(QuantFixtures.Output output) {
        Map<String, QuantFixtures.Tensor> inputs = QuantFixtures.inputTensors().stream()
                .collect(Collectors.toMap(QuantFixtures.Tensor::name, Function.identity()));
        List<String> mismatches = new ArrayList<>();
        int quantized = 0;
        for (QuantFixtures.Tensor expected : output.tensors()) {
            QuantFixtures.Tensor source = inputs.get(expected.name());
            float[] values = QuantFixtures.inputValues(source);
            byte[] bytes = Quantizer.quantize(expected.type(), values, source.rowCount(), source.rowLength());
            if (!QuantFixtures.sha256(bytes).equals(expected.dataSha256())) {
                mismatches.add(expected.name() + " (" + expected.type() + ")");
            }
            if (expected.type().isQuantized()) quantized++;
        }
        assertTrue(quantized >= 30, "the fixture has 30 quantized matrices, saw " + quantized);
        assertEquals(List.of(), mismatches, output.file() + ": tensors whose bytes differ from llama-quantize's");
    }
}
