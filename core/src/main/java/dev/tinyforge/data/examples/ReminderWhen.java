package dev.tinyforge.data.examples;

import java.util.List;

/**
 * The "when" half of a reminder: how a person says it and its canonical form (see
 * {@link RemindersDataset} for the grammar and the rules stated there). {@code spoken} is empty when
 * the reminder names no time at all.
 */
record ReminderWhen(String spoken, String canonical) {
    static final List<String> WEEKDAYS = List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");
    private static final List<String> WEEKDAY_SHORT = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    static final List<String> MONTHS = List.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");

    /** A part of the day: its default time and the hours (said without am/pm) that fit it. */
    private record PartOfDay(String name, String defaultTime, int firstHour, int lastHour, boolean pm) {}

    private static final List<PartOfDay> PARTS = List.of(
            new PartOfDay("morning", "09:00", 6, 11, false),
            new PartOfDay("afternoon", "15:00", 1, 5, true),
            new PartOfDay("evening", "19:00", 5, 9, true),
            new PartOfDay("night", "20:00", 7, 11, true));

    private record Day(String spoken, String canonical) {}

    static ReminderWhen draw(Dice d) {
        return switch (d.between(0, 19)) {
            case 0, 1 -> new ReminderWhen("", "tomorrow");
            case 2, 3 -> dayOnly(d);
            case 4, 5, 6 -> {
                Clock c = clock(d);
                yield new ReminderWhen(c.spoken, "today " + c.time);
            }
            case 7, 8, 9, 10, 11, 12 -> dayAndClock(d);
            case 13, 14, 15, 16 -> partOfDay(d);
            default -> relative(d);
        };
    }

    private static ReminderWhen dayOnly(Dice d) {
        Day day = day(d);
        return new ReminderWhen(day.spoken, day.canonical);
    }

    private static ReminderWhen dayAndClock(Dice d) {
        Day day = day(d);
        Clock c = clock(d);
        String spoken = d.chance(0.7) ? day.spoken + " " + c.spoken : c.spoken + " " + day.spoken;
        return new ReminderWhen(spoken, day.canonical + " " + c.time);
    }

    private static Day day(Dice d) {
        int roll = d.between(0, 19);
        if (roll < 3) return new Day(d.pick("today", "today", "later today"), "today");
        if (roll < 9) return new Day(d.pick("tomorrow", "tomorrow", "tomorrow", "tmrw", "tmr"), "tomorrow");
        int w = d.between(0, 6);
        String weekday = WEEKDAYS.get(w);
        if (roll < 14) {
            return new Day(d.pick("on " + weekday, weekday, "this " + weekday, "on " + WEEKDAY_SHORT.get(w)), weekday);
        }
        if (roll < 17) return new Day("next " + weekday, "next " + weekday);
        String month = MONTHS.get(d.between(0, 11));
        int date = d.between(1, 28);
        String th = ordinal(date);
        return new Day(d.pick("on " + month + " " + date, "on " + month + " " + th, "on the " + th + " of " + month,
                month + " " + th), month + " " + date);
    }

    /** A clock time as said, and as 24-hour {@code HH:MM}. */
    private record Clock(String spoken, String time) {}

    /**
     * A bare hour (no am/pm, not 24-hour) follows one rule: 1 to 6 is afternoon, 7 to 11 morning, 12 noon.
     * That matches what people mean by "at 5" far more often than not.
     */
    static int bareHour(int h) {
        return h <= 6 ? h + 12 : h;
    }

    private static Clock clock(Dice d) {
        int h = d.between(1, 12);
        int m = d.pick(0, 0, 0, 0, 15, 30, 30, 45, 10, 20, 40, 50);
        String at = d.pick("at ", "at ", "at ", "around ", "by ");
        return switch (d.between(0, 9)) {
            case 0, 1, 2 -> new Clock(at + h + (m == 0 ? d.pick("", "", " o'clock") : ":" + two(m)), hhmm(bareHour(h), m));
            case 3, 4, 5 -> {
                // Nobody sets a reminder for "3am" on purpose often enough to teach it.
                boolean pm = h == 12 || h < 5 || d.chance(0.6);
                String marker = pm ? d.pick("pm", " pm", "pm", " p.m.", "PM") : d.pick("am", " am", "am", " a.m.", "AM");
                int hour = h == 12 ? 12 : pm ? h + 12 : h;
                yield new Clock(at + h + (m == 0 ? "" : ":" + two(m)) + marker, hhmm(hour, m));
            }
            case 6 -> {
                int hour = d.between(13, 22);
                yield new Clock(at + hour + ":" + two(m), hhmm(hour, m));
            }
            case 7 -> new Clock(d.pick("at noon", "at midday", "at 12 noon"), "12:00");
            default -> {
                int hour = d.between(1, 11);
                boolean half = d.chance(0.6);
                yield new Clock("at " + (half ? "half past " : "quarter past ") + hour, hhmm(bareHour(hour), half ? 30 : 15));
            }
        };
    }

    private static ReminderWhen partOfDay(Dice d) {
        PartOfDay part = d.pick(PARTS);
        Day day;
        int roll = d.between(0, 9);
        if (roll < 3) {
            day = new Day(part.name.equals("night") ? "tonight" : d.pick("this " + part.name, "later this " + part.name), "today");
        } else if (roll < 6) {
            day = new Day("tomorrow " + part.name, "tomorrow");
        } else if (roll < 8) {
            String weekday = d.pick(WEEKDAYS);
            String prefix = d.pick("", "on ", "next ");
            day = new Day(prefix + weekday + " " + part.name, (prefix.equals("next ") ? "next " : "") + weekday);
        } else {
            // "in the morning" with no day means the next morning; later parts of the day mean today.
            PartOfDay p = part.name.equals("night") ? PARTS.getFirst() : part;
            String spoken = "in the " + p.name;
            String canonicalDay = p.name.equals("morning") ? "tomorrow" : "today";
            return new ReminderWhen(spoken, canonicalDay + " " + p.defaultTime);
        }
        if (d.chance(0.5)) return new ReminderWhen(day.spoken, day.canonical + " " + part.defaultTime);
        int h = d.between(part.firstHour, part.lastHour);
        int m = d.pick(0, 0, 0, 15, 30, 45);
        String at = "at " + h + (m == 0 ? "" : ":" + two(m));
        String spoken = d.chance(0.6) ? day.spoken + " " + at : at + " " + day.spoken;
        return new ReminderWhen(spoken, day.canonical + " " + hhmm(part.pm ? h + 12 : h, m));
    }

    private static ReminderWhen relative(Dice d) {
        return switch (d.between(0, 5)) {
            case 0 -> new ReminderWhen("in half an hour", "in 30m");
            case 1 -> new ReminderWhen(d.pick("in an hour", "in one hour", "in 1 hour"), "in 1h");
            case 2 -> {
                int n = d.between(2, 6);
                yield new ReminderWhen("in " + n + d.pick(" hours", " hours", " hrs"), "in " + n + "h");
            }
            default -> {
                int n = d.pick(5, 10, 15, 20, 25, 40, 45, 90);
                yield new ReminderWhen("in " + n + d.pick(" minutes", " minutes", " mins", " min"), "in " + n + "m");
            }
        };
    }

    private static String hhmm(int hour, int minute) {
        return two(hour) + ":" + two(minute);
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }
}
