package dev.tinyforge.tensor;

/**
 * A matrix product cut into units of weight rows (one row, or a register tile of rows), prepared
 * and ready to run unit by unit. Products of several matrices over the same input (a layer's query,
 * key and value; gate and up) then share one parallel call: a token's generation makes five
 * parallel calls per layer instead of eight, and the threads meet at fewer barriers.
 *
 * @param rows        the weight rows (outputs per token)
 * @param rowsPerUnit unit u covers rows {@code [u · rowsPerUnit, (u + 1) · rowsPerUnit)} (the last may be short)
 * @param workPerUnit multiply-adds per unit, for the parallel grain
 * @param task        computes the outputs of units {@code [from, to)}
 */
public record RowProduct(int rows, int rowsPerUnit, long workPerUnit, Parallel.RangeTask task) {
    /** How many units the product has. */
    public int units() {
        return (rows + rowsPerUnit - 1) / rowsPerUnit;
    }

    /** Computes the outputs of units {@code [from, to)}. */
    public void run(int from, int to) {
        task.run(from, to);
    }

    /** Runs every unit of every product, the products' units spread over the kernel threads together. */
    public static void runAll(RowProduct... products) {
        if (products.length == 1) {
            RowProduct p = products[0];
            Parallel.forRange(p.units(), Parallel.grain(p.workPerUnit()), p.task());
            return;
        }
        int[] start = new int[products.length + 1];
        long work = 0;
        for (int i = 0; i < products.length; i++) {
            start[i + 1] = Math.addExact(start[i], products[i].units());
            work = Math.max(work, products[i].workPerUnit());
        }
        Parallel.forRange(start[products.length], Parallel.grain(work), (from, to) -> {
            for (int i = 0; i < products.length; i++) {
                int a = Math.max(from, start[i]), b = Math.min(to, start[i + 1]);
                if (a < b) products[i].run(a - start[i], b - start[i]);
            }
        });
    }
}
