package dev.tinyforge.tokenizer.template;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * {@code strftime_now(format)} as HF defines it: {@code datetime.now().strftime(format)}, a naive
 * local time formatted by glibc in the C locale (English names). So {@code %z} and {@code %Z} are
 * empty, as Python prints them for a naive datetime, and glibc's {@code -}, {@code _}, {@code 0} and
 * {@code ^} flags work ({@code %-d} is common in chat templates).
 */
final class Strftime {
    private Strftime() {}

    static String format(LocalDateTime t, String fmt) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i >= fmt.length()) {
                out.append('%'); // glibc prints a lone trailing '%'
                break;
            }
            char flag = 0;
            if ("-_0^#".indexOf(fmt.charAt(i)) >= 0) {
                flag = fmt.charAt(i);
                if (++i >= fmt.length()) throw EvalError.type("strftime_now: incomplete directive at the end of " + fmt);
            }
            char d = fmt.charAt(i);
            if (Character.isDigit(d)) throw EvalError.unsupported("strftime_now: field widths (%" + d + "...) are not supported");
            String field = directive(t, d, flag);
            out.append(flag == '^' ? field.toUpperCase(Locale.ROOT) : field);
        }
        return out.toString();
    }

    private static String directive(LocalDateTime t, char d, char flag) {
        return switch (d) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'c' -> format(t, "%a %b %e %H:%M:%S %Y");
            case 'C' -> number(t.getYear() / 100, 2, '0', flag);
            case 'd' -> number(t.getDayOfMonth(), 2, '0', flag);
            case 'D', 'x' -> format(t, "%m/%d/%y");
            case 'e' -> number(t.getDayOfMonth(), 2, ' ', flag);
            case 'f' -> number(t.getNano() / 1000, 6, '0', flag);
            case 'F' -> format(t, "%Y-%m-%d");
            case 'G' -> Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'g' -> number(t.get(IsoFields.WEEK_BASED_YEAR) % 100, 2, '0', flag);
            case 'H' -> number(t.getHour(), 2, '0', flag);
            case 'I' -> number(hour12(t), 2, '0', flag);
            case 'j' -> number(t.getDayOfYear(), 3, '0', flag);
            case 'k' -> number(t.getHour(), 2, ' ', flag);
            case 'l' -> number(hour12(t), 2, ' ', flag);
            case 'm' -> number(t.getMonthValue(), 2, '0', flag);
            case 'M' -> number(t.getMinute(), 2, '0', flag);
            case 'n' -> "\n";
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'P' -> t.getHour() < 12 ? "am" : "pm";
            case 'r' -> format(t, "%I:%M:%S %p");
            case 'R' -> format(t, "%H:%M");
            case 'S' -> number(t.getSecond(), 2, '0', flag);
            case 't' -> "\t";
            case 'T', 'X' -> format(t, "%H:%M:%S");
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'U' -> number(weekOfYear(t, DayOfWeek.SUNDAY), 2, '0', flag);
            case 'W' -> number(weekOfYear(t, DayOfWeek.MONDAY), 2, '0', flag);
            case 'V' -> number(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', flag);
            case 'y' -> number(t.getYear() % 100, 2, '0', flag);
            case 'Y' -> Integer.toString(t.getYear());
            case 'z', 'Z' -> ""; // naive datetime: Python prints nothing
            case '%' -> "%";
            default -> throw EvalError.unsupported("strftime_now: directive %" + d + " is not supported");
        };
    }

    private static int hour12(LocalDateTime t) {
        int h = t.getHour() % 12;
        return h == 0 ? 12 : h;
    }

    /** Weeks before the first {@code first}-day of the year are week 0, as C's %U and %W count. */
    private static int weekOfYear(LocalDateTime t, DayOfWeek first) {
        int dayOfYear0 = t.getDayOfYear() - 1;
        int weekday = (t.getDayOfWeek().getValue() - first.getValue() + 7) % 7; // days since the week began
        return (dayOfYear0 - weekday + 7) / 7;
    }

    private static String number(int value, int width, char pad, char flag) {
        String digits = Integer.toString(value);
        if (flag == '-') return digits;
        char fill = flag == '_' ? ' ' : flag == '0' ? '0' : pad;
        return digits.length() >= width ? digits : String.valueOf(fill).repeat(width - digits.length()) + digits;
    }
}
