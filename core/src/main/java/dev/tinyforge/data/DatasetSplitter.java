package dev.tinyforge.data;

import dev.tinyforge.util.AtomicFiles;
import dev.tinyforge.util.BadInputException;
import dev.tinyforge.util.Hashing;
import dev.tinyforge.util.LongIntHashMap;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Splits a dataset into train/val/test files, deterministically by seed. Records whose inputs are
 * equal after whitespace normalisation form one group and land in one split, so the held-out
 * figures never reward memorising an input seen in training. Two streaming passes: count the
 * groups, then write each line where its group went.
 */
public final class DatasetSplitter {
    public static final List<String> SPLIT_NAMES = List.of("train", "val", "test");

    /** @param ratios two (train, val) or three (train, val, test) shares that sum to 1 */
    public record Options(double[] ratios, long seed, DatasetScanner.Options scan, boolean skipBadLines) {
        public Options {
            ratios = ratios.clone();
            if (ratios.length < 2 || ratios.length > 3) {
                throw new BadInputException("--ratios needs 2 or 3 values (train,val[,test]), got " + ratios.length);
            }
            double sum = 0;
            for (double r : ratios) {
                if (!(r >= 0 && r <= 1)) throw new BadInputException("--ratios: each value must be within 0..1, got " + r);
                sum += r;
            }
            if (Math.abs(sum - 1) > 1e-6) {
                throw new BadInputException(String.format(Locale.ROOT, "--ratios must sum to 1, they sum to %.6g", sum));
            }
        }

        public static double[] parseRatios(String text) {
            String[] parts = text.split(",");
            double[] ratios = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    ratios[i] = Double.parseDouble(parts[i].strip());
                } catch (NumberFormatException e) {
                    throw new BadInputException("--ratios: '" + parts[i].strip() + "' is not a number");
                }
            }
            return ratios;
        }
    }

    /** Records and distinct inputs per split, in {@link #SPLIT_NAMES} order. */
    public record Result(long[] records, long[] groups, List<Path> files, DatasetScanner.Summary scan) {
        public long total() {
            return Arrays.stream(records).sum();
        }
    }

    private DatasetSplitter() {}

    public static Result split(Path input, Path outDir, Options options, DatasetScanner.Listener problems) throws IOException {
        LongIntHashMap groupSizes = new LongIntHashMap();
        long[] badLines = {0};
        DatasetScanner.Summary scan = DatasetScanner.scan(input, options.scan(), new DatasetScanner.Listener() {
            @Override
            public void record(long line, Example example, String text) {
                groupSizes.add(groupKey(example), 1);
            }

            @Override
            public void badLine(long line, String reason) {
                badLines[0]++;
                problems.badLine(line, reason);
            }

            @Override
            public void warning(long line, String message) {
                problems.warning(line, message);
            }
        });
        if (badLines[0] > 0 && !options.skipBadLines()) {
            throw new BadInputException(input + ": " + badLines[0] + " bad line" + (badLines[0] == 1 ? "" : "s")
                    + "; fix them or pass --allow-errors to leave them out");
        }
        if (scan.records() == 0) throw new BadInputException(input + ": no records to split");

        LongIntHashMap splitOf = assign(groupSizes, scan.records(), options);
        int splits = options.ratios().length;
        long[] records = new long[splits];
        long[] groups = new long[splits];
        splitOf.forEach((key, split) -> groups[split]++);
        Path[] files = new Path[splits];
        for (int i = 0; i < splits; i++) files[i] = outDir.resolve(SPLIT_NAMES.get(i) + ".jsonl");
        try (AtomicFiles.Batch batch = new AtomicFiles.Batch()) {
            OutputStream[] outs = new OutputStream[splits];
            for (int i = 0; i < splits; i++) outs[i] = batch.open(files[i]);
            try {
                DatasetScanner.scan(input, new DatasetScanner.Options(scan.format(), options.scan().maxLineBytes()),
                        new DatasetScanner.Listener() {
                            @Override
                            public void record(long line, Example example, String text) {
                                int split = splitOf.get(groupKey(example), -1);
                                records[split]++;
                                try {
                                    outs[split].write(text.getBytes(StandardCharsets.UTF_8));
                                    outs[split].write('\n');
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }
                        });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                for (OutputStream out : outs) out.close();
            }
            batch.commit();
        }
        return new Result(records, groups, List.of(files), scan);
    }

    private static long groupKey(Example example) {
        return Hashing.hash(example.normalizedInput(), 0x5eed);
    }

    /**
     * Orders the groups by a seeded hash (a shuffle that does not depend on file order) and deals
     * them out until each split holds its share of records.
     */
    private static LongIntHashMap assign(LongIntHashMap groupSizes, long total, Options options) {
        long[] keys = new long[groupSizes.size()];
        int[] next = {0};
        groupSizes.forEach((key, size) -> keys[next[0]++] = key);
        long seedMix = Hashing.mix(options.seed() ^ 0x7f4a7c15L);
        long[] order = new long[keys.length];
        for (int i = 0; i < keys.length; i++) order[i] = Hashing.mix(keys[i] ^ seedMix);
        Integer[] index = new Integer[keys.length];
        for (int i = 0; i < index.length; i++) index[i] = i;
        Arrays.sort(index, (a, b) -> order[a] != order[b] ? Long.compare(order[a], order[b]) : Long.compare(keys[a], keys[b]));

        double[] ratios = options.ratios();
        long[] boundaries = new long[ratios.length];
        double cumulative = 0;
        for (int i = 0; i < ratios.length; i++) {
            cumulative += ratios[i];
            boundaries[i] = i == ratios.length - 1 ? total : Math.round(total * cumulative);
        }
        LongIntHashMap splitOf = new LongIntHashMap(keys.length);
        long placed = 0;
        for (int i : index) {
            int split = 0;
            while (split < boundaries.length - 1 && placed >= boundaries[split]) split++;
            splitOf.putIfAbsent(keys[i], split, -1);
            placed += groupSizes.get(keys[i], 0);
        }
        return splitOf;
    }
}
