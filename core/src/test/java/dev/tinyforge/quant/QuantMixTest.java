package dev.tinyforge.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.QuantFixtures;
import dev.tinyforge.util.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** llama-quantize's per-tensor type choice: against the fixture files and the rules README-models.md states. */
class QuantMixTest {
    /** The fixture model: llama, 4 layers, 8 heads over 4 KV heads. */
    private static final QuantMix.Model RAND = new QuantMix.Model("llama", 4, 8, 4, 0);

    static List<QuantFixtures.Output> outputs() {
        return QuantFixtures.outputs();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void typesAndOrderMatchLlamaQuantize(QuantFixtures.Output output) {
        FileType fileType = FileType.parse(output.ftype());
        assertEquals(output.fileType(), fileType.id());
        List<QuantMix.Choice> choices = QuantMix.choose(fileType, output.pure(), RAND, fixtureInput());
        List<String> expected = output.tensors().stream().map(t -> t.name() + " " + t.type()).toList();
        List<String> actual = choices.stream().map(c -> c.name() + " " + c.type()).toList();
        assertEquals(expected, actual, "tensor order and types of " + output.file());
        assertTrue(choices.stream().noneMatch(QuantMix.Choice::fallback));
    }

    @Test
    void mixturesWithoutPureFollowTheReadme() {
        // "Q4_0/Q4_1/Q5_0/Q5_1/Q3_K_S/Q5_K_S put output.weight in Q6_K"
        for (FileType f : List.of(FileType.Q4_0, FileType.Q4_1, FileType.Q5_0, FileType.Q5_1, FileType.Q3_K_S, FileType.Q5_K_S)) {
            assertEquals(Map.of("output.weight", GgmlType.Q6_K), notDefault(f, fixtureInput()), f.name());
        }
        // "Q2_K also uses Q3_K for 12 tensors" (attn_v: GQA 2 < 4; attn_output; ffn_down)
        Map<String, GgmlType> q2k = notDefault(FileType.Q2_K, fixtureInput());
        assertEquals(GgmlType.Q6_K, q2k.remove("output.weight"));
        assertEquals(12, q2k.size());
        q2k.forEach((name, type) -> {
            assertEquals(GgmlType.Q3_K, type, name);
            assertTrue(name.matches("blk\\.\\d\\.(attn_v|attn_output|ffn_down)\\.weight"), name);
        });
        // "Q4_K_S uses Q5_K for attn_v" (the first four; 4 layers / 8 = 0 so no ffn_down)
        Map<String, GgmlType> q4ks = notDefault(FileType.Q4_K_S, fixtureInput());
        assertEquals(GgmlType.Q6_K, q4ks.remove("output.weight"));
        assertEquals(Map.of("blk.0.attn_v.weight", GgmlType.Q5_K, "blk.1.attn_v.weight", GgmlType.Q5_K,
                "blk.2.attn_v.weight", GgmlType.Q5_K, "blk.3.attn_v.weight", GgmlType.Q5_K), q4ks);
        // "Q8_0 and Q6_K stay uniform"
        assertEquals(Map.of(), notDefault(FileType.Q8_0, fixtureInput()));
        assertEquals(Map.of(), notDefault(FileType.Q6_K, fixtureInput()));
    }

    @Test
    void tiedEmbeddingsGiveTokenEmbdTheOutputRule() {
        List<QuantMix.Tensor> tied = new ArrayList<>(fixtureInput());
        tied.removeIf(t -> t.name().equals("output.weight"));
        assertEquals(GgmlType.Q6_K, notDefault(FileType.Q4_0, tied).get("token_embd.weight"));
        assertEquals(GgmlType.Q6_K, notDefault(FileType.Q4_K_M, tied).get("token_embd.weight"));
        assertFalse(notDefault(FileType.Q4_K_M, fixtureInput()).containsKey("token_embd.weight"), "untied: token_embd keeps Q4_K");
    }

    @Test
    void floatFileTypesConvertMatricesOnly() {
        for (FileType f : List.of(FileType.F16, FileType.BF16, FileType.F32)) {
            for (QuantMix.Choice c : QuantMix.choose(f, false, RAND, fixtureInput())) {
                GgmlType expected = c.name().endsWith("_norm.weight") ? GgmlType.F32 : f.defaultType();
                assertEquals(expected, c.type(), f + " " + c.name());
            }
        }
    }

    @Test
    void moreBitsFollowUseMoreBitsOverThirtyTwoLayers() {
        // llama.cpp's pattern for 32 layers: first 4, last 4, and every third in between from layer 6
        List<Integer> more = new ArrayList<>();
        for (int i = 0; i < 32; i++) if (QuantMix.usesMoreBits(i, 32)) more.add(i);
        assertEquals(List.of(0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31), more);

        QuantMix.Model model = new QuantMix.Model("llama", 32, 32, 8, 0);
        Map<String, GgmlType> types = notDefault(FileType.Q4_K_M, llama(32, 4096, 14336, 32000, true), model);
        for (int i = 0; i < 32; i++) {
            GgmlType expected = QuantMix.usesMoreBits(i, 32) ? GgmlType.Q6_K : null;
            assertEquals(expected, types.get("blk." + i + ".attn_v.weight"), "attn_v " + i);
            assertEquals(expected, types.get("blk." + i + ".ffn_down.weight"), "ffn_down " + i);
        }

        Map<String, GgmlType> q3km = notDefault(FileType.Q3_K_M, llama(32, 4096, 14336, 32000, true), model);
        assertEquals(GgmlType.Q5_K, q3km.get("blk.0.attn_v.weight"));
        assertEquals(GgmlType.Q5_K, q3km.get("blk.1.attn_v.weight"));
        assertEquals(GgmlType.Q4_K, q3km.get("blk.2.attn_v.weight"));
        assertEquals(GgmlType.Q5_K, q3km.get("blk.1.ffn_down.weight"), "layers below 32/16 = 2");
        assertEquals(GgmlType.Q4_K, q3km.get("blk.2.ffn_down.weight"));
        assertEquals(GgmlType.Q4_K, q3km.get("blk.31.attn_output.weight"));
    }

    @Test
    void gqaAndSeventyBRules() {
        // Q2_K's attn_v: Q4_K when at least 4 query heads share a KV head
        QuantMix.Model gqa8 = new QuantMix.Model("llama", 4, 32, 4, 0);
        assertEquals(GgmlType.Q4_K, notDefault(FileType.Q2_K, fixtureInput(), gqa8).get("blk.0.attn_v.weight"));
        assertEquals(GgmlType.Q3_K, notDefault(FileType.Q2_K, fixtureInput(), RAND).get("blk.0.attn_v.weight"));
        // an 80-layer GQA llama (70B): attn_v that would be Q3_K/Q4_K gets Q5_K
        QuantMix.Model seventyB = new QuantMix.Model("llama", 80, 64, 8, 0);
        Map<String, GgmlType> types = notDefault(FileType.Q4_K_M, llama(80, 256, 512, 512, true), seventyB);
        for (int i = 0; i < 80; i++) {
            assertEquals(QuantMix.usesMoreBits(i, 80) ? GgmlType.Q6_K : GgmlType.Q5_K, types.get("blk." + i + ".attn_v.weight"));
        }
    }

    @Test
    void rowsThatDoNotFitFallBack() {
        // hidden 96: k-quant blocks of 256 do not fit its rows, 32 does; ffn_down's rows (256) fit.
        // Two layers: use_more_bits holds for layer 1 only, so its attn_v and ffn_down get Q6_K.
        QuantMix.Model model = new QuantMix.Model("llama", 2, 4, 4, 0);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("output.weight", "Q8_0 rule"); // the output rule itself picks Q8_0 for such rows
        expected.put("token_embd.weight", "Q5_0 fallback");
        for (int i = 0; i < 2; i++) {
            for (String m : List.of("attn_q", "attn_k", "attn_output", "ffn_gate", "ffn_up")) {
                expected.put("blk." + i + "." + m + ".weight", "Q5_0 fallback");
            }
        }
        expected.put("blk.0.attn_v.weight", "Q5_0 fallback");
        expected.put("blk.1.attn_v.weight", "Q8_0 fallback"); // Q6_K falls back to Q8_0
        expected.put("blk.0.ffn_down.weight", "Q4_K rule");
        expected.put("blk.1.ffn_down.weight", "Q6_K rule");
        Map<String, String> actual = new LinkedHashMap<>();
        for (QuantMix.Choice c : QuantMix.choose(FileType.Q4_K_M, false, model, llama(2, 96, 256, 64, true))) {
            if (c.converts()) actual.put(c.name(), c.type() + (c.fallback() ? " fallback" : " rule"));
        }
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(actual));

        List<QuantMix.Tensor> tiny = List.of(new QuantMix.Tensor("blk.0.attn_q.weight", GgmlType.F32, new long[] {48, 48}));
        assertEquals(GgmlType.F16, QuantMix.choose(FileType.Q3_K_S, true, model, tiny).get(0).type());
        assertEquals(GgmlType.Q5_1, QuantMix.choose(FileType.Q5_K_M, true, model,
                List.of(new QuantMix.Tensor("blk.0.attn_q.weight", GgmlType.F32, new long[] {96, 96}))).get(0).type());
        BadInputException e = assertThrows(BadInputException.class, () -> QuantMix.choose(FileType.Q4_0, true, model, tiny));
        assertTrue(e.getMessage().contains("blk.0.attn_q.weight") && e.getMessage().contains("no fallback"), e.getMessage());
    }

