package dev.tinyforge.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Writes an {@link Example} in another record format. A conversion that would drop something (a
 * multi-turn chat into a single-turn format, an untrained answer, roles a text record never had) is
 * refused with the reason, never done halfway.
 */
public final class RecordConverter {
    /** Why a record cannot be written in the requested format. */
    public static final class ConversionException extends Exception {
        public ConversionException(String message) {
            super(message, null, false, false);
        }
    }

    private RecordConverter() {}

    public static ObjectNode convert(Example example, RecordFormat target) throws ConversionException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (target == RecordFormat.TEXT) {
            if (example.text() == null) {
                throw new ConversionException("this " + example.format() + " record has roles; the text format has none");
            }
            out.put("text", example.text());
        } else if (example.text() != null) {
            throw new ConversionException("a text record has no prompt or roles; it cannot become " + target);
        } else if (target == RecordFormat.MESSAGES) {
            ArrayNode messages = out.putArray("messages");
            for (Message m : example.messages()) {
                ObjectNode node = messages.addObject();
                node.put("role", m.role().id());
                node.put("content", m.content());
                if (m.train() != (m.role() == Role.ASSISTANT)) node.put("train", m.train());
            }
        } else {
            singleTurn(example, target, out);
        }
        if (example.metadata() != null) out.set("metadata", example.metadata());
        return out;
    }

    private static void singleTurn(Example example, RecordFormat target, ObjectNode out) throws ConversionException {
        List<Message> turns = example.messages();
        String system = example.system();
        if (system != null) turns = turns.subList(1, turns.size());
        if (turns.size() != 2 || turns.get(0).role() != Role.USER || turns.get(1).role() != Role.ASSISTANT) {
            throw new ConversionException("the " + target + " format holds one user turn and one assistant turn; "
                    + "this record has " + describe(turns));
        }
        if (turns.get(0).train() || !turns.get(1).train()) {
            throw new ConversionException("the " + target + " format trains on the answer only; "
                    + "this record sets \"train\" otherwise");
        }
        if (system != null) out.put("system", system);
        String user = turns.get(0).content();
        String assistant = turns.get(1).content();
        switch (target) {
            case IO -> {
                out.put("input", user);
                out.put("output", assistant);
            }
            case ALPACA -> {
                out.put("instruction", user);
                out.put("output", assistant);
            }
            case PROMPT_COMPLETION -> {
                out.put("prompt", user);
                out.put("completion", assistant);
            }
            default -> throw new IllegalStateException("not a single-turn format: " + target);
        }
    }

    private static String describe(List<Message> turns) {
        StringBuilder sb = new StringBuilder();
        for (Message m : turns) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(m.role().id());
        }
        return turns.size() + " turns (" + sb + ")";
    }
}
