package dev.tinyforge.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.util.BadInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile safetensors files: each must be a clear {@link BadInputException}. */
class SafetensorsCorruptTest {
    @TempDir
    Path tmp;

    private static byte[] file(long headerLength, byte[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header);
        return b.array();
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return file(json.length, json, dataBytes);
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private void rejects(byte[] bytes, String... fragments) throws Exception {
        Path path = Files.write(tmp.resolve("bad.safetensors"), bytes);
        BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsFile.open(path).close());
        assertTrue(e.getMessage().startsWith(path + ": "), "names the file: " + e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }

    @Test
    void badHeaderLength() throws Exception {
        rejects(new byte[5], "5 bytes is too short");
        rejects(file(1000, "{}".getBytes(), 0), "header length 1000 is larger than the rest of the file (2 bytes");
        rejects(file(-1, new byte[8], 0), "header length 18446744073709551615 is over the format's limit");
        rejects(file(200_000_000, new byte[8], 0), "over the format's limit of 100000000");
    }

    @Test
    void badJson() throws Exception {
        rejects(file("[1,2]", 0), "not a JSON object");
        rejects(file("{\"a\":", 0), "not valid JSON");
        rejects(file("{} {}", 0), "data after its JSON object");
        rejects(file("{}\0\0", 0), "not valid JSON");
        byte[] badUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        rejects(file(badUtf8.length, badUtf8, 0), "not valid JSON");
        rejects(file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", 8), "not valid JSON", "a");
        rejects(file("{\"__metadata__\":{\"k\":1}}", 0), "'k' is not a string");
        rejects(file("{\"__metadata__\":[]}", 0), "not an object of strings");
        rejects(file("{\"a\":5}", 0), "tensor 'a' is not described by a JSON object");
    }

    @Test
    void badTensorEntries() throws Exception {
        rejects(file("{" + tensor("a", "F31", "[1]", 0, 4) + "}", 4), "tensor 'a' has unknown dtype \"F31\"");
        rejects(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'a' has no dtype");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "has no shape");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "has no data_offsets");
        rejects(file("{" + tensor("a", "F32", "[-1]", 0, 4) + "}", 4), "shape holds -1");
        rejects(file("{" + tensor("a", "F32", "[1.5]", 0, 4) + "}", 4), "shape holds 1.5");
        rejects(file("{" + tensor("a", "F32", "[99999999999999999999]", 0, 4) + "}", 4), "expected a non-negative 64-bit integer");
        rejects(file("{" + tensor("a", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4), "more elements than fit in 64 bits");
        rejects(file("{" + tensor("a", "F32", "[2305843009213693952]", 0, 4) + "}", 4), "does not take a whole number of bytes, or too many");
        rejects(file("{" + tensor("a", "F32", "[" + "1,".repeat(64) + "1]", 0, 4) + "}", 4), "more than 64 entries");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4), "data_offsets has more than 2 entries");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 4), "data_offsets must be [begin, end]");
        rejects(file("{" + tensor("a", "F4", "[3]", 0, 2) + "}", 2), "does not take a whole number of bytes");
    }

    @Test
    void badDataLayout() throws Exception {
        rejects(file("{" + tensor("a", "F32", "[2]", 0, 4) + "}", 4), "needs 8 bytes but its data_offsets [0, 4] span 4");
        rejects(file("{" + tensor("a", "F32", "[1]", 4, 0) + "}", 4), "end before they begin");
        rejects(file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 3), "past the end of the data section (3 bytes; truncated");
        rejects(file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[1]", 4, 8) + "}", 8),
                "tensor 'b' (bytes [4, 8)) overlaps tensor 'a'");
        rejects(file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}", 12),
                "data bytes [4, 8) belong to no tensor");
        rejects(file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 12), "the data section has 12 bytes but the tensors cover only 4");
        rejects(file("{" + tensor("a", "F32", "[1]", 0, 1L << 62) + "}", 4), "past the end of the data section");
    }

    @Test
    void everyTruncationOfAValidFileIsRejected() throws Exception {
        byte[] full = file("{\"__metadata__\":{\"format\":\"pt\"}," + tensor("a", "F32", "[2]", 0, 8) + "}   ", 8);
        try (var ok = SafetensorsFile.open(Files.write(tmp.resolve("ok.safetensors"), full))) {
            assertTrue(ok.find("a").isPresent());
        }
        for (int length = 0; length < full.length; length++) rejects(Arrays.copyOf(full, length));
    }
}
