package dev.tinyforge.data.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.RecordFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Customer support for the fictional note-taking app Nimbus Notes. Every answer comes from
 * {@link NimbusFacts} and depends only on what the question says (plan, device, format, store...):
 * a question that names no device gets the answer that holds on all of them.
 */
public final class SupportDataset implements ExampleDataset {
    static final int COUNT = 400;
    static final String SYSTEM = "You are the support assistant for Nimbus Notes, a note-taking app. Answer briefly and exactly.";

    /** Intents weighted by how much room for variety they have; the plain ones appear less often. */
    private static final List<Function<Dice, Sample>> INTENTS = List.of(
            SupportAccountIntents::passwordReset, SupportAccountIntents::passwordReset, SupportAccountIntents::changePassword,
            SupportAccountIntents::changeEmail, SupportAccountIntents::twoFactor, SupportAccountIntents::twoFactor,
            SupportAccountIntents::cancel, SupportAccountIntents::cancel, SupportAccountIntents::refund, SupportAccountIntents::refund,
            SupportAccountIntents::refund, SupportAccountIntents::deleteAccount, SupportAccountIntents::discounts,
            SupportAccountIntents::contact, SupportProductIntents::price, SupportProductIntents::price, SupportProductIntents::compare,
            SupportProductIntents::compare, SupportProductIntents::storage, SupportProductIntents::upload, SupportProductIntents::upload,
            SupportProductIntents::export, SupportProductIntents::export, SupportProductIntents::export, SupportProductIntents::sync,
            SupportProductIntents::sync, SupportProductIntents::offline, SupportProductIntents::offline, SupportProductIntents::sharing,
            SupportProductIntents::sharing, SupportProductIntents::platforms, SupportProductIntents::importNotes,
            SupportProductIntents::importNotes);

    private static final List<String> GREETINGS = List.of("", "", "", "", "Hi! ", "Hello, ", "Hey, ", "Quick question: ", "Hi there. ", "Hello. ");
    private static final List<String> SIGN_OFFS = List.of("", "", "", "", " Thanks!", " Thank you.", " Thanks in advance.", " Cheers");

    @Override
    public String name() {
        return "support";
    }

    @Override
    public String description() {
        return "Answers customer questions about the fictional Nimbus Notes app (plans, billing, sync, export, import, security) consistently and specifically.";
    }

    @Override
    public RecordFormat format() {
        return RecordFormat.MESSAGES;
    }

    @Override
    public List<ObjectNode> generate(long seed) {
        return Records.distinct(seed, COUNT, SupportDataset::draw, s -> Records.messages(SYSTEM, s));
    }

    private static Sample draw(Dice d) {
        Sample s = d.pick(INTENTS).apply(d);
        String greeting = d.pick(GREETINGS);
        String question = greeting.endsWith(": ") || greeting.endsWith(", ") ? lowerFirst(s.input()) : s.input();
        return new Sample(greeting + question + d.pick(SIGN_OFFS), s.output());
    }

    /** Ordinary first words; names (Plus, Pro, Google...) and "I" keep their capital after "Hey, ". */
    private static final Set<String> STARTERS = Set.of("How", "What", "What's", "Can", "Is", "Does", "Do", "Why", "Where",
            "Which", "When", "Will", "Are", "My", "Sync", "Changes", "Notes", "Locked", "Export", "Please");

    private static String lowerFirst(String s) {
        String first = s.split("[ ,?]", 2)[0];
        return STARTERS.contains(first) ? Character.toLowerCase(s.charAt(0)) + s.substring(1) : s;
    }
}
