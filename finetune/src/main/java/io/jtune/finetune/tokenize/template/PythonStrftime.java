package io.jtune.finetune.tokenize.template;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * Python's {@code datetime.strftime} in the C locale, for the {@code strftime_now(format)} global
 * of chat templates: the directives {@code %a %A %w %d %b %B %m %y %Y %H %I %p %M %S %f %z %Z %j %U
 * %W %c %x %X %e %G %V %u %%}, and glibc's {@code %-d}-style directives without padding. The time is
 * naive, as Python's {@code datetime.now()}, so {@code %z} and {@code %Z} are empty.
 */
final class PythonStrftime {
    private PythonStrftime() {}

    static String format(LocalDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            boolean unpadded = false;
            if (d == '-' && i + 1 < format.length()) {
                unpadded = true;
                d = format.charAt(++i);
            }
            String field = directive(t, d);
            if (field == null) {
                out.append('%').append(unpadded ? "-" : "").append(d);
            } else {
                out.append(unpadded ? unpad(field) : field);
            }
        }
        return out.toString();
    }

    private static String directive(LocalDateTime t, char d) {
        switch (d) {
            case 'a': return t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'A': return t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'w': return Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'u': return Integer.toString(t.getDayOfWeek().getValue());
            case 'd': return two(t.getDayOfMonth());
            case 'e': return String.format(Locale.ROOT, "%2d", t.getDayOfMonth());
            case 'b': return t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'B': return t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'm': return two(t.getMonthValue());
            case 'y': return two(t.getYear() % 100);
            case 'Y': return Integer.toString(t.getYear());
            case 'G': return Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'V': return two(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case 'H': return two(t.getHour());
            case 'I': return two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
            case 'p': return t.getHour() < 12 ? "AM" : "PM";
            case 'M': return two(t.getMinute());
            case 'S': return two(t.getSecond());
            case 'f': return String.format(Locale.ROOT, "%06d", t.get(ChronoField.MICRO_OF_SECOND));
            case 'z': return "";
            case 'Z': return "";
            case 'j': return String.format(Locale.ROOT, "%03d", t.getDayOfYear());
            case 'U': return two((t.getDayOfYear() - 1 + 7 - t.getDayOfWeek().getValue() % 7) / 7);
            case 'W': return two((t.getDayOfYear() - 1 + 7 - (t.getDayOfWeek().getValue() - 1)) / 7);
            case 'c': return format(t, "%a %b %e %H:%M:%S %Y");
            case 'x': return format(t, "%m/%d/%y");
            case 'X': return format(t, "%H:%M:%S");
            case '%': return "%";
            default: return null;
        }
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static String unpad(String field) {
        String s = field.strip();
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }
}
