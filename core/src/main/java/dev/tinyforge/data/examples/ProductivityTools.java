package dev.tinyforge.data.examples;

import static dev.tinyforge.data.examples.ToolCallDataset.call;

import dev.tinyforge.data.examples.ToolCallDataset.Day;
import dev.tinyforge.data.examples.ToolCallDataset.Time;
import java.util.List;

/** Requests for the tools that act for the user: email, calendar, timers, alarms and to-dos. */
final class ProductivityTools {
    private ProductivityTools() {}

    private static final List<String> PEOPLE = List.of("priya", "tom", "lena", "omar.h", "jsmith", "ana.silva", "wei", "k.okafor",
            "marco", "sarah.b", "devteam", "hr");
    private static final List<String> DOMAINS = List.of("example.com", "acme.io", "northwind.org", "mail.test");

    private record Email(String subject, String body) {}

    private static final List<Email> EMAILS = List.of(
            new Email("Friday standup", "the standup moves to 10am"), new Email("Invoice 2041", "the invoice is attached and due in 30 days"),
            new Email("Lunch", "are you free for lunch on Thursday?"), new Email("Slides", "here are the slides from today's talk"),
            new Email("Vacation", "I'm out of office from the 12th to the 19th"), new Email("Server outage", "the API is back up since 14:05"),
            new Email("Contract", "please sign the contract by Monday"), new Email("Welcome!", "welcome to the team, glad to have you"),
            new Email("Rent", "I've transferred this month's rent"), new Email("Book club", "we're reading Piranesi next"),
            new Email("Quarterly numbers", "revenue is up 12% on last quarter"), new Email("Parking", "your car is blocking the gate"),
            new Email("Offer", "we'd love to offer you the position"), new Email("Thanks", "thanks for covering my shift"));

    static Sample email(Dice d) {
        String to = d.pick(PEOPLE) + "@" + d.pick(DOMAINS);
        Email e = d.pick(EMAILS);
        String input = switch (d.between(0, 4)) {
            case 0 -> "email " + to + " with the subject \"" + e.subject() + "\" saying " + e.body();
            case 1 -> "send " + to + " an email about \"" + e.subject() + "\": " + e.body();
            case 2 -> "write to " + to + ", subject: " + e.subject() + ", message: " + e.body();
            case 3 -> "shoot an email to " + to + " re \"" + e.subject() + "\" telling them " + e.body();
            default -> "mail " + to + ". Subject: " + e.subject() + ". Body: " + e.body();
        };
        return call(Records.capitalize(input), "send_email", "to", to, "subject", e.subject(), "body", e.body());
    }

    private static final List<String> EVENTS = List.of("dentist", "team lunch", "1:1 with Omar", "yoga class", "quarterly review",
            "flight to Berlin", "parent-teacher meeting", "coffee with Lena", "sprint planning", "piano lesson", "haircut",
            "book club", "vet appointment", "design review", "date night");

    /** A duration as said, in minutes. */
    private record Minutes(String spoken, int minutes) {}

    private static final List<Minutes> EVENT_LENGTHS = List.of(new Minutes("for an hour", 60), new Minutes("for 30 minutes", 30),
            new Minutes("for half an hour", 30), new Minutes("for 2 hours", 120), new Minutes("for 90 minutes", 90),
            new Minutes("for 45 min", 45), new Minutes("for 15 minutes", 15), new Minutes("for 3 hours", 180));

    static Sample event(Dice d) {
        String title = d.pick(EVENTS);
        Day day = ToolCallDataset.day(d, true);
        Time time = ToolCallDataset.time(d, 7, 21);
        Minutes length = d.chance(0.5) ? d.pick(EVENT_LENGTHS) : null;
        String len = length == null ? "" : " " + length.spoken();
        String input = switch (d.between(0, 4)) {
            case 0 -> "put " + title + " on my calendar " + day.spoken() + " at " + time.spoken() + len;
            case 1 -> "schedule " + title + " for " + day.spoken() + " at " + time.spoken() + len;
            case 2 -> "add an event: " + title + ", " + day.spoken() + " " + time.spoken() + len;
            case 3 -> "create a calendar event called \"" + title + "\" " + day.spoken() + " at " + time.spoken() + len;
            default -> "block " + time.spoken() + " " + day.spoken() + " for " + title + (length == null ? "" : ", " + length.spoken().substring(4));
        };
        return call(Records.capitalize(input), "create_event", "title", title, "date", day.value(), "time", time.value(),
                "duration_minutes", length == null ? null : length.minutes());
    }

