package dev.tinyforge.cli;

import dev.tinyforge.export.GgufExport;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge export}: a run or model to GGUF for llama.cpp and Ollama. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a run or model as GGUF for llama.cpp and Ollama (a LoRA run is",
                "merged first), and/or a LoRA run's adapter as a llama.cpp LoRA GGUF.",
                "Writes manifest.json beside the files. When the run has a validation",
                "split, the exported file is loaded back and measured against the float",
                "model (loss, exact match); --max-degradation makes that a gate."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN|MODEL", description = "A run folder, an HF model folder or a GGUF file.")
    Path source;

    @Option(names = "--out", paramLabel = "FILE.gguf", description = "The model GGUF to write.")
    Path out;

    @Option(names = "--type", defaultValue = "f16", paramLabel = "TYPE",
            description = "f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q2_k, q3_k_s/m/l, q4_k_s/m, q5_k_s/m or q6_k "
                    + "(default: ${DEFAULT-VALUE}); quantized types use llama-quantize's mixtures.")
    String type;

    @Option(names = "--adapter-gguf", paramLabel = "FILE.gguf", description = "Also (or only) write the LoRA adapter as a llama.cpp LoRA GGUF.")
    Path adapterGguf;

    @Option(names = "--base", paramLabel = "MODEL", description = "Base model of a LoRA run (default: the one the run names).")
    Path base;

    @Option(names = "--modelfile", description = "Write an Ollama Modelfile beside the GGUF (and Modelfile.adapter beside the adapter).")
    boolean modelfile;

    @Option(names = "--max-degradation", paramLabel = "PCT",
            description = "Fail (exit 1, nothing written) when validation loss rises by more than PCT percent or exact "
                    + "match drops by more than PCT points, e.g. 2%%.")
    String maxDegradation;

    @Option(names = "--eval-limit", defaultValue = "100", paramLabel = "N",
            description = "Validation examples to measure at most (default: ${DEFAULT-VALUE}).")
    int evalLimit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        var request = new GgufExport.Request(source, base, out, fileType(type), adapterGguf, modelfile,
                maxDegradation == null ? null : percent(maxDegradation), evalLimit);
        var outcome = GgufExport.run(request, o::println);
        outcome.notes().forEach(n -> o.println("note: " + n));
        if (!outcome.passed()) {
            spec.commandLine().getErr().println("error: the export degrades the model more than --max-degradation "
                    + maxDegradation + " allows; nothing was written");
            return Main.FAILED;
        }
        for (Path p : outcome.written()) o.println("wrote " + p);
        return Main.OK;
    }

    private static FileType fileType(String text) {
        try {
            return FileType.parse(text);
        } catch (BadInputException e) {
            throw new BadInputException("--type: " + e.getMessage());
        }
    }

    /** "2%", "2" or "0.5%" as a share (0.02, 0.02, 0.005). */
    static double percent(String text) {
        String t = text.strip();
        if (t.endsWith("%")) t = t.substring(0, t.length() - 1).strip();
        try {
            double v = Double.parseDouble(t);
            if (!(v >= 0) || Double.isInfinite(v)) throw new NumberFormatException();
            return v / 100;
        } catch (NumberFormatException e) {
            throw new BadInputException("--max-degradation '" + text + "': expected a percentage such as 2%");
        }
    }
}
