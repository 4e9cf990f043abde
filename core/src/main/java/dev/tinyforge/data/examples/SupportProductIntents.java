package dev.tinyforge.data.examples;

import static dev.tinyforge.data.examples.NimbusFacts.say;

import dev.tinyforge.data.examples.NimbusFacts.Device;
import dev.tinyforge.data.examples.NimbusFacts.Format;
import dev.tinyforge.data.examples.NimbusFacts.Kind;
import dev.tinyforge.data.examples.NimbusFacts.Plan;
import dev.tinyforge.data.examples.NimbusFacts.Platform;
import dev.tinyforge.data.examples.NimbusFacts.Source;
import java.util.ArrayList;
import java.util.List;

/** Support questions about the product: plans and limits, export and import, sync, offline, sharing, platforms. */
final class SupportProductIntents {
    private SupportProductIntents() {}

    static Sample price(Dice d) {
        Plan plan = d.pick(NimbusFacts.PLANS);
        String p = say(d, plan);
        if (plan == NimbusFacts.FREE) {
            return new Sample(d.pick("Is the Free plan really free?", "How long can I use " + p + "?", "Does Free expire?"),
                    "Free costs nothing and never expires. It includes 1 GB of storage, sync on 2 devices and 30 days of version history.");
        }
        return switch (d.between(0, 2)) {
            case 0 -> new Sample(d.pick("How much is " + p + "?", "What does " + p + " cost?", "What's the price of " + p + "?"),
                    plan.name() + " costs " + plan.monthly() + " a month, or " + plan.yearly() + " a year if you pay annually (two months free).");
            case 1 -> new Sample(d.pick("How much is " + p + " per month?", "What's the monthly price for " + p + "?"),
                    plan.name() + " is " + plan.monthly() + " a month, billed monthly. Paying yearly (" + plan.yearly() + ") gets you two months free.");
            default -> new Sample(d.pick("How much is " + p + " if I pay yearly?", "Is there an annual price for " + p + "?",
                    "What's the yearly cost of " + p + "?"),
                    plan.name() + " is " + plan.yearly() + " a year, billed once a year: the same as 10 months at the monthly price of " + plan.monthly() + ".");
        };
    }

    static Sample compare(Dice d) {
        List<Plan> pair = d.sample(NimbusFacts.PLANS, 2);
        Plan a = pair.get(0), b = pair.get(1);
        Plan low = a.rank() < b.rank() ? a : b, high = a == low ? b : a;
        String q = d.pick("What's the difference between " + a.name() + " and " + b.name() + "?",
                a.name() + " or " + b.name() + ", which should I get?", a.name() + " vs " + b.name() + "?",
                "What do I get with " + high.name() + " that " + low.name() + " doesn't have?",
                "Is " + high.name() + " worth it over " + low.name() + "?");
        List<String> adds = new ArrayList<>();
        for (Plan p : NimbusFacts.PLANS) if (p.rank() > low.rank() && p.rank() <= high.rank()) adds.addAll(p.adds());
        String answer = summary(a) + " " + summary(b) + " " + high.name() + " also adds " + serial(adds) + ".";
        return new Sample(q, answer);
    }

