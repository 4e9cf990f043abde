package dev.tinyforge.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetSplitterTest {
    @TempDir
    Path dir;

    /** Records with deliberately repeated inputs (differing only in whitespace) and distinct outputs. */
    private Path dataset(int records, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            int input = random.nextInt(records / 3);
            String spaced = random.nextBoolean() ? "task  " + input + " " : " task " + input;
            lines.add("{\"input\":\"" + spaced + "\",\"output\":\"out " + i + "\"}");
        }
        Path file = dir.resolve("data-" + seed + ".jsonl");
        Files.write(file, lines);
        return file;
    }

    private DatasetSplitter.Result split(Path file, Path out, String ratios, long seed) throws IOException {
        return DatasetSplitter.split(file, out, new DatasetSplitter.Options(DatasetSplitter.Options.parseRatios(ratios),
                seed, DatasetScanner.Options.defaults(), false), new DatasetScanner.Listener() {});
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void identicalInputsNeverLandInTwoSplits(long seed) throws IOException {
        Path file = dataset(600, seed);
        split(file, dir.resolve("out"), "0.8,0.1,0.1", seed);
        Map<String, String> splitOfInput = new HashMap<>();
        int total = 0;
        for (String name : DatasetSplitter.SPLIT_NAMES) {
            for (String line : Files.readAllLines(dir.resolve("out").resolve(name + ".jsonl"))) {
                total++;
                Example e = ((ParsedRecord.Valid) RecordParser.parse(line, null)).example();
                String previous = splitOfInput.putIfAbsent(e.normalizedInput(), name);
                assertTrue(previous == null || previous.equals(name),
                        () -> e.normalizedInput() + " is in " + previous + " and " + name);
            }
        }
        assertEquals(600, total);
    }

    @Test
    void sameSeedGivesIdenticalFilesAndOtherSeedDiffers() throws IOException {
        Path file = dataset(500, 9);
        split(file, dir.resolve("a"), "0.8,0.1,0.1", 42);
        split(file, dir.resolve("b"), "0.8,0.1,0.1", 42);
        split(file, dir.resolve("c"), "0.8,0.1,0.1", 43);
        for (String name : DatasetSplitter.SPLIT_NAMES) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a/" + name + ".jsonl")),
                    Files.readAllBytes(dir.resolve("b/" + name + ".jsonl")));
        }
        assertNotEquals(Files.readString(dir.resolve("a/val.jsonl")), Files.readString(dir.resolve("c/val.jsonl")));
    }

    @Test
    void sharesFollowTheRatiosAndLinesKeepFileOrder() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) lines.add("{\"prompt\":\"p" + i + "\",\"completion\":\"c\"}");
        Path file = dir.resolve("distinct.jsonl");
        Files.write(file, lines);
        var result = split(file, dir.resolve("out"), "0.7,0.2,0.1", 7);
        assertArrayEquals(new long[] {700, 200, 100}, result.records());
        assertArrayEquals(new long[] {700, 200, 100}, result.groups());
        List<String> train = Files.readAllLines(dir.resolve("out/train.jsonl"));
        List<Integer> order = train.stream().map(l -> lines.indexOf(l)).toList();
        assertEquals(order.stream().sorted().toList(), order);
    }

    @Test
    void twoRatiosWriteTrainAndValOnly() throws IOException {
        var result = split(dataset(90, 3), dir.resolve("out"), "0.9,0.1", 1);
        assertEquals(2, result.files().size());
        assertEquals(90, result.total());
        assertFalse(Files.exists(dir.resolve("out/test.jsonl")));
    }

    @Test
    void badLinesFailTheSplitAndWriteNothing() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"input\":\"a\",\"output\":\"b\"}\n{\"input\":\"c\"}\n");
        var e = assertThrows(BadInputException.class, () -> split(file, dir.resolve("out"), "0.8,0.1,0.1", 1));
        assertEquals(file + ": 1 bad line; fix them or pass --allow-errors to leave them out", e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/train.jsonl")));
        var skipped = DatasetSplitter.split(file, dir.resolve("out"), new DatasetSplitter.Options(new double[] {1, 0},
                1, DatasetScanner.Options.defaults(), true), new DatasetScanner.Listener() {});
        assertEquals(1, skipped.total());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.5,0.2", "0.8", "0.5,0.5,0.5,-0.5", "a,b", "1.2,-0.2"})
    void rejectsBadRatios(String ratios) {
        assertThrows(BadInputException.class, () -> new DatasetSplitter.Options(
                DatasetSplitter.Options.parseRatios(ratios), 1, DatasetScanner.Options.defaults(), false));
    }
}
