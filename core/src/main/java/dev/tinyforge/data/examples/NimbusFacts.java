package dev.tinyforge.data.examples;

import java.util.List;

/**
 * The facts about the fictional Nimbus Notes app that every support answer is built from, kept in
 * one place so that no two answers can disagree about a price, a limit or a menu path.
 */
final class NimbusFacts {
    private NimbusFacts() {}

    /** A plan; yearly prices are ten months of the monthly one. Upload is the largest single attachment. */
    record Plan(String name, int rank, String monthly, String yearly, String storage, String devices, String history,
                String upload, int uploadMb, List<String> adds) {}

    static final Plan FREE = new Plan("Free", 0, "$0", "$0", "1 GB of storage", "sync on 2 devices", "30 days", "25 MB", 25, List.of());
    static final Plan PLUS = new Plan("Plus", 1, "$4.99", "$49.90", "50 GB of storage", "unlimited devices", "6 months", "200 MB", 200,
            List.of("offline notebooks on mobile", "edit access when sharing", "Word export"));
    static final Plan PRO = new Plan("Pro", 2, "$9.99", "$99.90", "250 GB of storage", "unlimited devices", "1 year", "1 GB", 1024,
            List.of("search inside images and PDFs", "PDF annotation"));
    static final Plan TEAM = new Plan("Team", 3, "$12 per member", "$120 per member", "500 GB of storage per member", "unlimited devices",
            "1 year", "1 GB", 1024, List.of("shared team spaces", "an admin console", "single sign-on (SSO)"));
    static final List<Plan> PLANS = List.of(FREE, PLUS, PRO, TEAM);
    static final List<Plan> PAID = List.of(PLUS, PRO, TEAM);

    /** How a plan is named in a question. */
    static String say(Dice d, Plan p) {
        return d.pick(p.name, "the " + p.name + " plan", "Nimbus " + p.name, p.name + " plan");
    }

    enum Kind {
        IOS("iOS app", true, "tap your profile picture > Settings"),
        ANDROID("Android app", true, "tap your profile picture > Settings"),
        WINDOWS("Windows app", false, "open Settings (Ctrl+,)"),
        MAC("Mac app", false, "open Settings (Cmd+,)"),
        LINUX("Linux app", false, "open Settings (Ctrl+,)"),
        WEB("web app", false, "click your profile picture > Settings");

        final String app;
        final boolean mobile;
        final String settings;

        Kind(String app, boolean mobile, String settings) {
            this.app = app;
            this.mobile = mobile;
            this.settings = settings;
        }

        boolean desktop() {
            return this == WINDOWS || this == MAC || this == LINUX;
        }
    }

    /** A device as a question names it ("on my iPad") and the app that runs there. */
    record Device(String phrase, Kind kind) {}

    static final List<Device> DEVICES = List.of(
            new Device("on my iPhone", Kind.IOS), new Device("on my iPad", Kind.IOS), new Device("on iOS", Kind.IOS),
            new Device("on my Android phone", Kind.ANDROID), new Device("on my Samsung tablet", Kind.ANDROID),
            new Device("on my Pixel", Kind.ANDROID), new Device("on my Windows laptop", Kind.WINDOWS),
            new Device("on my PC", Kind.WINDOWS), new Device("on my Mac", Kind.MAC), new Device("on my MacBook", Kind.MAC),
            new Device("on Linux", Kind.LINUX), new Device("on Ubuntu", Kind.LINUX), new Device("in the browser", Kind.WEB),
            new Device("on the web app", Kind.WEB));

    /** An export format, the ways people name it, and the cheapest plan that has it. */
    record Format(String name, List<String> spoken, Plan minimum) {}

    static final List<Format> FORMATS = List.of(
            new Format("PDF", List.of("PDF", "a PDF"), FREE),
            new Format("Markdown", List.of("Markdown", ".md"), FREE),
            new Format("HTML", List.of("HTML", "a web page"), FREE),
            new Format("Plain text", List.of("plain text", "a .txt file"), FREE),
            new Format("Word (.docx)", List.of("Word", "docx", "a Word document"), PLUS));

