package dev.tinyforge.export;

import dev.tinyforge.tokenizer.template.ChatTemplate;
import dev.tinyforge.tokenizer.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@link TurnFormat} of a chat template by rendering it, not by recognising its text: a
 * few conversations of placeholder messages show what comes before, between and after the turns,
 * and where a system prompt lands. The result is then checked on real-looking conversations (one to
 * five turns, with and without a system prompt): a template whose output the layout does not
 * reproduce exactly (one that rewrites earlier turns, say) gets no derivation rather than a wrong one.
 * Messages are prepared as llama.cpp prepares them ({@link ChatTemplate#adaptMessages}).
 */
final class TurnFormats {
    private static final String SYSTEM = "TFSYSTEMX0", USER1 = "TFUSERX1", ASSISTANT1 = "TFASSISTANTX1", USER2 = "TFUSERX2";
    /** Special-token-like text ({@code <|eot_id|>}, {@code <end_of_turn>}, {@code </s>}, {@code [INST]}) is never split. */
    private static final Pattern ATOMIC = Pattern.compile("<\\|[^|<>]*\\|>|<[^<>\\s]{1,40}>|\\[/?[A-Z_]{2,40}\\]|<｜[^｜]*｜>");

    private TurnFormats() {}

    /**
     * @param addsBos whether the tokenizer puts BOS in front itself (a leading BOS in the template is then dropped)
     * @param vars    extra template variables (none for how TinyForge trains; llama.cpp's date and flags to match it)
     * @return the layout, or empty when the template's output is not a per-turn layout
     */
    static Optional<TurnFormat> derive(ChatTemplate template, String bos, String eos, boolean addsBos, Map<String, ?> vars) {
        try {
            return Optional.ofNullable(deriveOrNull(template, bos, eos, addsBos, vars));
        } catch (TemplateException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static TurnFormat deriveOrNull(ChatTemplate template, String bos, String eos, boolean addsBos, Map<String, ?> vars) {
        Renderer r = new Renderer(template, bos, eos, vars);
        String uau = r.render(List.of(user(USER1), assistant(ASSISTANT1), user(USER2)), true);
        int[] at = positions(uau, USER1, ASSISTANT1, USER2);
        if (at == null) return null;
        String head = uau.substring(0, at[0]);
        String afterUser = uau.substring(at[0] + USER1.length(), at[1]);
        String afterAssistant = uau.substring(at[1] + ASSISTANT1.length(), at[2]);
        String tail = uau.substring(at[2] + USER2.length());

        String ua = r.render(List.of(user(USER1), assistant(ASSISTANT1)), false);
        int a1 = ua.indexOf(ASSISTANT1);
        if (a1 < 0 || !ua.startsWith(head + USER1)) return null;
        String assistantEnd = ua.substring(a1 + ASSISTANT1.length());

        int userCloseLength = atomicPrefix(afterUser, tail);
        String userClose = afterUser.substring(0, userCloseLength);
        String assistantOpen = afterUser.substring(userCloseLength);
        String generationPrompt = tail.substring(userCloseLength);

        // The assistant's closing text is what its end and the next user turn share; the rest opens the user turn.
        String userOpen = null, assistantClose = null;
        for (int k = atomicPrefix(assistantEnd, afterAssistant); k >= 0; k--) {
            if (splitsAtom(afterAssistant, k)) continue;
            if (head.endsWith(afterAssistant.substring(k))) {
                assistantClose = afterAssistant.substring(0, k);
                userOpen = afterAssistant.substring(k);
                break;
            }
        }
        if (userOpen == null) return null;
        String lead = head.substring(0, head.length() - userOpen.length());

        String su = r.render(List.of(system(SYSTEM), user(USER1)), true);
        TurnFormat.SystemStyle style;
        String systemOpen = "", systemClose = "", defaultSystem = "";
        int s = su.indexOf(SYSTEM), u = su.indexOf(USER1);
        if (s < 0) {
            style = TurnFormat.SystemStyle.NONE;
        } else {
            if (u < s || !su.substring(u + USER1.length()).equals(tail)) return null;
            String before = su.substring(0, s), between = su.substring(s + SYSTEM.length(), u);
            boolean insideUserTurn = !head.isEmpty() && before.startsWith(head);
            if (between.endsWith(userOpen) && !insideUserTurn) {
                systemClose = between.substring(0, between.length() - userOpen.length());
                int c = commonPrefix(lead, before);
                while (c > 0 && (splitsAtom(lead, c) || splitsAtom(before, c))) c--;
                String rest = lead.substring(c);
                systemOpen = before.substring(c);
                lead = lead.substring(0, c);
                if (rest.isEmpty()) {
                    style = TurnFormat.SystemStyle.SEPARATE;
                } else if (rest.startsWith(systemOpen) && rest.endsWith(systemClose)
                        && rest.length() >= systemOpen.length() + systemClose.length()) {
                    style = TurnFormat.SystemStyle.ALWAYS;
                    defaultSystem = rest.substring(systemOpen.length(), rest.length() - systemClose.length());
                } else {
                    return null;
                }
            } else if (insideUserTurn) {
                systemOpen = before.substring(head.length());
                systemClose = between;
                String suau = r.render(List.of(system(SYSTEM), user(USER1), assistant(ASSISTANT1), user(USER2)), true);
                int[] order = positions(suau, USER1, ASSISTANT1, USER2);
                int sys = suau.indexOf(SYSTEM);
                if (order == null || sys < 0) return null;
                style = sys < order[0] ? TurnFormat.SystemStyle.MERGED_FIRST : TurnFormat.SystemStyle.MERGED_LAST;
            } else {
                return null;
            }
        }
        String firstUserOpen = userOpen;
        if (addsBos && bos != null && !bos.isEmpty()) {
            if (lead.startsWith(bos)) {
                lead = lead.substring(bos.length());
            } else if (lead.isEmpty() && style != TurnFormat.SystemStyle.ALWAYS && style != TurnFormat.SystemStyle.SEPARATE
                    && userOpen.startsWith(bos)) {
                firstUserOpen = userOpen.substring(bos.length());
            }
        }
        TurnFormat format = new TurnFormat(lead, style, systemOpen, systemClose, defaultSystem, userOpen, firstUserOpen,
                userClose, generationPrompt, assistantOpen, assistantClose);
        return reproduces(format, r, bos, addsBos) ? format : null;
    }

    /** Whether the layout renders real-looking conversations exactly as the template does. */
    private static boolean reproduces(TurnFormat format, Renderer r, String bos, boolean addsBos) {
        String system = "You answer in one short sentence.\nBe kind.";
        List<List<TurnFormat.Turn>> conversations = List.of(
                List.of(new TurnFormat.Turn("user", "What is the capital of France?")),
                List.of(new TurnFormat.Turn("user", "Hi!\nHow are you?"), new TurnFormat.Turn("assistant", "Fine, thanks.\nAnd you?"),
                        new TurnFormat.Turn("user", "Good.")),
                List.of(new TurnFormat.Turn("user", "One"), new TurnFormat.Turn("assistant", "Two"),
                        new TurnFormat.Turn("user", "Three"), new TurnFormat.Turn("assistant", "Four"),
                        new TurnFormat.Turn("user", "Five")));
        for (List<TurnFormat.Turn> turns : conversations) {
            for (boolean withSystem : new boolean[] {false, true}) {
                if (withSystem && format.system() == TurnFormat.SystemStyle.NONE) continue;
                List<Map<String, Object>> messages = new ArrayList<>();
                if (withSystem) messages.add(system(system));
                for (TurnFormat.Turn t : turns) messages.add(t.role().equals("user") ? user(t.content()) : assistant(t.content()));
                String expected = r.render(messages, true);
                if (addsBos) expected = ChatTemplate.stripLeadingBos(expected, bos);
                if (!expected.equals(format.render(withSystem ? system : "", turns))) return false;
            }
        }
        return true;
    }

    /** Renders conversations through the chat template as llama.cpp prepares them. */
    private record Renderer(ChatTemplate template, String bos, String eos, Map<String, ?> vars) {
        String render(List<Map<String, Object>> messages, boolean generationPrompt) {
            return template.render(template.adaptMessages(messages), generationPrompt, bos, eos, vars);
        }
    }

    /** Where each needle occurs, once each and in order; null otherwise. */
    private static int[] positions(String text, String... needles) {
        int[] at = new int[needles.length];
        int from = 0;
        for (int i = 0; i < needles.length; i++) {
            at[i] = text.indexOf(needles[i], from);
            if (at[i] < 0 || text.indexOf(needles[i], at[i] + 1) >= 0) return null;
            from = at[i] + needles[i].length();
        }
        return at;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length()), i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) i++;
        return i;
    }

    /** The longest common prefix of a and b that does not end inside a special-token-like piece of either. */
    private static int atomicPrefix(String a, String b) {
        int k = commonPrefix(a, b);
        while (k > 0 && (splitsAtom(a, k) || splitsAtom(b, k))) k--;
        return k;
    }

    /** Whether position k falls strictly inside a special-token-like piece of text. */
    static boolean splitsAtom(String text, int k) {
        Matcher m = ATOMIC.matcher(text);
        while (m.find()) {
            if (m.start() < k && k < m.end()) return true;
            if (m.start() >= k) return false;
        }
        return false;
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    private static Map<String, Object> user(String content) {
        return message("user", content);
    }

    private static Map<String, Object> assistant(String content) {
        return message("assistant", content);
    }

    private static Map<String, Object> system(String content) {
        return message("system", content);
    }
}
