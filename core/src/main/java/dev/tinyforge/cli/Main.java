package dev.tinyforge.cli;

import dev.tinyforge.util.BadInputException;
import dev.tinyforge.util.Version;
import java.io.InputStream;
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
        subcommands = {QuickstartCommand.class, DataCommand.class, InspectCommand.class, TokenizeCommand.class,
                TemplateCommand.class, GenerateCommand.class, ChatCommand.class, PerplexityCommand.class, BenchCommand.class,
                BenchTrainCommand.class, TrainCommand.class, MergeCommand.class, ExportCommand.class, QuantizeCommand.class,
                ServeCommand.class, ServeBenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit codes shared by every command. */
    public static final int OK = 0, FAILED = 1, BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where commands that read stdin (chat) read it; tests put their own text here. */
    InputStream in = System.in;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = run(args, new PrintWriter(System.out, true), err);
        } catch (OutOfMemoryError e) {
            err.println("error: out of memory; give the JVM more with TINYFORGE_JAVA_OPTS=-Xmx<size>");
            code = FAILED;
        } catch (Throwable e) {
            // picocli hands Errors through; they still get one line, the trace only with --verbose.
            err.println("error: internal error: " + e);
            if (java.util.Arrays.asList(args).contains("--verbose")) e.printStackTrace(err);
            code = FAILED;
        }
        System.exit(code);
    }

    /** Runs the CLI with the given streams and returns the exit code; used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.in, out, err);
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, reading standard input from {@code in}. */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cli = newCommandLine();
        ((Main) cli.getCommand()).in = in;
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
        err.println("error: " + describe(e));
        if (verbose) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return e instanceof BadInputException ? BAD_INPUT : FAILED;
    }

    /** One readable line for an error; the JDK's file-system exceptions carry only a path as message. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return switch (e) {
            case BadInputException b -> message;
            case java.nio.file.NoSuchFileException f -> f.getFile() + ": no such file or directory";
            case java.nio.file.FileAlreadyExistsException f -> f.getFile() + ": already exists and is not a directory";
            case java.nio.file.NotDirectoryException f -> f.getFile() + ": not a directory";
            case java.nio.file.AccessDeniedException f -> f.getFile() + ": permission denied";
            case java.nio.file.FileSystemException f -> f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "file system error");
            default -> message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
        };
    }

    /** Reads the version the build wrote into the jar. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tinyforge " + Version.get(), "Java " + Runtime.version()};
        }
    }
}
