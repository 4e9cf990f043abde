package dev.tinyforge.cli;

import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge tokenize MODEL TEXT}: token ids and pieces of a text. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Show the token ids and pieces of a text.",
                "With --cases, tokenize every case of a llama.cpp-style .inp file (cases end with the line",
                "__ggml_vocab_test__) and print one line of ids per case, the .out format (no BOS/EOS,",
                "special tokens not parsed, as llama.cpp's test-tokenizer-0)."})
final class TokenizeCommand implements Callable<Integer> {
    static final String CASE_SEPARATOR = "\n__ggml_vocab_test__\n";

    @Parameters(index = "0", paramLabel = "MODEL", description = "HF folder or GGUF file.")
    Path model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT", description = "The text to tokenize.")
    String text;

    @Option(names = "--ids", description = "Print only the ids, space-separated.")
    boolean idsOnly;

    @Option(names = "--no-special", description = "Do not add BOS/EOS.")
    boolean noSpecial;

    @Option(names = "--cases", paramLabel = "FILE.inp", description = "Tokenize every case of this file.")
    Path cases;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if ((text == null) == (cases == null)) throw new BadInputException("give either TEXT or --cases FILE.inp");
        Tokenizer tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(model);
        if (cases != null) {
            String all;
            try {
                all = new String(Files.readAllBytes(cases), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new BadInputException(cases + ": no such file");
            }
            if (!all.endsWith(CASE_SEPARATOR)) {
                throw new BadInputException(cases + ": expected every case to end with the line __ggml_vocab_test__");
            }
            for (String c : all.substring(0, all.length() - CASE_SEPARATOR.length()).split(CASE_SEPARATOR, -1)) {
                StringBuilder line = new StringBuilder();
                for (int id : tokenizer.encode(c, false, false)) line.append(' ').append(id);
                out.println(line);
            }
            return Main.OK;
        }
        int[] ids = tokenizer.encode(text, !noSpecial, true);
        if (idsOnly) {
            StringBuilder line = new StringBuilder();
            for (int id : ids) line.append(line.isEmpty() ? "" : " ").append(id);
            out.println(line);
        } else {
            for (int id : ids) out.printf("%6d -> '%s'%n", id, tokenizer.piece(id));
        }
        return Main.OK;
    }
}
