package dev.tinyforge.tokenizer.template;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed chat template: the Jinja program in a model's {@code tokenizer_config.json} (or GGUF
 * {@code tokenizer.chat_template}) that turns a list of messages into the prompt text.
 *
 * <p>Renders the subset of Jinja that chat templates use, with the semantics HF transformers gives
 * them ({@code trim_blocks}, {@code lstrip_blocks}, loop controls, an immutable sandbox, its
 * {@code tojson}, {@code raise_exception} and {@code strftime_now}). Anything outside that subset is
 * refused with a {@link TemplateException} naming the line, column and construct, never skipped.
 * Templates are untrusted input: every render is bounded by {@link TemplateLimits}.
 *
 * <p>Instances are immutable and thread-safe; parse once, render many times.
 */
public final class ChatTemplate {
    /**
     * The ChatML format ({@code <|im_start|>role\ncontent<|im_end|>\n}), HF's historical default, for
     * models that ship no template.
     */
    public static final ChatTemplate CHATML = parse(
            "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
                    + " + '<|im_end|>' + '\\n'}}{% endfor %}"
                    + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
            "chatml");

    private static final Set<String> STANDARD_VARIABLES = Set.of("messages", "add_generation_prompt", "bos_token",
            "eos_token");
    /** Text that no real system prompt contains, used to see whether a template prints the system message. */
    private static final String SYSTEM_NEEDLE = "<tinyforge system-role probe 7f3a>";

    private final String source;
    private final String name;
    private final List<Node> body;
    private final TemplateLimits limits;
    private final Clock clock;
    private volatile Boolean supportsSystemRole;

    private ChatTemplate(String source, String name, List<Node> body, TemplateLimits limits, Clock clock) {
        this.source = source;
        this.name = name;
        this.body = body;
        this.limits = limits;
        this.clock = clock;
    }

    /** Parses {@code source}; errors are reported against the name "chat template". */
    public static ChatTemplate parse(String source) {
        return parse(source, "chat template");
    }

    /** Parses {@code source}; {@code name} (e.g. the file it came from) starts every error message. */
    public static ChatTemplate parse(String source, String name) {
        return parse(source, name, TemplateLimits.DEFAULT);
    }

    /**
     * Parses {@code source} under {@code limits}.
     *
     * @throws TemplateException on a syntax error, an unsupported tag, or a template over the size or nesting limits
     */
    public static ChatTemplate parse(String source, String name, TemplateLimits limits) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
        return new ChatTemplate(source, name, Parser.parse(source, name, limits), limits, Clock.systemDefaultZone());
    }

    /** The same template with {@code strftime_now()} reading {@code clock} (a fixed clock makes renders reproducible). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(source, name, body, limits, Objects.requireNonNull(clock, "clock"));
    }

    /** The same template rendering under other limits (parse-time limits were checked already). */
    public ChatTemplate withLimits(TemplateLimits limits) {
        return new ChatTemplate(source, name, body, Objects.requireNonNull(limits, "limits"), clock);
    }

    public String source() {
        return source;
    }

    public String name() {
        return name;
    }

    /**
     * Renders a conversation the way llama.cpp's server does, which for these variables is also HF's
     * {@code apply_chat_template}: {@code messages}, {@code bos_token}, {@code eos_token}, plus
     * {@code add_generation_prompt}, which is set only when true and left undefined otherwise
     * (llama.cpp's behaviour; templates treat both alike unless they test {@code is defined}).
     *
     * @param messages            the conversation; each a map with at least "role" and "content"
     * @param addGenerationPrompt end with the header of an assistant turn, ready for generation
     * @param bosToken            the tokenizer's BOS text, or null to leave it undefined
     * @param eosToken            the tokenizer's EOS text, or null to leave it undefined
     * @param extraVariables      more variables ({@code tools}, {@code enable_thinking}, {@code date_string} ...);
     *                            may not redefine the four above
     * @throws TemplateException        when the template fails, including its own {@code raise_exception}
     * @throws IllegalArgumentException when a variable holds a Java type templates cannot see
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, String bosToken,
                         String eosToken, Map<String, ?> extraVariables) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (extraVariables != null) {
            for (Map.Entry<String, ?> e : extraVariables.entrySet()) {
                if (STANDARD_VARIABLES.contains(e.getKey())) {
                    throw new IllegalArgumentException("extra variable '" + e.getKey() + "' would redefine a render argument");
                }
                vars.put(e.getKey(), e.getValue());
            }
        }
        vars.put("messages", Objects.requireNonNull(messages, "messages"));
        if (bosToken != null) vars.put("bos_token", bosToken);
        if (eosToken != null) vars.put("eos_token", eosToken);
        if (addGenerationPrompt) vars.put("add_generation_prompt", true);
        return render(vars);
    }

    /**
     * Renders with exactly {@code variables} (converted from String, Number, Boolean, null, Map, List),
     * for callers that need HF's convention ({@code add_generation_prompt=False} defined) or more control.
     */
    public String render(Map<String, ?> variables) {
        Budget budget = new Budget(limits);
        Scope scope = new Scope(Globals.scope(budget, clock));
        for (Map.Entry<String, ?> e : variables.entrySet()) scope.set(e.getKey(), Values.fromJava(e.getValue()));
        try {
            return new Interpreter(name, budget).render(body, scope);
        } catch (StackOverflowError e) {
            // The nesting and call-depth limits should prevent this; the stack size is the JVM's to choose.
            throw new TemplateException(TemplateException.Kind.LIMIT, name, 0, 0,
                    "template recursion exhausted the Java stack");
        }
    }

    /**
     * Whether the template prints a system message's content. Found the way llama.cpp finds it: render
     * a system message holding a marker plus one user message, and look for the marker; a template that
     * raises (gemma-2: "System role not supported") does not support the role.
     */
    public boolean supportsSystemRole() {
        Boolean known = supportsSystemRole;
        if (known == null) {
            List<Map<String, String>> probe = List.of(Map.of("role", "system", "content", SYSTEM_NEEDLE),
                    Map.of("role", "user", "content", "Hello"));
            try {
                known = render(probe, false, "", "", Map.of()).contains(SYSTEM_NEEDLE);
            } catch (TemplateException e) {
                known = false;
            }
            supportsSystemRole = known;
        }
        return known;
    }

    /**
     * The messages to render with this template, as llama.cpp prepares them: unchanged when the template
     * supports a system role, otherwise with system messages merged into the following user message
     * (see {@link SystemRole#mergeIntoUser}).
     */
    public List<Map<String, Object>> adaptMessages(List<? extends Map<String, ?>> messages) {
        if (!supportsSystemRole()) return SystemRole.mergeIntoUser(messages);
        List<Map<String, Object>> copy = new ArrayList<>(messages.size());
        for (Map<String, ?> m : messages) copy.add(new LinkedHashMap<>(m));
        return copy;
    }

    /**
     * llama.cpp's prompt when the vocabulary adds BOS itself: a leading {@code bosToken} is removed so
     * the model does not see two. Unchanged when {@code bosToken} is null or empty or not at the start.
     */
    public static String stripLeadingBos(String prompt, String bosToken) {
        if (bosToken == null || bosToken.isEmpty() || !prompt.startsWith(bosToken)) return prompt;
        return prompt.substring(bosToken.length());
    }

    @Override
    public String toString() {
        return "ChatTemplate[" + name + ", " + source.length() + " chars]";
    }
}
