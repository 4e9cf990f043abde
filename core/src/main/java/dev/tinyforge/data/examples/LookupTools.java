package dev.tinyforge.data.examples;

import static dev.tinyforge.data.examples.ToolCallDataset.call;

import java.math.BigDecimal;
import java.util.List;

/** Requests for the tools that look something up: weather, currency, translation, web search, music. */
final class LookupTools {
    private LookupTools() {}

    private static final List<String> CITIES = List.of("Lisbon", "Tokyo", "New York", "São Paulo", "Cape Town", "Reykjavik",
            "Austin", "Nairobi", "Seoul", "Vancouver", "Berlin", "Mumbai", "Melbourne", "Paris", "Mexico City", "Dublin",
            "Oslo", "Cairo", "Denver", "Singapore", "Edinburgh", "Buenos Aires", "Kyoto", "Chicago");

    static Sample weather(Dice d) {
        String city = d.pick(CITIES);
        ToolCallDataset.Day day = d.chance(0.7) ? ToolCallDataset.day(d, true) : null;
        String when = day == null ? "" : " " + day.spoken();
        String units = d.chance(0.25) ? d.pick("celsius", "fahrenheit") : null;
        String inUnits = units == null ? "" : units.equals("celsius")
                ? d.pick(" in celsius", " in °C", " in Celsius") : d.pick(" in fahrenheit", " in °F", " in Fahrenheit");
        String input = switch (d.between(0, 5)) {
            case 0 -> "what's the weather in " + city + when + inUnits + "?";
            case 1 -> "weather " + city + when + inUnits;
            case 2 -> "will it rain in " + city + when + "?" + (units == null ? "" : " Temperatures" + inUnits + " please.");
            case 3 -> "how warm will it be in " + city + when + inUnits + "?";
            case 4 -> "do I need a jacket in " + city + when + "?" + (units == null ? "" : " Give me the temperature" + inUnits + ".");
            default -> "forecast for " + city + when + inUnits;
        };
        return call(Records.capitalize(input), "get_weather", "location", city, "date", day == null ? null : day.value(), "units", units);
    }

    /** A currency: its ISO code and the ways people name it; a symbol is written before the amount. */
    private record Currency(String code, String symbol, List<String> names) {}

    private static final List<Currency> CURRENCIES = List.of(
            new Currency("USD", "$", List.of("dollars", "US dollars", "USD")),
            new Currency("EUR", "€", List.of("euros", "EUR", "euro")),
            new Currency("GBP", "£", List.of("pounds", "British pounds", "GBP")),
            new Currency("JPY", "¥", List.of("yen", "Japanese yen", "JPY")),
            new Currency("CHF", null, List.of("Swiss francs", "CHF")),
            new Currency("CAD", null, List.of("Canadian dollars", "CAD")),
            new Currency("AUD", null, List.of("Australian dollars", "AUD")),
            new Currency("INR", "₹", List.of("rupees", "Indian rupees", "INR")),
            new Currency("MXN", null, List.of("Mexican pesos", "MXN")),
            new Currency("BRL", null, List.of("Brazilian reais", "BRL")),
            new Currency("SEK", null, List.of("Swedish kronor", "SEK")),
            new Currency("KRW", "₩", List.of("won", "Korean won", "KRW")));

    static Sample currency(Dice d) {
        List<Currency> pair = d.sample(CURRENCIES, 2);
        Currency from = pair.get(0), to = pair.get(1);
        String amount = d.chance(0.7) ? Integer.toString(d.pick(5, 10, 20, 25, 40, 50, 75, 100, 120, 150, 200, 250, 500, 750, 1000, 1500, 2500, 10000))
                : d.between(1, 499) + "." + String.format("%02d", d.pick(5, 25, 50, 75, 99, 10, 49));
        String money = from.symbol() != null && d.chance(0.4) ? from.symbol() + amount : amount + " " + d.pick(from.names());
        String target = d.pick(to.names());
        String input = switch (d.between(0, 5)) {
            case 0 -> "how much is " + money + " in " + target + "?";
            case 1 -> "convert " + money + " to " + target;
            case 2 -> money + " to " + target;
            case 3 -> "what's " + money + " in " + target + "?";
            case 4 -> "exchange " + money + " into " + target;
            default -> "I have " + money + ", how many " + target + " is that?";
        };
        return call(input, "convert_currency", "amount", new BigDecimal(amount), "from", from.code(), "to", to.code());
    }

    private record Language(String name, String code) {}

    private static final List<Language> LANGUAGES = List.of(new Language("Spanish", "es"), new Language("French", "fr"),
            new Language("German", "de"), new Language("Italian", "it"), new Language("Portuguese", "pt"),
            new Language("Japanese", "ja"), new Language("Korean", "ko"), new Language("Chinese", "zh"),
            new Language("Dutch", "nl"), new Language("Swedish", "sv"), new Language("Turkish", "tr"),
            new Language("Polish", "pl"), new Language("Arabic", "ar"), new Language("Hindi", "hi"));
    private static final Language ENGLISH = new Language("English", "en");

    private static final List<String> PHRASES = List.of("where is the train station", "I'd like a table for two",
            "thank you for your help", "how much does this cost", "the meeting is moved to Thursday", "I'm allergic to peanuts",
            "can I pay by card", "good morning, how are you", "the package arrived damaged", "please call me back",
            "we are out of milk", "happy birthday", "I lost my passport", "is this seat taken", "see you next week",
            "the wifi password is on the fridge", "where can I buy a SIM card", "one coffee with oat milk, please");

