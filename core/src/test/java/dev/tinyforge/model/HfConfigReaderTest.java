package dev.tinyforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HfConfigReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ModelConfig parse(String json) throws IOException {
        return HfConfigReader.parse(JSON.readTree(json), "config.json");
    }

    @Test
    void readsStories260K() throws IOException {
        ModelConfig c = HfConfigReader.read(Fixtures.require("models/stories260K/hf/config.json"));
        assertEquals(new ModelConfig(Family.LLAMA, 512, 64, 172, 5, 8, 4, 8, 512, 1e-5, 10000, RopeScaling.NONE,
                false, true, Activation.SILU, 0f, false, 0), c);
        assertEquals(2, c.groupSize());
        // 512*64 embedding + 5 layers * (64*64 + 2*64*32 + 64*64 + 3*64*172 + 128) + 64
        assertEquals(512 * 64 + 5 * (4096 + 4096 + 4096 + 3 * 64 * 172 + 128) + 64, c.parameterCount());
    }

    @Test
    void readsTheTorchFixtures() throws IOException {
        ModelConfig llama = HfConfigReader.read(Fixtures.require("torch/llama/model/config.json"));
        assertEquals(false, llama.tiedEmbeddings());
        assertEquals(false, llama.qkvBias());
        assertEquals(4, llama.heads());
        assertEquals(2, llama.kvHeads());
        ModelConfig qwen = HfConfigReader.read(Fixtures.require("torch/qwen2/model/config.json"));
        assertEquals(Family.QWEN2, qwen.family());
        assertEquals(true, qwen.tiedEmbeddings());
        assertEquals(true, qwen.qkvBias());
        assertEquals(1e6, qwen.ropeTheta());
    }

    @Test
    void gemmaGetsItsNormOffsetEmbeddingScaleAndGeglu() throws IOException {
        ModelConfig c = parse("""
                {"model_type":"gemma","vocab_size":256000,"hidden_size":2048,"intermediate_size":16384,
                 "num_hidden_layers":18,"num_attention_heads":8,"num_key_value_heads":1,"head_dim":256,
                 "hidden_act":"gelu","rms_norm_eps":1e-6,"max_position_embeddings":8192}""");
        assertEquals(1f, c.normWeightOffset());
        assertEquals(true, c.scaleEmbeddings());
        assertEquals(true, c.tiedEmbeddings());
        assertEquals(Activation.GELU_TANH, c.activation());
        assertEquals(256, c.headDim());
        assertEquals(2_506_172_416L, c.parameterCount());
    }

    @Test
    void mistralKeepsItsSlidingWindowAndLlama3ItsRopeScaling() throws IOException {
        ModelConfig mistral = parse("""
                {"model_type":"mistral","vocab_size":32000,"hidden_size":4096,"intermediate_size":14336,
                 "num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"sliding_window":4096,
                 "rope_theta":10000.0}""");
        assertEquals(4096, mistral.slidingWindow());
        assertEquals(128, mistral.headDim());
        ModelConfig llama3 = parse("""
                {"model_type":"llama","vocab_size":128256,"hidden_size":2048,"intermediate_size":8192,
                 "num_hidden_layers":16,"num_attention_heads":32,"num_key_value_heads":8,"rope_theta":500000.0,
                 "rope_scaling":{"factor":32.0,"high_freq_factor":4.0,"low_freq_factor":1.0,
                 "original_max_position_embeddings":8192,"rope_type":"llama3"},"tie_word_embeddings":true}""");
        assertEquals(new RopeScaling.Llama3(32, 1, 4, 8192), llama3.ropeScaling());
        assertEquals(1_235_814_400L, llama3.parameterCount());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unsupported type | {\"model_type\":\"phi3\"} | config.json: model_type \"phi3\" is not supported (supported: llama, mistral, qwen2, gemma)",
        "missing field | {\"model_type\":\"llama\",\"hidden_size\":64,\"num_attention_heads\":8} | config.json: field \"vocab_size\" is missing",
        "fraction | {\"model_type\":\"llama\",\"hidden_size\":64.5,\"num_attention_heads\":8} | config.json: field \"hidden_size\" must be an integer, found 64.5",
        "bad gqa | {\"model_type\":\"llama\",\"vocab_size\":10,\"hidden_size\":64,\"intermediate_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":8,\"num_key_value_heads\":3} | config.json: attention head count 8 is not a multiple of the key/value head count 3",
        "absurd size | {\"model_type\":\"llama\",\"vocab_size\":10,\"hidden_size\":2000000000,\"intermediate_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":8} | config.json: hidden size 2000000000 is outside 1..131072",
        "yarn | {\"model_type\":\"llama\",\"vocab_size\":10,\"hidden_size\":64,\"intermediate_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":8,\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4}} | config.json: rope_scaling type \"yarn\" is not supported (supported: linear, llama3)",
        "o bias | {\"model_type\":\"llama\",\"vocab_size\":10,\"hidden_size\":64,\"intermediate_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":8,\"attention_bias\":true} | config.json: attention_bias true (biases on q/k/v/o) is not supported",
    })
    void rejectsWhatItCannotRunWithAClearMessage(String name, String json, String message) {
        assertEquals(message, assertThrows(BadInputException.class, () -> parse(json)).getMessage());
    }
}
