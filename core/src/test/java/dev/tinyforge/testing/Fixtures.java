package dev.tinyforge.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared reference data ({@code ../shared/fixtures} beside the repository). Tests that need
 * it call {@link #require}, which skips the test with a clear message on a fresh clone without it.
 * The system property {@code tinyforge.fixtures} points elsewhere.
 */
public final class Fixtures {
    private static final Path ROOT = locate();

    private Fixtures() {}

    private static Path locate() {
        String override = System.getProperty("tinyforge.fixtures");
        if (override != null) return Files.isDirectory(Path.of(override)) ? Path.of(override) : null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    /** Whether the fixtures are present. */
    public static boolean available() {
        return ROOT != null;
    }

    /** The fixture at {@code relative} (e.g. {@code "models/stories260K"}); skips the test when absent. */
    public static Path require(String relative) {
        assumeTrue(ROOT != null, "skipped: ../shared/fixtures not found (fresh clone without the shared reference data)");
        Path path = ROOT.resolve(relative);
        assumeTrue(Files.exists(path), "skipped: fixture " + path + " not found");
        return path;
    }
}
