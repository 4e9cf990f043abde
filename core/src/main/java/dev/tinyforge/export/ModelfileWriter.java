package dev.tinyforge.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.Example;
import dev.tinyforge.data.Message;
import dev.tinyforge.data.Role;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import dev.tinyforge.train.PromptFormat;
import dev.tinyforge.util.BadInputException;
import dev.tinyforge.util.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ollama Modelfiles for an export: {@code FROM} the GGUF (or the base plus {@code ADAPTER}), the
 * {@code TEMPLATE} the run's prompt format becomes in Ollama's template language, a
 * {@code PARAMETER stop} per end-of-turn token, and {@code SYSTEM} when every training example began
 * with the same system prompt. The template is derived by rendering the chat template
 * ({@link TurnFormats}); one that cannot be expressed per turn gets no TEMPLATE and a warning (Ollama
 * then falls back to the GGUF's chat template or its own default).
 */
final class ModelfileWriter {
    /** Text of the families whose templates the derivation is tested on, by a marker each contains. */
    private static final Map<String, String> FAMILIES = Map.of("<|im_start|>", "ChatML/Qwen", "<|start_header_id|>", "Llama 3",
            "<start_of_turn>", "Gemma", "[INST]", "Mistral/Llama 2", "<|user|>", "Phi-3");
    private static final Pattern SPECIAL = Pattern.compile("<\\|[^|<>]*\\|>|<[^<>\\s]{1,40}>|\\[/?[A-Z_]{2,40}\\]|<｜[^｜]*｜>");

    private final String template;
    private final List<String> stops;
    private final String system;
    private final String source;

    private ModelfileWriter(String template, List<String> stops, String system, String source) {
        this.template = template;
        this.stops = stops;
        this.system = system;
        this.source = source;
    }

    static ModelfileWriter of(ModelSource source, Tokenizer tokenizer, Optional<PromptFormat> format, List<String> notes)
            throws IOException {
        String bos = tokenizer.bos() >= 0 ? tokenizer.piece(tokenizer.bos()) : null;
        String eos = tokenizer.eos() >= 0 ? tokenizer.piece(tokenizer.eos()) : null;
        Set<String> stops = new LinkedHashSet<>();
        String goTemplate = null;
        if (format.isEmpty()) {
            notes.add("Modelfile: the model has no chat template and is not a run; no TEMPLATE written (Ollama's default is "
                    + "the bare prompt)");
        } else {
            ChatTemplate chat = switch (format.get()) {
                case PromptFormat.Template t -> t.template();
                case PromptFormat.Plain p -> PlainTemplate.TEMPLATE;
            };
            Optional<TurnFormat> turns = TurnFormats.derive(chat, bos, eos, tokenizer.specialTokens().addBos(), Map.of());
            String family = format.get() instanceof PromptFormat.Plain ? "TinyForge plain" : family(chat.source());
            if (turns.isEmpty()) {
                notes.add("Modelfile: the chat template " + chat.name() + " does not lay conversations out turn by turn "
                        + "(checked by rendering it); no TEMPLATE written, so Ollama uses the GGUF's chat template if it "
                        + "recognises it");
            } else {
                goTemplate = GoTemplate.of(turns.get());
                if (family == null) {
                    notes.add("Modelfile: the chat template is none of the families TinyForge knows (ChatML/Qwen, Llama 3, "
                            + "Gemma, Mistral/Llama 2, Phi-3); its TEMPLATE was derived by rendering it with placeholder "
                            + "messages and checked on 5 conversations");
                }
                for (String piece : specials(turns.get().assistantClose(), tokenizer)) stops.add(piece);
            }
        }
        if (eos != null) stops.add(eos);
        stops.addAll(generationEos(source.tokenizerSource(), tokenizer));
        return new ModelfileWriter(goTemplate, List.copyOf(stops), commonSystem(source, notes),
                source.path().toAbsolutePath().toString());
    }

    /** The Modelfile for the exported GGUF. */
    String forModel(String gguf) {
        return header() + "FROM " + gguf + "\n" + body();
    }

    /** The Modelfile that runs the base with the LoRA adapter on top. */
    String forAdapter(String base, String adapter) {
        return header() + "FROM " + base + "\nADAPTER " + adapter + "\n" + body();
    }

    private String header() {
        return "# Ollama Modelfile written by TinyForge " + Version.get() + " for " + source
                + "\n# ollama create NAME -f THIS_FILE\n";
    }

    private String body() {
        StringBuilder out = new StringBuilder();
        if (template != null) out.append("TEMPLATE \"\"\"").append(quoted(template, "TEMPLATE")).append("\"\"\"\n");
        if (system != null) out.append("SYSTEM \"\"\"").append(quoted(system, "SYSTEM")).append("\"\"\"\n");
        for (String stop : stops) {
            if (stop.contains("\"") || stop.contains("\n")) continue; // not expressible as a quoted parameter
            out.append("PARAMETER stop \"").append(stop).append("\"\n");
        }
        return out.toString();
    }

    private static String quoted(String text, String what) {
        if (text.contains("\"\"\"")) throw new BadInputException("the " + what + " text contains \"\"\", which a Modelfile cannot quote");
        return text;
    }

    /** The family a template belongs to by its markers, or null. */
    static String family(String source) {
        for (var e : FAMILIES.entrySet()) if (source.contains(e.getKey())) return e.getValue();
        return null;
    }

    /** The special tokens written in {@code text} (an assistant turn's end): the end-of-turn markers. */
    static List<String> specials(String text, Tokenizer tokenizer) {
        List<String> out = new ArrayList<>();
        Matcher m = SPECIAL.matcher(text);
        while (m.find()) {
            int id = tokenizer.id(m.group());
            if (id >= 0 && tokenizer.isSpecial(id)) out.add(m.group());
        }
        return out;
    }

    /** The pieces of generation_config.json's eos_token_id (one id or a list; Llama 3.1 lists three). */
    private static List<String> generationEos(Path model, Tokenizer tokenizer) throws IOException {
        Path file = model.resolve("generation_config.json");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(model) || !Files.isRegularFile(file)) return out;
        JsonNode ids = new ObjectMapper().readTree(file.toFile()).get("eos_token_id");
        if (ids == null) return out;
        for (JsonNode id : ids.isArray() ? ids : List.of(ids)) {
            String piece = id.canConvertToInt() ? tokenizer.piece(id.asInt()) : null;
            if (piece != null) out.add(piece);
        }
        return out;
    }

    /** The system prompt every training example starts with, or null when they differ or have none. */
    private static String commonSystem(ModelSource source, List<String> notes) throws IOException {
        if (source.settings().isEmpty()) return null;
        Path data = Path.of(source.settings().get().data());
        if (!Files.isRegularFile(data)) return null;
        Set<String> systems = new LinkedHashSet<>();
        boolean[] without = {false};
        DatasetScanner.scan(data, DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {
            @Override
            public void record(long line, Example example, String text) {
                List<Message> messages = example.messages();
                if (messages == null || messages.isEmpty() || messages.getFirst().role() != Role.SYSTEM) {
                    without[0] = true;
                } else if (systems.size() < 2) {
                    systems.add(messages.getFirst().content());
                }
            }
        });
        if (systems.size() == 1 && !without[0]) return systems.iterator().next();
        if (!systems.isEmpty()) {
            notes.add("Modelfile: training examples use different system prompts (or some none); no SYSTEM written");
        }
        return null;
    }
}
