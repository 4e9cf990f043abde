package dev.tinyforge.cli;

import dev.tinyforge.export.Merge;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyforge merge}: a LoRA run folded into its base as an HF folder. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merge a LoRA run into its base model (W + scale * B * A, in float32)",
                "and write a Hugging Face folder: model.safetensors, config.json,",
                "tokenizer files, manifest.json. A full fine-tuning run is already",
                "merged; it is written the same way (in --dtype)."})
final class MergeCommand implements Callable<Integer> {
    @Option(names = "--adapter", required = true, paramLabel = "RUN",
            description = "The run folder (PEFT adapter, or a full fine-tuning run).")
    Path adapter;

    @Option(names = "--base", paramLabel = "MODEL",
            description = "The base model (HF folder); default: the one the run names.")
    Path base;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to create (must not exist or be empty).")
    Path out;

    @Option(names = "--dtype", paramLabel = "TYPE", description = "f32, f16 or bf16 (default: the base's).")
    String dtype;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        var outcome = Merge.run(new Merge.Request(base, adapter, out, dtype), o::println);
        outcome.notes().forEach(n -> o.println("note: " + n));
        o.println("merged -> " + outcome.out() + " (" + outcome.dtype().name() + "); load it with transformers' "
                + "AutoModelForCausalLM.from_pretrained(\"" + outcome.out() + "\")");
        return Main.OK;
    }
}