    /** Text in another language, with the language it is in. */
    private record Foreign(String text, Language language) {}

    private static final List<Foreign> FOREIGN = List.of(new Foreign("merci beaucoup", LANGUAGES.get(1)),
            new Foreign("¿dónde está el baño?", LANGUAGES.get(0)), new Foreign("Ich habe Hunger", LANGUAGES.get(2)),
            new Foreign("buona notte", LANGUAGES.get(3)), new Foreign("obrigado pela ajuda", LANGUAGES.get(4)),
            new Foreign("goedemorgen", LANGUAGES.get(8)), new Foreign("tack så mycket", LANGUAGES.get(9)),
            new Foreign("la cuenta, por favor", LANGUAGES.get(0)), new Foreign("je ne comprends pas", LANGUAGES.get(1)));

    static Sample translate(Dice d) {
        if (d.chance(0.25)) {
            Foreign f = d.pick(FOREIGN);
            Language target = d.chance(0.6) ? ENGLISH : d.pick(LANGUAGES.stream().filter(l -> l != f.language()).toList());
            String input = d.pick("translate \"" + f.text() + "\" from " + f.language().name() + " to " + target.name(),
                    "what does \"" + f.text() + "\" mean in " + target.name() + "? It's " + f.language().name() + ".",
                    f.language().name() + " to " + target.name() + ": " + f.text());
            return call(Records.capitalize(input), "translate", "text", f.text(), "target_language", target.code(),
                    "source_language", f.language().code());
        }
        String text = d.pick(PHRASES);
        Language target = d.pick(LANGUAGES);
        boolean fromEnglish = d.chance(0.2);
        String input = switch (d.between(0, 4)) {
            case 0 -> "translate \"" + text + "\" " + (fromEnglish ? "from English " : "") + "into " + target.name();
            case 1 -> "how do you say \"" + text + "\" in " + target.name() + "?";
            case 2 -> "translate to " + target.name() + ": " + text;
            case 3 -> "can you put \"" + text + "\" into " + target.name() + (fromEnglish ? "? It's English." : "?");
            default -> target.name() + " for \"" + text + "\", please";
        };
        return call(Records.capitalize(input), "translate", "text", text, "target_language", target.code(),
                "source_language", fromEnglish ? "en" : null);
    }

    private static final List<String> QUERIES = List.of("the population of Iceland", "best hiking trails near Denver",
            "how to descale a kettle", "python list comprehension examples", "opening hours of the Louvre",
            "who won the 2018 world cup", "symptoms of vitamin D deficiency", "cheap flights to Rome in May",
            "how long to boil an egg", "reviews of the Framework laptop", "when is the next solar eclipse",
            "train times from Leeds to York", "how to remove a red wine stain", "the tallest building in Africa",
            "vegan lasagna recipe", "what time does Costco close", "difference between a virus and bacteria",
            "how to change a bike tire", "JDK 25 release notes", "distance from the Earth to Mars");

    static Sample search(Dice d) {
        String q = d.pick(QUERIES);
        String input = d.pick("search the web for " + q, "look up " + q, "google " + q, "can you search for " + q + "?",
                "find out " + q + " online", "search: " + q, "I need info on " + q);
        return call(Records.capitalize(input), "search_web", "query", q);
    }

    private static final List<String> ARTISTS = List.of("Miles Davis", "Taylor Swift", "Radiohead", "Bad Bunny", "Nina Simone",
            "Daft Punk", "Fleetwood Mac", "Kendrick Lamar", "Adele", "Bach", "Fela Kuti", "Björk");
    private static final List<String> SONGS = List.of("Bohemian Rhapsody", "Yesterday", "Clair de Lune", "Hotel California",
            "Blinding Lights", "Respect", "Dancing Queen", "Redbone", "Feeling Good", "Wonderwall");
    private static final List<String> ALBUMS = List.of("Kind of Blue", "Abbey Road", "Rumours", "Thriller",
            "Random Access Memories", "OK Computer", "Blue", "To Pimp a Butterfly");
    private static final List<String> PLAYLISTS = List.of("workout", "focus", "chill evening", "road trip", "sleep",
            "dinner party", "morning run", "deep work");

    static Sample music(Dice d) {
        return switch (d.between(0, 3)) {
            case 0 -> {
                String x = d.pick(ARTISTS);
                yield call(d.pick("play some " + x, "play music by " + x, "put on " + x, "I want to listen to " + x, "play " + x + " please"),
                        "play_music", "query", x, "type", "artist");
            }
            case 1 -> {
                String x = d.pick(SONGS);
                yield call(d.pick("play the song " + x, "put on the track " + x, "play \"" + x + "\"", "can you play the song " + x + "?"),
                        "play_music", "query", x, "type", "song");
            }
            case 2 -> {
                String x = d.pick(ALBUMS);
                yield call(d.pick("play the album " + x, "put on the " + x + " album", "play " + x + ", the whole album",
                        "I want to hear the album " + x), "play_music", "query", x, "type", "album");
            }
            default -> {
                String x = d.pick(PLAYLISTS);
                yield call(d.pick("play my " + x + " playlist", "start the " + x + " playlist", "shuffle my " + x + " playlist",
                        "put on the " + x + " playlist"), "play_music", "query", x, "type", "playlist");
            }
        };
    }
}
