package dev.tinyforge.cli;

import dev.tinyforge.export.GgufQuantizer;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.quant.QuantMix;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge quantize IN.gguf OUT.gguf TYPE}: llama-quantize's output, from Java. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize a GGUF model (F32, F16 or BF16) as llama.cpp's llama-quantize does",
                "without an importance matrix: same tensor types, order and bytes.",
                "TYPE (any case): F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q2_K Q3_K_S Q3_K_M",
                "Q3_K_L Q4_K_S Q4_K_M Q5_K_S Q5_K_M Q6_K (Q3_K, Q4_K, Q5_K: the _M ones)."})
final class QuantizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.gguf", description = "The model to quantize.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.gguf", description = "Where to write the quantized model.")
    Path output;

    @Parameters(index = "2", paramLabel = "TYPE", description = "The file type, e.g. q4_k_m, Q8_0, f16.")
    String type;

    @Option(names = "--pure", description = "Give every quantized tensor TYPE's base type: no mixture rules, "
            + "no Q6_K output tensor (llama-quantize's --pure).")
    boolean pure;

    @Option(names = "--force", description = "Replace OUT.gguf if it already exists.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        FileType fileType = FileType.parse(type);
        if (!Files.isRegularFile(input)) throw new BadInputException(input + ": no such file");
        if (Files.exists(output) && !force) {
            throw new BadInputException(output + ": already exists; pass --force to replace it");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        GgufQuantizer.Summary s = GgufQuantizer.quantize(input, output, fileType, pure,
                (index, count, choice, bytesIn, bytesOut) -> err.println(tensorLine(index, count, choice, bytesIn, bytesOut)));
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "quantized %s -> %s as %s%s: %d tensors (%d converted), %.2f MiB -> %.2f MiB "
                        + "(%.2f -> %.2f bits per weight) in %.2f s%n",
                input, output, fileType, pure ? " (pure)" : "", s.tensors(), s.converted(), mib(s.bytesIn()), mib(s.bytesOut()),
                s.elements() == 0 ? 0 : s.bytesIn() * 8.0 / s.elements(), s.bitsPerWeight(), seconds);
        if (s.fallbacks() > 0) {
            out.printf(Locale.ROOT, "%d tensor%s had rows that the chosen type's blocks do not divide and got a fallback type%n",
                    s.fallbacks(), s.fallbacks() == 1 ? "" : "s");
        }
        return Main.OK;
    }

    /** One line per tensor, as llama-quantize logs them. */
    private static String tensorLine(int index, int count, QuantMix.Choice choice, long bytesIn, long bytesOut) {
        String shape = Arrays.stream(choice.tensor().shape()).mapToObj(Long::toString).collect(Collectors.joining(" x "));
        String action = choice.converts()
                ? String.format(Locale.ROOT, "%-5s -> %-5s%s", choice.tensor().type(), choice.type(), choice.fallback() ? " (fallback)" : "")
                : String.format(Locale.ROOT, "%-14s", choice.type() + " (kept)");
        return String.format(Locale.ROOT, "[%4d/%4d] %-36s [%s] %s  %.2f MiB -> %.2f MiB",
                index + 1, count, choice.name(), shape, action, mib(bytesIn), mib(bytesOut));
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
