package dev.tinyforge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tinyforge data ...}: dataset tools. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Validate, inspect, split and convert JSONL datasets.",
        subcommands = {ValidateCommand.class, StatsCommand.class, SplitCommand.class, ConvertCommand.class,
                ExamplesCommand.class})
final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
