package dev.tinyforge.data.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.Example;
import dev.tinyforge.data.ParsedRecord;
import dev.tinyforge.data.RecordParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every bundled dataset must have, whatever its use case. */
class ExampleDatasetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<ObjectNode>> GENERATED = new HashMap<>();

    static List<ExampleDataset> datasets() {
        return ExampleDatasets.all();
    }

    /** The default-seed records, generated once per dataset for all the tests. */
    static synchronized List<ObjectNode> records(ExampleDataset dataset) {
        return GENERATED.computeIfAbsent(dataset.name(), n -> dataset.generate(ExampleDatasets.DEFAULT_SEED));
    }

    static String line(ObjectNode record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void namesAreUniqueAndDescriptionsAreOneLine() {
        Set<String> names = new HashSet<>();
        for (ExampleDataset d : datasets()) {
            assertTrue(names.add(d.name()), "duplicate name " + d.name());
            assertTrue(d.name().matches("[a-z][a-z0-9-]*"), d.name());
            assertFalse(d.description().isBlank());
            assertFalse(d.description().contains("\n"), d.name());
            assertTrue(ExampleDatasets.byName(d.name()).isPresent());
        }
        assertEquals(5, names.size());
    }

    @ParameterizedTest
    @MethodSource("datasets")
    void hasAtLeast300Records(ExampleDataset dataset) {
        assertTrue(records(dataset).size() >= 300, dataset.name() + ": " + records(dataset).size());
    }

    @ParameterizedTest
    @MethodSource("datasets")
    void everyRecordParsesAsTheDatasetFormatWithoutWarnings(ExampleDataset dataset) {
        for (ObjectNode record : records(dataset)) {
            ParsedRecord parsed = RecordParser.parse(line(record), null);
            var valid = assertInstanceOf(ParsedRecord.Valid.class, parsed, () -> dataset.name() + ": " + parsed + " in " + record);
            assertEquals(dataset.format(), valid.example().format(), record::toString);
            assertEquals(List.of(), valid.warnings(), record::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("datasets")
    void inputsAreDistinct(ExampleDataset dataset) {
        List<String> inputs = records(dataset).stream()
                .map(r -> ((ParsedRecord.Valid) RecordParser.parse(line(r), null)).example())
                .map(Example::normalizedInput)
                .map(String::toLowerCase)
                .toList();
        Set<String> seen = new HashSet<>();
        for (String input : inputs) assertTrue(seen.add(input), dataset.name() + ": repeated input " + input);
    }

    @ParameterizedTest
    @MethodSource("datasets")
    void theSeedDecidesTheRecords(ExampleDataset dataset) {
        List<String> first = dataset.generate(7).stream().map(ExampleDatasetsTest::line).toList();
        List<String> again = dataset.generate(7).stream().map(ExampleDatasetsTest::line).toList();
        List<String> other = dataset.generate(8).stream().map(ExampleDatasetsTest::line).toList();
        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    /** The file as a user gets it passes `tinyforge data validate`'s scan: no bad lines, duplicates or warnings. */
    @ParameterizedTest
    @MethodSource("datasets")
    void theWrittenFileScansClean(ExampleDataset dataset, @TempDir Path dir) throws IOException {
        Path file = dir.resolve(dataset.name() + ".jsonl");
        Files.writeString(file, records(dataset).stream().map(ExampleDatasetsTest::line).collect(Collectors.joining("\n", "", "\n")));
        var summary = DatasetScanner.scan(file, DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {});
        assertEquals(dataset.format(), summary.format());
        assertEquals(records(dataset).size(), summary.records());
        assertEquals(0, summary.badLines());
        assertEquals(0, summary.linesWithWarnings());
    }
}
