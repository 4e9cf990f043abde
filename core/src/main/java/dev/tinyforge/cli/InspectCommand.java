package dev.tinyforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelSummary;
import dev.tinyforge.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge inspect MODEL}: what a model file holds, without loading its weights. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Describe a model: architecture, sizes, tensor types, tokenizer, chat template.",
                "MODEL is a Hugging Face folder or a GGUF file."})
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "HF folder or GGUF file.")
    Path model;

    @Option(names = "--json", description = "Print the description as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ModelSummary s = ModelSummary.of(model);
        ModelConfig c = s.config();
        Tokenizer tokenizer = tokenizerOrNull(spec.commandLine().getErr());
        String template = s.chatTemplate() != null ? "present (" + s.chatTemplate().length() + " chars)"
                : "none (ChatML is used as the fallback)";
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("source", model.toString());
            root.put("format", s.format().name().toLowerCase(Locale.ROOT));
            root.set("config", mapper.valueToTree(c));
            root.put("parameters", c.parameterCount());
            root.put("tensors", s.tensorCount());
            root.put("tensor_bytes", s.tensorBytes());
            root.set("tensor_types", mapper.valueToTree(s.tensorTypes()));
            if (tokenizer != null) {
                root.put("vocab_size", tokenizer.vocabSize());
                root.set("special_tokens", mapper.valueToTree(tokenizer.specialTokens()));
            }
            root.put("chat_template", s.chatTemplate() != null);
            out.println(mapper.writeValueAsString(root));
            return Main.OK;
        }
        out.printf(Locale.ROOT, "model          %s (%s)%n", model, s.format());
        out.printf(Locale.ROOT, "architecture   %s%n", c.family().hfModelType());
        out.printf(Locale.ROOT, "parameters     %s%n", human(c.parameterCount()));
        out.printf(Locale.ROOT, "layers         %d%n", c.layers());
        out.printf(Locale.ROOT, "hidden         %d (ffn %d, %s)%n", c.hiddenSize(), c.intermediateSize(),
                c.activation().name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "attention      %d heads, %d kv heads, head dim %d%s%n", c.heads(), c.kvHeads(), c.headDim(),
                c.slidingWindow() > 0 ? ", sliding window " + c.slidingWindow() : "");
        out.printf(Locale.ROOT, "context        %d tokens%n", c.contextLength());
        out.printf(Locale.ROOT, "rope           base %.6g, %s%n", c.ropeTheta(), describe(c.ropeScaling()));
        out.printf(Locale.ROOT, "norm eps       %.3g%n", c.normEps());
        out.printf(Locale.ROOT, "embeddings     %s%s%n", c.tiedEmbeddings() ? "tied" : "untied",
                c.qkvBias() ? ", q/k/v biases" : "");
        out.printf(Locale.ROOT, "vocabulary     %d%n", c.vocabSize());
        out.printf(Locale.ROOT, "tensors        %d, %s%n", s.tensorCount(), bytes(s.tensorBytes()));
        s.tensorTypes().forEach((type, st) ->
                out.printf(Locale.ROOT, "  %-12s %4d tensors, %s%n", type, st.count(), bytes(st.bytes())));
        if (tokenizer != null) {
            var sp = tokenizer.specialTokens();
            out.printf(Locale.ROOT, "tokenizer      %d tokens%n", tokenizer.vocabSize());
            out.printf(Locale.ROOT, "special        bos %s, eos %s, unk %s, pad %s; adds bos %s, eos %s%n",
                    token(tokenizer, sp.bos()), token(tokenizer, sp.eos()), token(tokenizer, sp.unk()),
                    token(tokenizer, sp.pad()), sp.addBos(), sp.addEos());
        }
        out.printf(Locale.ROOT, "chat template  %s%n", template);
        return Main.OK;
    }

    private static String describe(dev.tinyforge.model.RopeScaling scaling) {
        return switch (scaling) {
            case dev.tinyforge.model.RopeScaling.None n -> "no scaling";
            case dev.tinyforge.model.RopeScaling.Linear l -> "linear scaling x" + l.factor();
            case dev.tinyforge.model.RopeScaling.Llama3 l -> "llama3 scaling x" + l.factor() + " (original context "
                    + l.originalContextLength() + ")";
        };
    }

    private Tokenizer tokenizerOrNull(PrintWriter err) throws IOException {
        try {
            return dev.tinyforge.tokenizer.Tokenizers.load(model);
        } catch (dev.tinyforge.util.BadInputException e) {
            err.println("warning: " + e.getMessage());
            return null;
        }
    }

    private static String token(Tokenizer t, int id) {
        return id < 0 ? "none" : id + " " + t.piece(id);
    }

    static String human(long n) {
        if (n >= 1_000_000_000) return String.format(Locale.ROOT, "%.2f B (%d)", n / 1e9, n);
        if (n >= 1_000_000) return String.format(Locale.ROOT, "%.1f M (%d)", n / 1e6, n);
        if (n >= 1_000) return String.format(Locale.ROOT, "%.1f K (%d)", n / 1e3, n);
        return Long.toString(n);
    }

    static String bytes(long b) {
        if (b >= 1L << 30) return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        if (b >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        if (b >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        return b + " B";
    }
}
