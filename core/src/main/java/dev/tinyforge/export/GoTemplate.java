package dev.tinyforge.export;

/**
 * A {@link TurnFormat} in Ollama's template language (Go's text/template over {@code .System} and
 * {@code .Messages}). The template is one line of actions around literal text, with no {@code {{-}}
 * trimming, so every character of the literal text, newlines included, reaches the prompt as the
 * chat template would write it. System messages in {@code .Messages} are skipped: Ollama hands the
 * system prompt over as {@code .System}. An assistant message that ends the conversation is left open
 * (Ollama continues it), every other turn is closed.
 */
final class GoTemplate {
    private GoTemplate() {}

    static String of(TurnFormat f) {
        StringBuilder t = new StringBuilder(literal(f.lead()));
        switch (f.system()) {
            case SEPARATE -> t.append("{{ if .System }}").append(literal(f.systemOpen())).append("{{ .System }}")
                    .append(literal(f.systemClose())).append("{{ end }}");
            case ALWAYS -> t.append(literal(f.systemOpen())).append("{{ if .System }}{{ .System }}{{ else }}")
                    .append(literal(f.defaultSystem())).append("{{ end }}").append(literal(f.systemClose()));
            case MERGED_FIRST, MERGED_LAST -> t.append("{{ $system := .System }}");
            case NONE -> {}
        }
        if (f.system() == TurnFormat.SystemStyle.MERGED_LAST) {
            t.append("{{ $lastUser := -1 }}{{ range $i, $m := .Messages }}{{ if eq $m.Role \"user\" }}{{ $lastUser = $i }}")
                    .append("{{ end }}{{ end }}");
        }
        boolean firstDiffers = !f.firstUserOpen().equals(f.userOpen());
        if (firstDiffers) t.append("{{ $started := false }}");
        t.append("{{ range $i, $_ := .Messages }}{{ $last := eq (len (slice $.Messages $i)) 1 }}");
        t.append("{{ if eq .Role \"user\" }}");
        if (firstDiffers) {
            t.append("{{ if $started }}").append(literal(f.userOpen())).append("{{ else }}").append(literal(f.firstUserOpen()))
                    .append("{{ end }}{{ $started = true }}");
        } else {
            t.append(literal(f.userOpen()));
        }
        switch (f.system()) {
            case MERGED_FIRST -> t.append("{{ if $system }}").append(literal(f.systemOpen())).append("{{ $system }}")
                    .append(literal(f.systemClose())).append("{{ $system = \"\" }}{{ end }}");
            case MERGED_LAST -> t.append("{{ if and $system (eq $i $lastUser) }}").append(literal(f.systemOpen()))
                    .append("{{ $system }}").append(literal(f.systemClose())).append("{{ end }}");
            default -> {}
        }
        t.append("{{ .Content }}").append(literal(f.userClose()));
        if (!f.generationPrompt().isEmpty()) t.append("{{ if $last }}").append(literal(f.generationPrompt())).append("{{ end }}");
        t.append("{{ else if eq .Role \"assistant\" }}").append(literal(f.assistantOpen())).append("{{ .Content }}");
        if (!f.assistantClose().isEmpty()) t.append("{{ if not $last }}").append(literal(f.assistantClose())).append("{{ end }}");
        t.append("{{ end }}{{ end }}");
        return t.toString();
    }

    /** Literal text: Go templates have no escape for "{{" in text, so it is printed by an action instead. */
    static String literal(String text) {
        return text.replace("{{", "{{ \"{{\" }}");
    }
}
