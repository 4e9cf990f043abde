package dev.tinyforge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.quant.GgmlType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The llama-quantize reference set in {@code shared/fixtures/quant} (see README-models.md section 2). */
public final class QuantFixtures {
    private QuantFixtures() {}

    /** One output file of the manifest: the ftype it was made with and its tensors in file order. */
    public record Output(String file, String ftype, boolean pure, int fileType, String sha256, long size, List<Tensor> tensors) {
        @Override
        public String toString() {
            return file;
        }
    }

    /** A tensor as the manifest lists it; {@code dataOffset} is its data's position in the file. */
    public record Tensor(String name, GgmlType type, long[] shape, long dataOffset, long bytes, String dataSha256) {
        public int rowLength() {
            return (int) shape[0];
        }

        public int rowCount() {
            long n = 1;
            for (int i = 1; i < shape.length; i++) n *= shape[i];
            return (int) n;
        }
    }

    /** The values of an input (F32) tensor, read straight from rand-f32.gguf at the manifest's offset. */
    public static float[] inputValues(Tensor t) {
        if (t.type() != GgmlType.F32) throw new IllegalArgumentException(t.name() + " is not F32");
        try (FileChannel channel = FileChannel.open(input())) {
            ByteBuffer buffer = ByteBuffer.allocate((int) t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, t.dataOffset() + buffer.position()) < 0) throw new IOException("truncated " + input());
            }
            float[] values = new float[(int) (t.bytes() / 4)];
            buffer.flip().asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path dir() {
        return Fixtures.require("quant");
    }

    public static Path input() {
        return Fixtures.require("quant/rand-f32.gguf");
    }

    public static List<Output> outputs() {
        JsonNode manifest = manifest();
        List<Output> outputs = new ArrayList<>();
        for (JsonNode o : manifest.get("outputs")) {
            outputs.add(new Output(o.get("file").textValue(), o.get("ftype").textValue(), o.get("pure").booleanValue(),
                    o.get("general.file_type").intValue(), o.get("sha256").textValue(), o.get("size").longValue(),
                    tensors(o.get("tensors"))));
        }
        return outputs;
    }

    public static List<Tensor> inputTensors() {
        return tensors(manifest().get("input").get("tensors"));
    }

    private static JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(dir().resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Tensor> tensors(JsonNode array) {
        List<Tensor> tensors = new ArrayList<>();
        for (JsonNode t : array) {
            long[] shape = new long[t.get("ne").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = t.get("ne").get(i).longValue();
            tensors.add(new Tensor(t.get("name").textValue(), GgmlType.valueOf(t.get("type").textValue()), shape,
                    t.get("data_offset").longValue(), t.get("n_bytes").longValue(), t.get("data_sha256").textValue()));
        }
        return tensors;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
