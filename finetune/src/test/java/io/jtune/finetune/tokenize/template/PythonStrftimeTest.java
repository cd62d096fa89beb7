package io.jtune.finetune.tokenize.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** Expected strings are Python's {@code datetime(...).strftime(...)} in the C locale. */
class PythonStrftimeTest {
    private static final LocalDateTime JULY = LocalDateTime.of(2024, 7, 6, 9, 5, 3, 123_456_000);

    @Test
    void everyDirectiveFormatsAsPythonDoes() {
        assertEquals("Sat Saturday 6 06 Jul July 07 24 2024 09 09 AM 05 03 123456 188 26 27",
                PythonStrftime.format(JULY, "%a %A %w %d %b %B %m %y %Y %H %I %p %M %S %f %j %U %W"));
        assertEquals("Sat Jul  6 09:05:03 2024|07/06/24|09:05:03|%| 6|6 7 9 9 5 3 188",
                PythonStrftime.format(JULY, "%c|%x|%X|%%|%e|%-d %-m %-H %-I %-M %-S %-j"));
        assertEquals("2024-W27-6", PythonStrftime.format(JULY, "%G-W%V-%u"));
        assertEquals("", PythonStrftime.format(JULY, "%z%Z"));
    }

    @Test
    void weekNumbersAndMidnightAtTheStartOfAYear() {
        assertEquals("Sun 01 00 2022-W52-7 12 AM 001",
                PythonStrftime.format(LocalDateTime.of(2023, 1, 1, 0, 0), "%a %U %W %G-W%V-%u %I %p %j"));
    }

    @Test
    void anUnknownDirectiveIsKeptAsWritten() {
        assertEquals("%Q and %", PythonStrftime.format(JULY, "%Q and %"));
    }
}