    /** "a, b, and c": the serial comma keeps "images and PDFs" one item. */
    private static String serial(List<String> items) {
        if (items.size() <= 2) return String.join(" and ", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + ", and " + items.getLast();
    }

    private static String summary(Plan p) {
        return p.name() + ": " + p.storage() + ", " + p.devices() + ", " + p.history() + " of version history, "
                + p.upload() + " per attachment, " + (p == NimbusFacts.FREE ? "free." : p.monthly() + " a month.");
    }

    static Sample storage(Dice d) {
        if (d.chance(0.3)) {
            return d.chance(0.5)
                    ? new Sample(d.pick("How much storage do I have?", "What are the storage limits?", "How much space do I get?"),
                            "It depends on your plan: Free 1 GB, Plus 50 GB, Pro 250 GB, Team 500 GB per member. "
                                    + "Settings > Account > Usage shows how much you've used.")
                    : new Sample(d.pick("What happens when I run out of storage?", "My storage is full, what now?", "Will I lose notes if I go over my storage?"),
                            "Nothing is deleted. Note text keeps syncing, but new attachments won't upload until you free space "
                                    + "(Settings > Account > Usage lists the largest files) or upgrade to a plan with more storage.");
        }
        Plan plan = d.pick(NimbusFacts.PLANS);
        String p = say(d, plan);
        String q = d.pick("How much storage do I get on " + p + "?", "What's the storage limit on " + p + "?",
                "Is storage unlimited on " + p + "?", "How many GB come with " + p + "?");
        return new Sample(q, plan.name() + " includes " + plan.storage() + (q.contains("unlimited") ? ", so it isn't unlimited" : "")
                + ". Text barely counts; attachments use most of it. Settings > Account > Usage shows what you've used.");
    }

    private record Size(String said, int mb) {}

    private static final List<Size> SIZES = List.of(new Size("5 MB", 5), new Size("20 MB", 20), new Size("40 MB", 40),
            new Size("150 MB", 150), new Size("300 MB", 300), new Size("800 MB", 800), new Size("2 GB", 2048));

    static Sample upload(Dice d) {
        Plan plan = d.pick(NimbusFacts.PLANS);
        String p = say(d, plan);
        if (d.chance(0.4)) {
            return new Sample(d.pick("What's the max attachment size on " + p + "?", "How big can a file be on " + p + "?"),
                    "On " + plan.name() + " each attachment can be up to " + plan.upload() + ".");
        }
        Size size = d.pick(SIZES);
        String what = d.pick("video", "PDF", "audio recording", "zip file", "scan");
        String q = d.pick("Can I attach a " + size.said() + " " + what + " on " + p + "?",
                "I'm on " + plan.name() + ". Will a " + size.said() + " " + what + " upload?");
        if (size.mb() <= plan.uploadMb()) {
            return new Sample(q, "Yes. " + plan.name() + " allows attachments up to " + plan.upload() + ", so a " + size.said() + " file fits.");
        }
        Plan enough = NimbusFacts.PLANS.stream().filter(x -> x.uploadMb() >= size.mb()).findFirst().orElse(null);
        String a = "No. " + plan.name() + " allows attachments up to " + plan.upload() + " each. "
                + (enough == null ? "No plan takes single files over 1 GB; compress or split it, or add a link to it instead."
                        : enough.name() + " and higher take files up to " + enough.upload() + ".");
        return new Sample(q, a);
    }

    static Sample export(Dice d) {
        if (d.chance(0.15)) {
            return new Sample(d.pick("How can I download all my notes?", "Can I export everything at once?", "How do I get a backup of all my data?"),
                    "Go to Settings > Account > Export all data. We email you a link to a .zip with every note as Markdown plus "
                            + "its attachments, usually within an hour. It's available on every plan.");
        }
        Format f = d.pick(NimbusFacts.FORMATS);
        String fmt = d.pick(f.spoken());
        boolean notebook = d.chance(0.35);
        Device device = d.chance(0.6) ? d.pick(NimbusFacts.DEVICES) : null;
        String on = device == null ? "" : " " + device.phrase();
        String target = notebook ? d.pick("a notebook", "a whole notebook", "my notebook") : d.pick("a note", "my note", "this note");
        String q = d.pick("How do I export " + target + " as " + fmt + on + "?", "Can I export " + target + " to " + fmt + on + "?",
                "Is it possible to save " + target + " as " + fmt + on + "?", "Export " + target + " to " + fmt + on + ", how?");
        String a;
        if (notebook) {
            String steps = "right-click the notebook in the sidebar and choose Export notebook > " + f.name()
                    + "; you get a .zip with one file per note.";
            a = device != null && device.kind().mobile
                    ? "Whole notebooks can't be exported from the " + device.kind().app + ". In the desktop or web app, " + steps
                    : Records.capitalize(steps);
        } else if (device == null) {
            a = "Open the note, then choose File > Export > " + f.name() + " in the desktop apps, or ⋯ > Export > " + f.name()
                    + " on mobile and the web.";
        } else if (device.kind().mobile) {
            a = "In the " + device.kind().app + ", open the note and tap ⋯ (top right) > Export > " + f.name() + ", then pick where to save or share it.";
        } else if (device.kind() == Kind.WEB) {
            a = "Open the note, click ⋯ > Export > " + f.name() + ", and the file downloads.";
        } else {
            a = "In the " + device.kind().app + ", open the note and choose File > Export > " + f.name() + ".";
        }
        if (f.minimum() != NimbusFacts.FREE) a += " Word export needs Plus or higher.";
        return new Sample(q, a);
    }

    static Sample sync(Dice d) {
        Device device = d.pick(NimbusFacts.DEVICES);
        String on = device.phrase();
        String q = d.pick("My notes aren't syncing " + on + ".", "Sync isn't working " + on + ".",
                "Changes I make " + on + " don't show up anywhere else.", "Why won't Nimbus sync " + on + "?",
                "Notes " + on + " are out of date, how do I fix sync?");
        String now = switch (device.kind()) {
            case IOS -> "In the iOS app, pull down on the note list to sync now, and make sure Background App Refresh is on for Nimbus.";
            case ANDROID -> "In the Android app, pull down on the note list to sync now, and exclude Nimbus from battery optimisation.";
            case WEB -> "In the web app, reload the page; it syncs on every load.";
            case MAC -> "In the Mac app, press Cmd+R or choose File > Sync now.";
            default -> "In the " + device.kind().app + ", press Ctrl+R or choose File > Sync now.";
        };
        return new Sample(q, now + " If it still won't sync, check Settings > Account > Devices: Free syncs on 2 devices, so a third "
                + "won't sync until you remove one or upgrade. Signing out and back in is the last resort; unsynced notes are kept.");
    }

    static Sample offline(Dice d) {
        if (d.chance(0.25)) {
            Plan plan = d.pick(NimbusFacts.PLANS);
            return new Sample(d.pick("Does offline mode work on " + say(d, plan) + "?", "Can I work offline with " + say(d, plan) + "?"),
                    "On " + plan.name() + ", the desktop apps keep all notes offline; on phones and tablets "
                            + (plan == NimbusFacts.FREE ? "your 50 most recently opened notes are kept offline."
                                    : "you can also keep whole notebooks offline with ⋯ > Available offline."));
        }
        Device device = d.pick(NimbusFacts.DEVICES);
        Plan plan = device.kind().mobile && d.chance(0.4) ? d.pick(NimbusFacts.PLANS) : null;
        String q = d.pick("Can I use Nimbus offline " + device.phrase() + "?", "Does Nimbus work without internet " + device.phrase() + "?",
                "How do I make notes available offline " + device.phrase() + "?") + (plan == null ? "" : " I'm on " + plan.name() + ".");
        Kind k = device.kind();
        String a;
        if (k == Kind.WEB) {
            a = "The web app needs a connection. For offline use, install the desktop app (Windows, Mac or Linux) or a mobile app.";
        } else if (k.desktop()) {
            a = "Yes. The " + k.app + " keeps all your notes on the computer, so everything works offline on every plan; changes sync when you reconnect.";
        } else if (plan == null) {
            a = "The " + k.app + " keeps your 50 most recently opened notes offline on every plan. On Plus and higher you can keep "
                    + "whole notebooks offline too: open the notebook and tap ⋯ > Available offline.";
        } else if (plan == NimbusFacts.FREE) {
            a = "On Free, the " + k.app + " keeps your 50 most recently opened notes offline. To keep whole notebooks offline, "
                    + "upgrade to Plus or higher, then open a notebook and tap ⋯ > Available offline.";
        } else {
            a = "Yes: open a notebook in the " + k.app + " and tap ⋯ > Available offline. Its notes download to the device and stay "
                    + "available without a connection.";
        }
        return new Sample(q, a);
    }

    static Sample sharing(Dice d) {
        String target = d.pick("note", "notebook");
        int kind = d.between(0, 2); // 0 how to share, 1 view only, 2 edit access
        Plan plan = kind == 2 && d.chance(0.5) ? d.pick(NimbusFacts.PLANS) : null;
        String q = switch (kind) {
            case 0 -> d.pick("How do I share a " + target + " with someone?", "Can I send a " + target + " to a friend?");
            case 1 -> d.pick("How do I give someone view-only access to a " + target + "?", "Can I share a " + target + " read-only?");
            default -> d.pick("Can I let my coworker edit a " + target + "?", "How do I give someone edit access to my " + target + "?")
                    + (plan == null ? "" : " I'm on " + plan.name() + ".");
        };
        String a = switch (kind) {
            case 0 -> "Open the " + target + " and click Share. Add someone's email and choose Can view or Can edit, or use Copy link "
                    + "for a read-only link. Can edit needs Plus or higher.";
            case 1 -> "Open the " + target + ", click Share, add their email (or use Copy link) and choose Can view. View-only "
                    + "sharing works on every plan, and they don't need a Nimbus account to read it.";
            default -> plan == NimbusFacts.FREE
                    ? "Not on Free: it can only share view-only. On Plus or higher, open the " + target + ", click Share, add their "
                            + "email and choose Can edit; they'll need a free Nimbus account."
                    : (plan == null ? "Yes, on Plus or higher. " : "Yes. ") + "Open the " + target + ", click Share, add their email and "
                            + "choose Can edit. They'll need a free Nimbus account to make changes.";
        };
        return new Sample(q, a);
    }

    static Sample platforms(Dice d) {
        Platform p = d.pick(NimbusFacts.PLATFORMS);
        return new Sample(d.pick(p.questions()), p.answer());
    }

    static Sample importNotes(Dice d) {
        Source s = d.pick(NimbusFacts.SOURCES);
        String from = d.pick(s.spoken());
        String q = d.pick("How do I import my notes from " + from + "?", "Can I move my notes over from " + from + "?",
                "I'm switching from " + from + ". How do I bring my notes?", "Is there a way to import " + from + " notes?");
        return new Sample(q, s.steps());
    }
}