    @Test
    void orderIsLlamaCppsWeightNameComparer() {
        List<String> names = new ArrayList<>(List.of("blk.10.attn_q.weight", "token_embd.weight", "blk.9.ffn_up.weight",
                "blk.9.attn_k.weight", "output.weight", "output_norm.weight", "blk.2.attn_norm.weight", "rope_freqs.weight"));
        names.sort(QuantMix.LLAMA_QUANTIZE_ORDER);
        assertEquals(List.of("output.weight", "output_norm.weight", "rope_freqs.weight", "token_embd.weight",
                "blk.2.attn_norm.weight", "blk.9.attn_k.weight", "blk.9.ffn_up.weight", "blk.10.attn_q.weight"), names);
        assertEquals(-1, QuantMix.blockOf("blk.x.weight"));
        assertEquals(12, QuantMix.blockOf("blk.12"));
    }

    @Test
    void oneDimensionalAndNormTensorsKeepTheirType() {
        QuantMix.Model model = new QuantMix.Model("llama", 1, 1, 1, 0);
        List<QuantMix.Tensor> tensors = List.of(
                new QuantMix.Tensor("blk.0.attn_q.weight", GgmlType.F32, new long[] {256, 1}), // ggml_n_dims = 1
                new QuantMix.Tensor("blk.0.attn_q.bias", GgmlType.F32, new long[] {256, 256}),
                new QuantMix.Tensor("blk.0.attn_norm.weight", GgmlType.F16, new long[] {256, 256}),
                new QuantMix.Tensor("blk.0.ffn_gate_inp.weight", GgmlType.F32, new long[] {256, 8}),
                new QuantMix.Tensor("blk.0.attn_k.weight", GgmlType.F16, new long[] {256, 256, 1, 1}));
        Map<String, GgmlType> types = QuantMix.choose(FileType.Q8_0, false, model, tensors).stream()
                .collect(Collectors.toMap(QuantMix.Choice::name, QuantMix.Choice::type));
        assertEquals(Map.of("blk.0.attn_q.weight", GgmlType.F32, "blk.0.attn_q.bias", GgmlType.F32,
                "blk.0.attn_norm.weight", GgmlType.F16, "blk.0.ffn_gate_inp.weight", GgmlType.F32,
                "blk.0.attn_k.weight", GgmlType.Q8_0), types);
    }

