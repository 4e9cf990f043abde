package dev.tinyforge.cli;

import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.util.BadInputException;
import picocli.CommandLine.Option;

/**
 * {@code --threads N}, the kernels' thread count. The kernel threads start when the kernels first
 * load, so the count is set before any model is touched and cannot change later in the same JVM.
 */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
            description = "Kernel threads (default: all cores; same as -Dtinyforge.threads=N).")
    Integer threads;

    /** Applies {@code --threads} when given; without it the kernels keep their default. */
    void apply() {
        if (threads != null) require(threads);
    }

    /** Makes the kernels run on {@code wanted} threads, or fails when they already run on another count. */
    static void require(int wanted) {
        if (wanted < 1 || wanted > 1024) throw new BadInputException("--threads must be within 1..1024, got " + wanted);
        // Read when the kernels first load; in a fresh process that is after this line.
        System.setProperty("tinyforge.threads", Integer.toString(wanted));
        if (Parallel.THREADS != wanted) {
            throw new BadInputException("the kernels already run on " + Parallel.THREADS + " threads in this JVM; "
                    + "start it with -Dtinyforge.threads=" + wanted);
        }
    }
}
