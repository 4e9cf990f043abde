package dev.tinyforge.data.examples;

import java.util.List;
import java.util.Optional;

/** The bundled example datasets, one per use case, in the order the README lists them. */
public final class ExampleDatasets {
    /** The seed the shipped files are generated with; any other seed gives an equally valid variant. */
    public static final long DEFAULT_SEED = 20250611L;

    private ExampleDatasets() {}

    public static List<ExampleDataset> all() {
        return List.of(new SupportDataset(), new OpenApiDataset(), new RemindersDataset(), new DotDataset(), new ToolCallDataset());
    }

    public static Optional<ExampleDataset> byName(String name) {
        return all().stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
