package dev.tinyforge.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.CacheType;
import de.kherud.llama.args.LogFormat;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs real llama.cpp (de.kherud:llama, JNI) in its own JVM for {@link LlamaCppOracleTest}: the
 * library cannot report logits, may abort the process on some calls and keeps the JVM alive after
 * close, so the test forks this class and reads its answers. Input: a JSON file of jobs
 * {@code [{model, lora?, prompts: [...], n_predict, encode: [...]}]}. Output on stdout: one JSON line
 * {@code [{generated: [[piece, ...], ...], encoded: [[id, ...], ...]}]}. Always exits through System.exit.
 */
public final class LlamaCppChild {
    private LlamaCppChild() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = 0;
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode jobs = json.readTree(new File(args[0]));
            LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {});
            ArrayNode results = json.createArrayNode();
            for (JsonNode job : jobs) {
                ModelParameters params = new ModelParameters().setModel(job.get("model").asText()).setCtxSize(256)
                        .setThreads(1).setCacheTypeK(CacheType.F32).setCacheTypeV(CacheType.F32).setGpuLayers(0);
                if (job.hasNonNull("lora")) params.addLoraAdapter(job.get("lora").asText());
                ObjectNode result = results.addObject();
                try (LlamaModel model = new LlamaModel(params)) {
                    ArrayNode generated = result.putArray("generated");
                    for (JsonNode prompt : job.path("prompts")) {
                        InferenceParameters inference = new InferenceParameters(prompt.asText()).setTemperature(0)
                                .setRepeatPenalty(1).setNPredict(job.get("n_predict").asInt()).setSeed(42)
                                .setCachePrompt(false); // every prompt from an empty cache: no state carried between prompts
                        ArrayNode pieces = generated.addArray();
                        for (LlamaOutput piece : model.generate(inference)) pieces.add(piece.text);
                    }
                    ArrayNode encoded = result.putArray("encoded");
                    for (JsonNode text : job.path("encode")) {
                        ArrayNode ids = encoded.addArray();
                        for (int id : model.encode(text.asText())) ids.add(id);
                    }
                }
            }
            out.println(json.writeValueAsString(results));
        } catch (Throwable e) {
            e.printStackTrace();
            code = 3;
        }
        out.flush();
        System.exit(code);
    }
}
