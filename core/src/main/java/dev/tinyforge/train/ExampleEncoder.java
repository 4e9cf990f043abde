package dev.tinyforge.train;

import dev.tinyforge.data.Example;
import dev.tinyforge.data.Message;
import dev.tinyforge.data.Role;
import dev.tinyforge.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns examples into token sequences with loss masks: the text is rendered by the prompt format,
 * tokenized in segments cut at the trained spans (so an answer's tokens are exactly those the model
 * will generate after the prompt), EOS appended where the format needs it, BOS never doubled.
 */
public final class ExampleEncoder {
    private final Tokenizer tokenizer;
    private final PromptFormat format;
    private final int maxLength;
    private final boolean trainOnInputs;

    /**
     * @param trainOnInputs put the prompt tokens in the loss too (all but the first token)
     */
    public ExampleEncoder(Tokenizer tokenizer, PromptFormat format, int maxLength, boolean trainOnInputs) {
        if (maxLength < 2) throw new IllegalArgumentException("max length must be at least 2");
        this.tokenizer = tokenizer;
        this.format = format;
        this.maxLength = maxLength;
        this.trainOnInputs = trainOnInputs;
    }

    public TokenizedExample encode(Example example) {
        if (example.text() != null) {
            int[] ids = tokenizer.encode(example.text(), true, false);
            if (tokenizer.eos() >= 0) ids = append(ids, tokenizer.eos());
            boolean[] target = new boolean[ids.length];
            Arrays.fill(target, 1, target.length, true);
            return truncate(ids, target);
        }
        List<Message> messages = example.messages();
        PromptFormat.Rendered rendered = format.render(messages);
        String text = rendered.text();
        String bosPiece = tokenizer.bos() >= 0 ? tokenizer.piece(tokenizer.bos()) : null;
        // A template that writes BOS itself must not get a second one from the tokenizer.
        boolean addSpecial = bosPiece == null || !text.startsWith(bosPiece);
        IntList ids = new IntList();
        BoolList target = new BoolList();
        int at = 0;
        boolean first = true;
        for (int[] span : rendered.trainedSpans()) {
            if (span[0] > at) {
                add(ids, target, encode(text.substring(at, span[0]), first && addSpecial), trainOnInputs);
                first = false;
            }
            add(ids, target, encode(text.substring(span[0], span[1]), first && addSpecial), true);
            first = false;
            if (format.appendsEos() && tokenizer.eos() >= 0) add(ids, target, new int[] {tokenizer.eos()}, true);
            at = span[1];
        }
        if (at < text.length()) add(ids, target, encode(text.substring(at), first && addSpecial), trainOnInputs);
        boolean[] mask = target.toArray();
        if (mask.length > 0) mask[0] = false; // nothing predicts the first token
        return truncate(ids.toArray(), mask);
    }

    private int[] encode(String text, boolean addSpecial) {
        int[] ids = tokenizer.encode(text, addSpecial, true);
        // encode(addSpecial) may add EOS too; the formats place EOS themselves.
        if (addSpecial && tokenizer.specialTokens().addEos() && ids.length > 0 && ids[ids.length - 1] == tokenizer.eos()) {
            ids = Arrays.copyOf(ids, ids.length - 1);
        }
        return ids;
    }

    private TokenizedExample truncate(int[] ids, boolean[] target) {
        if (ids.length <= maxLength) return new TokenizedExample(ids, target, false);
        return new TokenizedExample(Arrays.copyOf(ids, maxLength), Arrays.copyOf(target, maxLength), true);
    }

    private static void add(IntList ids, BoolList target, int[] tokens, boolean trained) {
        for (int t : tokens) {
            ids.add(t);
            target.add(trained);
        }
    }

    private static int[] append(int[] ids, int id) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = id;
        return out;
    }

    /** The messages before the last assistant turn: what a prediction is asked from. */
    public static List<Message> promptMessages(Example example) {
        List<Message> messages = new ArrayList<>(example.messages());
        while (!messages.isEmpty() && messages.getLast().role() == Role.ASSISTANT) messages.removeLast();
        return messages;
    }

    private static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class BoolList {
        private boolean[] a = new boolean[64];
        private int n;

        void add(boolean v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        boolean[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
