package dev.tinyforge.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a JSONL file line by line in bounded memory: a line longer than the limit is skipped, not
 * buffered. Accepts a UTF-8 byte-order mark, CRLF line ends and a missing final newline; rejects
 * bytes that are not UTF-8.
 */
public final class JsonlReader implements Closeable {
    /** Default longest line: generous for long documents, small enough to keep memory bounded. */
    public static final int DEFAULT_MAX_LINE_BYTES = 8 << 20;

    /**
     * One line: its 1-based number and its text, or the reason it could not be read
     * ({@code problem} non-null, {@code text} null).
     */
    public record Line(long number, String text, String problem) {
        public boolean isBlank() {
            return text != null && text.isBlank();
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[256];
    private int bufferPos, bufferEnd;
    private long lineNumber;
    private long bytesRead;
    private boolean eof;

    public JsonlReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 1) throw new IllegalArgumentException("maxLineBytes must be positive");
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Bytes consumed from the stream so far (for progress). */
    public long bytesRead() {
        return bytesRead;
    }

    /** The next line, or null at the end of the input. */
    public Line next() throws IOException {
        int length = 0;
        long fullLength = 0;
        boolean sawAny = false;
        while (true) {
            if (bufferPos == bufferEnd && !fill()) {
                if (!sawAny) return null;
                break;
            }
            sawAny = true;
            int start = bufferPos;
            int newline = -1;
            for (int i = start; i < bufferEnd; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline >= 0 ? newline : bufferEnd;
            int chunk = end - start;
            fullLength += chunk;
            if (fullLength <= maxLineBytes) {
                if (length + chunk > line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + chunk)));
                }
                System.arraycopy(buffer, start, line, length, chunk);
                length += chunk;
            }
            bufferPos = newline >= 0 ? newline + 1 : bufferEnd;
            if (newline >= 0) break;
        }
        lineNumber++;
        if (fullLength > maxLineBytes) {
            return new Line(lineNumber, null, "line is " + fullLength + " bytes long, over the limit of "
                    + maxLineBytes + " bytes");
        }
        int from = 0;
        if (lineNumber == 1 && length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB
                && (line[2] & 0xFF) == 0xBF) {
            from = 3;
        }
        if (length > from && line[length - 1] == '\r') length--;
        try {
            return new Line(lineNumber, utf8.decode(ByteBuffer.wrap(line, from, length - from)).toString(), null);
        } catch (CharacterCodingException e) {
            return new Line(lineNumber, null, "line is not valid UTF-8");
        }
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        bufferPos = 0;
        bufferEnd = n;
        bytesRead += n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
