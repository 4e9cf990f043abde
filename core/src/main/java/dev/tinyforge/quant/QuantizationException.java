package dev.tinyforge.quant;

import dev.tinyforge.util.BadInputException;

/**
 * A value that cannot be quantized: NaN or infinite, or so large that a block's F16 scale overflows
 * (where llama.cpp's {@code ggml_validate_row_data} rejects the result). Names the row and column
 * within the rows handed to {@link Quantizer}; {@link #shiftedBy} re-bases the row for a caller that
 * passed a slice of a larger tensor.
 */
public final class QuantizationException extends BadInputException {
    private final long row;
    private final int column;
    private final String problem;

    public QuantizationException(long row, int column, String problem) {
        super("row " + row + ", column " + column + ": " + problem);
        this.row = row;
        this.column = column;
        this.problem = problem;
    }

    public long row() {
        return row;
    }

    public int column() {
        return column;
    }

    /** The same problem with the row counted from {@code firstRow} rows earlier. */
    public QuantizationException shiftedBy(long firstRow) {
        return new QuantizationException(row + firstRow, column, problem);
    }
}
