package dev.tinyforge.cli;

import dev.tinyforge.util.BadInputException;
import dev.tinyforge.util.Version;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tinyforge} command: a thin front over the library, one subcommand per job. */
@Command(
        name = "tinyforge",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "From a JSONL file of examples to a small fine-tuned language model, in pure Java.",
        subcommands = {DataCommand.class, TemplateCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit codes shared by every command. */
    public static final int OK = 0, FAILED = 1, BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code; used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = newCommandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handleError);
        cli.setParameterExceptionHandler(Main::handleUsageError);
        cli.setExitCodeExceptionMapper(e -> e instanceof BadInputException ? BAD_INPUT : FAILED);
        return cli;
    }

    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return BAD_INPUT;
    }

    private static int handleError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || (parsed.commandSpec().root().userObject() instanceof Main m && m.verbose);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!(e instanceof BadInputException) && !(e instanceof java.io.IOException) && e.getMessage() != null
                && !message.contains(":")) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        err.println("error: " + message);
        if (verbose) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return e instanceof BadInputException ? BAD_INPUT : FAILED;
    }

    /** Reads the version the build wrote into the jar. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tinyforge " + Version.get(), "Java " + Runtime.version()};
        }
    }
}
