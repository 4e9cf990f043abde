package dev.tinyforge.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes one piece adds to HF-decoded text when other pieces come before it, found by running the
 * decoder's steps on that piece alone. Steps that look at the whole text rather than at each piece (a
 * {@code Strip} after {@code Fuse}, Metaspace's first-piece rule) only touch the text's start and end, so
 * a piece in the middle is unaffected by them.
 */
final class PieceBytes {
    private PieceBytes() {}

    static byte[] of(Decoder decoder, String piece) {
        String text = piece;
        boolean fused = false;
        for (Decoder step : flatten(decoder)) {
            switch (step) {
                case Decoder.ByteLevelBytes b -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
                    ByteLevel.appendBytes(text, out);
                    return out.toByteArray(); // raw bytes now; no later step sees a piece any more
                }
                case Decoder.ByteFallback b -> {
                    int value = Decoder.ByteFallback.byteOf(text);
                    if (value >= 0) return new byte[] {(byte) value};
                }
                case Decoder.Replace r -> text = text.replace(r.pattern(), r.content());
                case Decoder.Metaspace m -> text = text.replace(m.replacement(), ' ');
                case Decoder.Fuse f -> fused = true;
                case Decoder.Strip s -> {
                    if (!fused) text = s.decodeChain(List.of(text)).getFirst();
                }
                case Decoder.Sequence s -> throw new AssertionError("flattened");
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Decoder> flatten(Decoder decoder) {
        List<Decoder> steps = new ArrayList<>();
        if (decoder instanceof Decoder.Sequence s) {
            for (Decoder d : s.steps()) steps.addAll(flatten(d));
        } else {
            steps.add(decoder);
        }
        return steps;
    }
}
