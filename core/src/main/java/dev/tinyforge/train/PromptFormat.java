package dev.tinyforge.train;

import dev.tinyforge.data.Message;
import dev.tinyforge.data.Role;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a conversation becomes text for training and for prediction. Either the model's chat
 * template, or for base models a plain format: the system text and a blank line, each user turn
 * followed by a newline, each assistant turn followed by EOS. Both mark where each assistant turn
 * starts and ends, so the loss can cover exactly the answers.
 */
public sealed interface PromptFormat {
    /** The text of a whole conversation, and the character spans of its trained assistant turns. */
    record Rendered(String text, List<int[]> trainedSpans) {}

    /** Renders the messages; the spans are [start, end) character offsets into the text. */
    Rendered render(List<Message> messages);

    /** The prompt for predicting the next assistant turn after these messages. */
    String promptFor(List<Message> messages);

    /** Whether an EOS token must be appended after each assistant span (the text has no end marker). */
    boolean appendsEos();

    /** The plain format for base models. */
    record Plain() implements PromptFormat {
        @Override
        public Rendered render(List<Message> messages) {
            StringBuilder text = new StringBuilder();
            List<int[]> spans = new ArrayList<>();
            for (Message m : messages) {
                switch (m.role()) {
                    case SYSTEM -> text.append(m.content()).append("\n\n");
                    case USER -> text.append(m.content()).append('\n');
                    case ASSISTANT -> {
                        int start = text.length();
                        text.append(m.content());
                        if (m.train()) spans.add(new int[] {start, text.length()});
                    }
                }
            }
            return new Rendered(text.toString(), spans);
        }

        @Override
        public String promptFor(List<Message> messages) {
            return render(messages).text();
        }

        @Override
        public boolean appendsEos() {
            return true;
        }
    }

    /**
     * A Jinja chat template. Each assistant turn's span runs from the end of the prompt that asks
     * for it (rendered with add_generation_prompt) to the end of the conversation rendered up to
     * and including it, so the answer's own end-of-turn marker is trained on.
     */
    record Template(ChatTemplate template, String bos, String eos) implements PromptFormat {
        @Override
        public Rendered render(List<Message> messages) {
            String full = template.render(maps(messages), false, bos, eos, Map.of());
            List<int[]> spans = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                if (m.role() != Role.ASSISTANT || !m.train()) continue;
                String before = template.render(maps(messages.subList(0, i)), true, bos, eos, Map.of());
                String through = template.render(maps(messages.subList(0, i + 1)), false, bos, eos, Map.of());
                if (!full.startsWith(before) || !full.startsWith(through) || through.length() < before.length()) {
                    throw new dev.tinyforge.util.BadInputException("chat template " + template.name()
                            + " does not render a conversation's turns as prefixes of the whole; cannot place the loss mask");
                }
                spans.add(new int[] {before.length(), through.length()});
            }
            return new Rendered(full, spans);
        }

        @Override
        public String promptFor(List<Message> messages) {
            return template.render(maps(messages), true, bos, eos, Map.of());
        }

        @Override
        public boolean appendsEos() {
            return false;
        }

        private static List<Map<String, Object>> maps(List<Message> messages) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Message m : messages) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("role", m.role().id());
                map.put("content", m.content());
                out.add(map);
            }
            return out;
        }
    }
}