    /** An app people move from, the names they use for it, and how its notes come across. */
    record Source(String name, List<String> spoken, String steps) {}

    static final List<Source> SOURCES = List.of(
            new Source("Evernote", List.of("Evernote"), "Export your notebooks from Evernote as .enex files, then in the Nimbus "
                    + "desktop app choose File > Import > Evernote (.enex) and select them. Tags, attachments and creation dates come across."),
            new Source("OneNote", List.of("OneNote", "Microsoft OneNote"), "In the Nimbus desktop app for Windows or Mac choose File > "
                    + "Import > OneNote, sign in to your Microsoft account and pick the notebooks to copy. Handwriting comes across as images."),
            new Source("Notion", List.of("Notion"), "In Notion, go to Settings > Export all workspace content and choose Markdown & CSV. "
                    + "Then in Nimbus choose File > Import > Notion and select the .zip. Databases become tables inside notes."),
            new Source("Apple Notes", List.of("Apple Notes", "the Notes app on my Mac"), "Use the Nimbus Mac app: File > Import > "
                    + "Apple Notes reads your notes directly (unlock any locked notes first). This importer is only on the Mac."),
            new Source("Google Keep", List.of("Google Keep", "Keep"), "Download your Keep data with Google Takeout, then choose "
                    + "File > Import > Google Keep and select the Takeout .zip. Keep labels become tags."),
            new Source("Obsidian", List.of("Obsidian", "my Obsidian vault"), "Choose File > Import > Markdown folder and pick your vault "
                    + "folder. Subfolders become notebooks, images are attached, and [[wiki links]] become note links."),
            new Source("Bear", List.of("Bear"), "In Bear, select your notes and choose File > Export Notes > Markdown. Then in Nimbus "
                    + "choose File > Import > Markdown folder and pick the exported folder. Bear tags become Nimbus tags."));

    /** A platform question's subject and its one true answer. */
    record Platform(List<String> questions, String answer) {}

    static final List<Platform> PLATFORMS = List.of(
            new Platform(List.of("Is there a Linux version?", "Does Nimbus Notes run on Linux?", "Can I install Nimbus on Ubuntu?"),
                    "Yes. Nimbus Notes runs on Linux as an AppImage or a .deb package (Ubuntu 22.04 or newer, Debian 12, Fedora 39) "
                            + "from nimbusnotes.example/download."),
            new Platform(List.of("Does Nimbus work on a Chromebook?", "Is there a ChromeOS app?"),
                    "There's no ChromeOS app, but the Android app from Google Play runs on Chromebooks that support Android apps, "
                            + "and the web app works in Chrome."),
            new Platform(List.of("Which Windows versions do you support?", "Will Nimbus run on Windows 10?", "Does the Windows app work on ARM laptops?"),
                    "The Windows app needs Windows 10 (22H2) or Windows 11, 64-bit; ARM laptops are supported natively."),
            new Platform(List.of("What macOS version do I need?", "Does the Mac app run on Intel Macs?", "Is Nimbus native on Apple silicon?"),
                    "The Mac app needs macOS 12 Monterey or newer and runs natively on both Apple silicon and Intel Macs."),
            new Platform(List.of("Which iOS version is required?", "Will the app work on my old iPhone 8?", "Is there an iPad app?"),
                    "The iOS app runs on iPhone and iPad with iOS or iPadOS 16 or newer; get it from the App Store."),
            new Platform(List.of("What Android version do I need?", "Is Nimbus on Google Play?", "Does the app support Android tablets?"),
                    "The Android app runs on phones and tablets with Android 9 or newer; get it from Google Play."),
            new Platform(List.of("Is there an Apple Watch app?", "Can I use Nimbus on my smartwatch?"),
                    "No, there's no watch app. On iPhone you can add a quick note by voice with the \"Add to Nimbus\" Siri shortcut."),
            new Platform(List.of("Is there a web version?", "Can I use Nimbus without installing anything?", "Which browsers does the web app support?"),
                    "The web app at app.nimbusnotes.example works in current Chrome, Firefox, Safari and Edge, with nothing "
                            + "to install. It needs a connection, though; only the apps work offline."));
}
