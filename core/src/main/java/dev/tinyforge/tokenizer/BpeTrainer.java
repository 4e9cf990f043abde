package dev.tinyforge.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns byte-level BPE merges from a corpus, the way GPT-2's tokenizer was made: split the text
 * into words with GPT-2's pattern, start from one symbol per byte, and repeatedly merge the most
 * frequent adjacent pair. Ties go to the pair that sorts first, so the same corpus always gives
 * the same merges. For models trained from scratch on a task's own data (the quickstart), where a
 * word-sized vocabulary makes sequences several times shorter and copying words easier to learn.
 */
public final class BpeTrainer {
    /** GPT-2's pre-tokenizer pattern: what a ByteLevel pre-tokenizer with use_regex splits on. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    /** A learned merge: two symbols (in GPT-2's byte-to-character form) that become one. */
    public record Merge(String left, String right) {
        public String merged() {
            return left + right;
        }
    }

    private BpeTrainer() {}

    /**
     * Learns up to {@code maxMerges} merges, each of a pair seen at least {@code minCount} times;
     * every merge makes a new token.
     *
     * @return the merges in the order they were learned (the order a BPE model applies them)
     */
    public static List<Merge> train(Iterable<String> texts, int maxMerges, int minCount) {
        if (maxMerges < 0 || minCount < 1) throw new IllegalArgumentException("maxMerges >= 0 and minCount >= 1");
        Map<String, Integer> wordCounts = new HashMap<>();
        for (String text : texts) {
            Matcher m = WORDS.matcher(text);
            while (m.find()) wordCounts.merge(ByteLevel.encode(m.group()), 1, Integer::sum);
        }
        // Words sorted so that the symbol ids, and with them every tie-break, do not depend on hashing.
        Map<String, Integer> symbolIds = new HashMap<>();
        List<String> symbols = new ArrayList<>();
        List<int[]> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (var e : new TreeMap<>(wordCounts).entrySet()) {
            String word = e.getKey();
            int[] ids = new int[word.length()];
            for (int i = 0; i < word.length(); i++) ids[i] = symbolId(String.valueOf(word.charAt(i)), symbolIds, symbols);
            words.add(ids);
            counts.add(e.getValue());
        }
        List<Merge> merges = new ArrayList<>();
        // A pair whose merged string is already a symbol ("ab"+"c" after "a"+"bc") would give two merges
        // one token; it is skipped so that every merge adds exactly one vocabulary entry.
        java.util.Set<Long> skipped = new java.util.HashSet<>();
        while (merges.size() < maxMerges) {
            Map<Long, Integer> pairCounts = new LinkedHashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] ids = words.get(w);
                for (int i = 0; i + 1 < ids.length; i++) pairCounts.merge(pair(ids[i], ids[i + 1]), counts.get(w), Integer::sum);
            }
            long best = -1;
            int bestCount = 0;
            for (var e : pairCounts.entrySet()) {
                if (skipped.contains(e.getKey())) continue;
                int c = e.getValue();
                if (c > bestCount || c == bestCount && sortsBefore(e.getKey(), best, symbols)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best < 0 || bestCount < minCount) break;
            int left = (int) (best >>> 32), right = (int) best;
            Merge merge = new Merge(symbols.get(left), symbols.get(right));
            if (symbolIds.containsKey(merge.merged())) {
                skipped.add(best);
                continue;
            }
            int merged = symbolId(merge.merged(), symbolIds, symbols);
            merges.add(merge);
            for (int w = 0; w < words.size(); w++) words.set(w, apply(words.get(w), left, right, merged));
        }
        return merges;
    }

    /** The corpus size in UTF-8 bytes, for reporting how much a vocabulary shortens it. */
    public static long bytes(Iterable<String> texts) {
        long n = 0;
        for (String t : texts) n += t.getBytes(StandardCharsets.UTF_8).length;
        return n;
    }

    private static int symbolId(String symbol, Map<String, Integer> ids, List<String> symbols) {
        return ids.computeIfAbsent(symbol, s -> {
            symbols.add(s);
            return symbols.size() - 1;
        });
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static boolean sortsBefore(long candidate, long best, List<String> symbols) {
        if (best < 0) return true;
        int c = symbols.get((int) (candidate >>> 32)).compareTo(symbols.get((int) (best >>> 32)));
        if (c != 0) return c < 0;
        return symbols.get((int) candidate).compareTo(symbols.get((int) best)) < 0;
    }

    private static int[] apply(int[] ids, int left, int right, int merged) {
        int n = 0;
        int[] out = null;
        for (int i = 0; i < ids.length; i++) {
            if (i + 1 < ids.length && ids[i] == left && ids[i + 1] == right) {
                if (out == null) out = java.util.Arrays.copyOf(ids, ids.length);
                out[n++] = merged;
                i++;
            } else if (out != null) {
                out[n++] = ids[i];
            } else {
                n++;
            }
        }
        return out == null ? ids : java.util.Arrays.copyOf(out, n);
    }
}