    /** A timer length as said, in seconds. */
    private record Seconds(String spoken, int seconds) {}

    private static final List<Seconds> TIMER_LENGTHS = List.of(new Seconds("10 minutes", 600), new Seconds("5 min", 300),
            new Seconds("90 seconds", 90), new Seconds("an hour", 3600), new Seconds("half an hour", 1800),
            new Seconds("1 hour 30 minutes", 5400), new Seconds("45 seconds", 45), new Seconds("25 minutes", 1500),
            new Seconds("3 minutes", 180), new Seconds("12 mins", 720), new Seconds("2 hours", 7200), new Seconds("7 minutes", 420),
            new Seconds("20 minutes", 1200), new Seconds("30 secs", 30), new Seconds("1 minute", 60), new Seconds("4 and a half minutes", 270));

    /** A timer's label as said, and as the argument. */
    private record Label(String spoken, String label) {}

    private static final List<Label> LABELS = List.of(new Label("for the pasta", "pasta"), new Label("for the eggs", "eggs"),
            new Label("for my tea", "tea"), new Label("for the laundry", "laundry"), new Label("for the oven", "oven"),
            new Label("called pizza", "pizza"), new Label("labeled workout", "workout"), new Label("for the rice", "rice"),
            new Label("for my break", "break"), new Label("for the bread", "bread"), new Label("named plank", "plank"));

    static Sample timer(Dice d) {
        Seconds length = d.pick(TIMER_LENGTHS);
        Label label = d.chance(0.5) ? d.pick(LABELS) : null;
        String lab = label == null ? "" : " " + label.spoken();
        String input = switch (d.between(0, 4)) {
            case 0 -> "set a timer for " + length.spoken() + lab;
            case 1 -> "timer " + length.spoken() + lab;
            case 2 -> "start a timer of " + length.spoken() + lab;
            case 3 -> "can you time " + length.spoken() + lab + "?";
            default -> "countdown " + length.spoken() + lab + " please";
        };
        return call(Records.capitalize(input), "set_timer", "duration_seconds", length.seconds(), "label", label == null ? null : label.label());
    }

    static Sample alarm(Dice d) {
        Time time = ToolCallDataset.time(d, 4, 11);
        String repeat = d.chance(0.4) ? d.pick("daily", "weekdays", "weekends") : null;
        String rep = repeat == null ? "" : switch (repeat) {
            case "daily" -> d.pick(" every day", " daily", " every morning");
            case "weekdays" -> d.pick(" on weekdays", " every weekday", " monday to friday");
            default -> d.pick(" on weekends", " every weekend", " on saturdays and sundays");
        };
        String input = d.pick("wake me up at " + time.spoken() + rep, "set an alarm for " + time.spoken() + rep,
                "alarm at " + time.spoken() + rep, "I need to be up at " + time.spoken() + rep, "alarm " + time.spoken() + rep + " pls");
        return call(Records.capitalize(input), "set_alarm", "time", time.value(), "repeat", repeat);
    }

    private static final List<String> TODOS = List.of("buy milk", "renew passport", "call the plumber", "pick up dry cleaning",
            "book flights", "write the report", "fix the leaky tap", "buy a birthday card", "clean the garage", "order new glasses",
            "pay the phone bill", "update the README", "return the parcel", "get new tires");
    private static final List<String> LISTS = List.of("shopping", "work", "home", "errands", "groceries");

    static Sample todo(Dice d) {
        String task = d.pick(TODOS);
        String list = d.chance(0.5) ? d.pick(LISTS) : null;
        Day due = d.chance(0.4) ? ToolCallDataset.day(d, true) : null;
        String by = due == null ? "" : " by " + due.spoken().replaceFirst("^(on|this) ", "");
        String input = list == null
                ? d.pick("add a to-do: " + task + by, "new task: " + task + by, "todo: " + task + by, "add " + task + by + " to my to-do list")
                : d.pick("add " + task + " to my " + list + " list" + by, "put " + task + " on the " + list + " list" + by,
                        "on my " + list + " list: " + task + by);
        return call(Records.capitalize(input), "add_todo", "task", task, "list", list, "due", due == null ? null : due.value());
    }
}
