package dev.tinyforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.Example;
import dev.tinyforge.data.RecordConverter;
import dev.tinyforge.data.RecordFormat;
import dev.tinyforge.util.AtomicFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge data convert FILE --to FORMAT --out FILE}: rewrites records in another format, losing nothing. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Rewrite a dataset in another record format, losing nothing.",
                "A record the target format cannot hold without loss (e.g. a multi-turn chat as io)",
                "is reported and nothing is written."})
final class ConvertCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "FILE", description = "The JSONL file to convert.")
    Path file;

    @Option(names = "--to", required = true, paramLabel = "FORMAT",
            description = "Target format: messages, io, alpaca, prompt-completion or text.")
    String to;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The JSONL file to write.")
    Path out;

    @Mixin
    ScanOptions scan;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RecordFormat target = RecordFormat.fromId(to);
        PrintWriter err = spec.commandLine().getErr();
        long[] failures = {0};
        DatasetScanner.Summary[] summary = new DatasetScanner.Summary[1];
        try {
            AtomicFiles.write(out, stream -> {
                summary[0] = DatasetScanner.scan(file, scan.toOptions(), new ProblemPrinter(err, file, true) {
                    @Override
                    public void record(long line, Example example, String text) {
                        try {
                            byte[] json = JSON.writeValueAsBytes(RecordConverter.convert(example, target));
                            stream.write(json);
                            stream.write('\n');
                        } catch (RecordConverter.ConversionException e) {
                            failures[0]++;
                            err.println("error: " + file + ":" + line + ": " + e.getMessage());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
                long bad = failures[0] + summary[0].badLines();
                if (bad > 0) {
                    throw new BadInputException(file + ": " + bad + " line" + (bad == 1 ? "" : "s")
                            + " could not be converted to " + target + "; nothing was written");
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        spec.commandLine().getOut().printf("converted %d %s records to %s -> %s%n",
                summary[0].records(), summary[0].format(), target, out);
        return Main.OK;
    }
}