    @Test
    void fileTypesParseAsLlamaQuantizeNamesThem() {
        assertEquals(FileType.Q4_K_M, FileType.parse("q4_k_m"));
        assertEquals(FileType.Q4_K_M, FileType.parse("Q4_K"));
        assertEquals(FileType.Q8_0, FileType.parse("7"));
        assertEquals(FileType.BF16, FileType.parse("bf16"));
        assertEquals(32, FileType.BF16.id());
        BadInputException e = assertThrows(BadInputException.class, () -> FileType.parse("q4_k_xl"));
        assertTrue(e.getMessage().contains("q4_k_xl") && e.getMessage().contains("Q4_K_M, Q5_K_S"), e.getMessage());
    }

    /** The fixture input's tensors, as the manifest lists them (file order, F32). */
    private static List<QuantMix.Tensor> fixtureInput() {
        return QuantFixtures.inputTensors().stream()
                .map(t -> new QuantMix.Tensor(t.name(), t.type(), t.shape())).toList();
    }

    private static Map<String, GgmlType> notDefault(FileType f, List<QuantMix.Tensor> tensors) {
        return notDefault(f, tensors, RAND);
    }

    /** The converted tensors whose type is not the file type's default. */
    private static Map<String, GgmlType> notDefault(FileType f, List<QuantMix.Tensor> tensors, QuantMix.Model model) {
        Map<String, GgmlType> out = new LinkedHashMap<>();
        for (QuantMix.Choice c : QuantMix.choose(f, false, model, tensors)) {
            if (c.converts() && c.type() != f.defaultType()) out.put(c.name(), c.type());
        }
        return out;
    }

