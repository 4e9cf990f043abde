package dev.tinyforge.export;

import dev.tinyforge.tokenizer.template.ChatTemplate;

/**
 * TinyForge's plain prompt format ({@link dev.tinyforge.train.PromptFormat.Plain}) written as a Jinja
 * chat template, so that a GGUF of a run trained without a chat template still tells llama.cpp (and
 * a Modelfile) how its conversations look: the system text and a blank line, each user turn and a
 * newline, each answer and EOS.
 */
public final class PlainTemplate {
    public static final String SOURCE = "{%- for message in messages -%}"
            + "{%- if message['role'] == 'system' -%}{{ message['content'] + '\\n\\n' }}"
            + "{%- elif message['role'] == 'user' -%}{{ message['content'] + '\\n' }}"
            + "{%- elif message['role'] == 'assistant' -%}{{ message['content'] + eos_token }}"
            + "{%- endif -%}"
            + "{%- endfor -%}";

    public static final ChatTemplate TEMPLATE = ChatTemplate.parse(SOURCE, "TinyForge plain format");

    private PlainTemplate() {}
}
