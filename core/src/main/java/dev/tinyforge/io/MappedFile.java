package dev.tinyforge.io;

import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A whole file mapped read-only into memory, valid until {@link #close}. The mapping lives in a
 * shared arena so that any thread may read tensors; closing unmaps it, after which every segment
 * sliced from it throws {@link IllegalStateException} instead of touching freed memory.
 * Mapping through {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)} takes long offsets,
 * so files over 2 GB work.
 */
public final class MappedFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private MappedFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    /** Maps {@code path}; a missing, unreadable or non-regular file is a {@link BadInputException}. */
    public static MappedFile map(Path path) throws IOException {
        if (Files.isDirectory(path)) throw new BadInputException(path + ": is a directory, expected a file");
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new MappedFile(path, arena, segment);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new BadInputException(path + ": no such file");
        } catch (AccessDeniedException e) {
            arena.close();
            throw new BadInputException(path + ": permission denied");
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** The whole file. */
    public MemorySegment segment() {
        return segment;
    }

    public long size() {
        return segment.byteSize();
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
