package dev.tinyforge.data.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.RecordFormat;
import java.util.List;

/**
 * A bundled example dataset for one use case our users come with. Generated, not hand-written:
 * the same seed always gives the same records, and every output is checked to be valid.
 */
public interface ExampleDataset {
    /** Short file-system-safe name, e.g. {@code reminders}; the file is {@code <name>.jsonl}. */
    String name();

    /** One line for the README: what a model trained on this learns. */
    String description();

    /** The record format the dataset is written in. */
    RecordFormat format();

    /** The records, in file order; distinct inputs, deterministic for a given seed. */
    List<ObjectNode> generate(long seed);
}
