package dev.tinyforge.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns token pieces back into text, step by step as HF's decoders do: each step maps the list of
 * pieces to a new list, and the final text is their concatenation.
 */
sealed interface Decoder {
    List<String> decodeChain(List<String> pieces);

    default String decode(List<String> pieces) {
        return String.join("", decodeChain(pieces));
    }

    record Sequence(List<Decoder> steps) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> pieces) {
            for (Decoder step : steps) pieces = step.decodeChain(pieces);
            return pieces;
        }
    }

    /** Byte-level pieces back to bytes, then UTF-8 with U+FFFD for invalid sequences; one output piece. */
    record ByteLevelBytes() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> pieces) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String piece : pieces) ByteLevel.appendBytes(piece, bytes);
            return List.of(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        }
    }

    /** Replaces a literal in every piece (SentencePiece's "▁" back to " "). */
    record Replace(String pattern, String content) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> pieces) {
            List<String> out = new ArrayList<>(pieces.size());
            for (String piece : pieces) out.add(piece.replace(pattern, content));
            return out;
        }
    }

    /**
     * Runs of {@code <0xNN>} pieces become the text of their bytes; a run that is not valid UTF-8 becomes
     * one U+FFFD per byte piece (HF's rule, which differs from lossy UTF-8 decoding).
     */
    record ByteFallback() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> pieces) {
            List<String> out = new ArrayList<>(pieces.size());
            ByteArrayOutputStream run = new ByteArrayOutputStream();
            for (String piece : pieces) {
                int b = byteOf(piece);
                if (b >= 0) {
                    run.write(b);
                    continue;
                }
                flush(run, out);
                out.add(piece);
            }
            flush(run, out);
            return out;
        }

        /** The byte of a piece spelled {@code <0xNN>} (either case of hex digits), or -1. */
        static int byteOf(String piece) {
            if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') return -1;
            int hi = Character.digit(piece.charAt(3), 16), lo = Character.digit(piece.charAt(4), 16);
            return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
        }

        private static void flush(ByteArrayOutputStream run, List<String> out) {
            if (run.size() == 0) return;
            byte[] bytes = run.toByteArray();
            run.reset();
            String text = Utf8.decodeStrict(bytes);
            if (text != null) {
                out.add(text);
            } else {
                for (int i = 0; i < bytes.length; i++) out.add("\uFFFD");
            }
        }
    }

    /** All pieces into one. */
    record Fuse() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> pieces) {
            return List.of(String.join("", pieces));
        }
    }

    /** Removes up to {@code start} leading and {@code stop} trailing {@code content} characters from each piece. */
    record Strip(int content, int start, int stop) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> pieces) {
            List<String> out = new ArrayList<>(pieces.size());
            for (String piece : pieces) {
                int[] cps = piece.codePoints().toArray();
                int a = 0, b = cps.length;
                while (a < start && a < b && cps[a] == content) a++;
                for (int k = 0; k < stop && b > a && cps[b - 1] == content; k++) b--;
                out.add(new String(cps, a, b - a));
            }
            return out;
        }
    }

    /**
     * SentencePiece's Metaspace decoder: {@code replacement} becomes a space, except in the first piece,
     * where (when a prefix was added on encoding) every replacement character is dropped, as HF does.
     */
    record Metaspace(char replacement, boolean prefixAdded) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> pieces) {
            List<String> out = new ArrayList<>(pieces.size());
            for (int i = 0; i < pieces.size(); i++) {
                String piece = pieces.get(i);
                out.add(i == 0 && prefixAdded ? piece.replace(String.valueOf(replacement), "")
                        : piece.replace(replacement, ' '));
            }
            return out;
        }
    }
}