    /** A llama's tensor list (F32) with the given sizes, 2 query heads per KV head. */
    private static List<QuantMix.Tensor> llama(int layers, int hidden, int ffn, int vocab, boolean untied) {
        List<QuantMix.Tensor> t = new ArrayList<>();
        t.add(new QuantMix.Tensor("token_embd.weight", GgmlType.F32, new long[] {hidden, vocab}));
        t.add(new QuantMix.Tensor("output_norm.weight", GgmlType.F32, new long[] {hidden}));
        if (untied) t.add(new QuantMix.Tensor("output.weight", GgmlType.F32, new long[] {hidden, vocab}));
        for (int i = 0; i < layers; i++) {
            String p = "blk." + i + ".";
            t.add(new QuantMix.Tensor(p + "attn_norm.weight", GgmlType.F32, new long[] {hidden}));
            t.add(new QuantMix.Tensor(p + "attn_q.weight", GgmlType.F32, new long[] {hidden, hidden}));
            t.add(new QuantMix.Tensor(p + "attn_k.weight", GgmlType.F32, new long[] {hidden, hidden / 2}));
            t.add(new QuantMix.Tensor(p + "attn_v.weight", GgmlType.F32, new long[] {hidden, hidden / 2}));
            t.add(new QuantMix.Tensor(p + "attn_output.weight", GgmlType.F32, new long[] {hidden, hidden}));
            t.add(new QuantMix.Tensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {hidden}));
            t.add(new QuantMix.Tensor(p + "ffn_gate.weight", GgmlType.F32, new long[] {hidden, ffn}));
            t.add(new QuantMix.Tensor(p + "ffn_up.weight", GgmlType.F32, new long[] {hidden, ffn}));
            t.add(new QuantMix.Tensor(p + "ffn_down.weight", GgmlType.F32, new long[] {ffn, hidden}));
        }
        return t;
    }
}
