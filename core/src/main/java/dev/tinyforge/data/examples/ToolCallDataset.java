package dev.tinyforge.data.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.RecordFormat;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;

/**
 * A request in plain words to one tool call, {@code {"tool": ..., "args": {...}}}. Arguments come in
 * the order the system prompt lists them, and optional ones appear only when the request gives them.
 * Shared conventions: days are {@code today}, {@code tomorrow}, a weekday, {@code next <weekday>} or
 * {@code <month> <day>}; times are 24-hour {@code HH:MM}; currencies ISO 4217; languages ISO 639-1.
 */
public final class ToolCallDataset implements ExampleDataset {
    static final int COUNT = 400;

    static final String SYSTEM = "Tools: get_weather(location, date?, units?), send_email(to, subject, body), "
            + "create_event(title, date, time, duration_minutes?), set_timer(duration_seconds, label?), "
            + "set_alarm(time, repeat?), convert_currency(amount, from, to), "
            + "translate(text, target_language, source_language?), search_web(query), play_music(query, type), "
            + "add_todo(task, list?, due?). Answer with one JSON object {\"tool\": ..., \"args\": {...}}.";

    private static final List<Function<Dice, Sample>> TOOLS = List.of(
            LookupTools::weather, ProductivityTools::email, ProductivityTools::event, ProductivityTools::timer,
            ProductivityTools::alarm, LookupTools::currency, LookupTools::translate, LookupTools::search,
            LookupTools::music, ProductivityTools::todo);

    @Override
    public String name() {
        return "toolcall";
    }

    @Override
    public String description() {
        return "Picks one of ten tools for a request and fills its arguments as JSON, normalising days, times, durations, currencies and languages.";
    }

    @Override
    public RecordFormat format() {
        return RecordFormat.IO;
    }

    @Override
    public List<ObjectNode> generate(long seed) {
        return Records.distinct(seed, COUNT, d -> d.pick(TOOLS).apply(d), s -> Records.io(SYSTEM, s));
    }

    /** The sample for {@code input} calling {@code tool} with alternating names and values; null values are left out. */
    static Sample call(String input, String tool, Object... namesAndValues) {
        ObjectNode call = Records.NODES.objectNode();
        call.put("tool", tool);
        ObjectNode args = call.putObject("args");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            switch (namesAndValues[i + 1]) {
                case null -> {}
                case String s -> args.put(name, s);
                case Integer n -> args.put(name, n);
                case BigDecimal n -> args.put(name, n);
                default -> throw new IllegalArgumentException("unsupported argument value " + namesAndValues[i + 1]);
            }
        }
        return new Sample(input, Records.compact(call));
    }

    /** A day as said and as written in arguments. */
    record Day(String spoken, String value) {}

    static Day day(Dice d, boolean allowToday) {
        int roll = d.between(allowToday ? 0 : 1, 9);
        if (roll == 0) return new Day("today", "today");
        if (roll <= 3) return new Day("tomorrow", "tomorrow");
        String weekday = d.pick(ReminderWhen.WEEKDAYS);
        if (roll <= 6) return new Day(d.pick("on ", "this ", "") + weekday, weekday);
        if (roll <= 8) return new Day("next " + weekday, "next " + weekday);
        String month = d.pick(ReminderWhen.MONTHS);
        int date = d.between(1, 28);
        return new Day(d.pick("on " + month + " " + date, "on " + month + " " + ReminderWhen.ordinal(date)), month + " " + date);
    }

    /** A clock time said with am/pm or as 24-hour, never a bare hour, so the argument is never a guess. */
    record Time(String spoken, String value) {}

    static Time time(Dice d, int firstHour, int lastHour) {
        int hour = d.between(firstHour, lastHour);
        int minute = d.pick(0, 0, 0, 15, 30, 30, 45);
        String value = String.format("%02d:%02d", hour, minute);
        if (d.chance(0.25)) return new Time(value, value);
        int h12 = hour % 12 == 0 ? 12 : hour % 12;
        String marker = hour < 12 ? d.pick("am", " am", "AM", " a.m.") : d.pick("pm", " pm", "PM", " p.m.");
        return new Time(h12 + (minute == 0 ? "" : String.format(":%02d", minute)) + marker, value);
    }
}
