package dev.tinyforge.util;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes files so that a reader never sees half of one: content goes to a temporary file in the
 * same directory, which is renamed into place only when the whole write succeeded.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Produces the content of a file into the given stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically; on any failure nothing is left at {@code target}'s temp path. */
    public static void write(Path target, Writer writer) throws IOException {
        try (Batch batch = new Batch()) {
            try (OutputStream out = batch.open(target)) {
                writer.write(out);
            }
            batch.commit();
        }
    }

    /**
     * Several files that appear together or not at all (e.g. train/val/test splits). Open each with
     * {@link #open}; {@link #commit} renames them all into place; {@link #close} without commit deletes them.
     */
    public static final class Batch implements AutoCloseable {
        private record Pending(Path temp, Path target) {}

        private final List<Pending> pending = new ArrayList<>();
        private boolean committed;

        public OutputStream open(Path target) throws IOException {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            pending.add(new Pending(temp, target));
            readableByAll(temp);
            return new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        }

        /**
         * A temporary path beside {@code target} for a caller that writes the file itself (and may read it
         * back before committing, e.g. to check it); {@link #commit} renames it into place like the others.
         */
        public Path reserve(Path target) throws IOException {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            pending.add(new Pending(temp, target));
            readableByAll(temp);
            return temp;
        }

        /** Temp files are created owner-only; the finished file gets the usual rw-r--r--. */
        private static void readableByAll(Path file) throws IOException {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
        }

        public void commit() throws IOException {
            for (Pending p : pending) {
                try {
                    Files.move(p.temp, p.target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(p.temp, p.target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            committed = true;
        }

        @Override
        public void close() {
            if (committed) return;
            for (Pending p : pending) {
                try {
                    Files.deleteIfExists(p.temp);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not remove temporary file " + p.temp, e);
                }
            }
        }
    }
}
