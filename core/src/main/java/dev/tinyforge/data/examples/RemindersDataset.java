package dev.tinyforge.data.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.RecordFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Informal reminders rewritten as {@code task | when}. The canonical grammar:
 *
 * <pre>
 * output  := task " | " when
 * when    := day [" " HH:MM] | "in " N "m" | "in " N "h"
 * day     := "today" | "tomorrow" | weekday | "next " weekday | month " " day-of-month
 * </pre>
 *
 * Rules: the task is kept word for word; a reminder with no time at all is for {@code tomorrow}; a
 * time with no day is {@code today}; "this friday" and "on fri" are {@code friday}. Times are 24-hour.
 * A bare hour ("at 5") from 1 to 6 is pm, from 7 to 11 am, 12 is noon; a part of the day decides
 * am/pm instead ("tonight at 9" is 21:00). Parts of the day alone: morning 09:00, afternoon 15:00,
 * evening 19:00, night/tonight 20:00, and "in the morning" with no day means tomorrow morning.
 * Relative times ("in 20 minutes", "in an hour") become {@code in 20m}, {@code in 1h}.
 */
public final class RemindersDataset implements ExampleDataset {
    static final int COUNT = 600;

    /** Every output matches this; an evaluator can use it to check the format. */
    public static final Pattern OUTPUT = Pattern.compile(
            "[^|\\s](?:[^|]*[^|\\s])? \\| (?:"
                    + "(?:today|tomorrow|(?:next )?" + alternatives(ReminderWhen.WEEKDAYS)
                    + "|" + alternatives(ReminderWhen.MONTHS) + " (?:[1-9]|[12][0-9]|3[01]))"
                    + "(?: (?:[01][0-9]|2[0-3]):[0-5][0-9])?"
                    + "|in [1-9][0-9]*[mh])");

    private static final List<String> TASKS = List.of(
            "call mom", "call my sister", "call grandma back", "call the dentist", "call the landlord about the heater",
            "call Dr. Patel's office", "pay the electricity bill", "pay rent", "pay the credit card bill",
            "renew my passport", "renew the car insurance", "water the plants", "take out the trash",
            "take out the recycling", "feed the cat", "walk the dog", "give the dog his medicine",
            "take my vitamins", "take my antibiotics", "book a dentist appointment", "book a haircut",
            "book the flights to Lisbon", "email Sarah about the budget", "email Priya the slides",
            "send the invoice to Acme", "reply to Tom's email", "text Jake happy birthday", "buy milk",
            "buy a birthday present for Emma", "buy printer ink", "pick up the dry cleaning", "pick up the kids from school",
            "pick up my prescription", "pick up the package at the post office", "return the library books",
            "return the rental car", "cancel the gym membership", "cancel the Netflix trial", "submit the expense report",
            "submit my timesheet", "finish the quarterly report", "review the pull request", "prepare the slides for monday's meeting",
            "update my resume", "back up my laptop", "charge my headphones", "defrost the chicken", "start the slow cooker",
            "preheat the oven", "move the car for street cleaning", "check the tire pressure", "get gas",
            "schedule the oil change", "stretch", "drink some water", "go for a run", "meditate for ten minutes",
            "do laundry", "switch the laundry to the dryer", "clean the fridge", "change the bed sheets",
            "vacuum the living room", "mow the lawn", "order more coffee beans", "order contact lenses",
            "sign the permission slip", "RSVP to Anna's wedding", "buy tickets for the concert", "check in for my flight",
            "pack the charger", "print the boarding passes", "lock the back door", "turn off the sprinklers",
            "bring the umbrella", "bring lunch to work", "make a grocery list", "thaw the bread",
            "file the taxes", "transfer money to savings", "check the bank statement", "call the insurance company",
            "schedule a vet appointment for Luna", "clean the litter box", "practice piano", "study for the exam",
            "read chapter 4", "join the team standup", "send the weekly update", "water the garden",
            "put the bins out", "stop by the pharmacy", "write a thank-you note to Mrs. Chen", "wish dad a happy anniversary");

    private static final List<String> TASK_FIRST = List.of(
            "remind me to %s %s", "remind me to %s %s", "can you remind me to %s %s?", "please remind me to %s %s",
            "don't let me forget to %s %s", "dont let me forget to %s %s", "set a reminder to %s %s",
            "reminder: %s %s", "ping me to %s %s", "nudge me to %s %s", "i need to %s %s", "note to self: %s %s",
            "hey, remind me to %s %s", "could you remind me to %s %s?", "remind me that i have to %s %s",
            "i have to %s %s, remind me");

    private static final List<String> WHEN_FIRST = List.of(
            "remind me %2$s to %1$s", "can you remind me %2$s to %1$s?", "%2$s, remind me to %1$s",
            "%2$s remind me to %1$s", "%2$s: %1$s", "%2$s - %1$s", "ping me %2$s to %1$s",
            "set a reminder %2$s to %1$s", "please remind me %2$s to %1$s");

    private static String alternatives(List<String> words) {
        return "(?:" + String.join("|", words) + ")";
    }

    @Override
    public String name() {
        return "reminders";
    }

    @Override
    public String description() {
        return "Rewrites an informal reminder as `task | when`: the task word for word, the day and a 24-hour time in one canonical form.";
    }

    @Override
    public RecordFormat format() {
        return RecordFormat.IO;
    }

    @Override
    public List<ObjectNode> generate(long seed) {
        return generate(seed, COUNT);
    }

    /** {@code count} distinct reminders (the bundled file has {@value #COUNT}; training can use more). */
    public List<ObjectNode> generate(long seed, int count) {
        return Records.distinct(seed, count, RemindersDataset::draw, s -> Records.io(null, s));
    }

    private static Sample draw(Dice d) {
        String task = d.pick(TASKS);
        ReminderWhen when = ReminderWhen.draw(d);
        String text;
        if (when.spoken().isEmpty()) {
            text = String.format(d.pick(TASK_FIRST), task, "").replace(" ?", "?").replace(" ,", ",").strip();
        } else if (d.chance(0.35)) {
            text = String.format(d.pick(WHEN_FIRST), task, when.spoken());
        } else {
            text = String.format(d.pick(TASK_FIRST), task, when.spoken());
        }
        return new Sample(style(d, text), task + " | " + when.canonical());
    }

    /** Casual variation that never changes the meaning: a capital letter, a closing word or mark. */
    private static String style(Dice d, String text) {
        if (d.chance(0.4)) text = Records.capitalize(text);
        if (!text.endsWith("?") && !text.endsWith("remind me")) {
            String end = d.pick("", "", "", "", ".", "!", " please", " pls", " thanks");
            text += text.toLowerCase(Locale.ROOT).contains("please") && !end.equals(" thanks") ? "" : end;
        }
        return text;
    }
}
