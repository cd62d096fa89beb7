package io.jtune.magics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8ArgumentsTest {
    private static List<byte[]> cmdline(byte[]... args) {
        List<byte[]> out = new ArrayList<>();
        out.add("java".getBytes(StandardCharsets.US_ASCII));
        out.add("io.jtune.magics.Cli".getBytes(StandardCharsets.US_ASCII));
        out.addAll(List.of(args));
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void splitsAProcCmdlineOnItsNuls() {
        List<byte[]> parts = Utf8Arguments.split("java\0-cp\0\0x\0".getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of("java", "-cp", "", "x"),
                parts.stream().map(b -> new String(b, StandardCharsets.US_ASCII)).toList());
    }

    @Test
    void validUtf8ReadsRightUnderAnAsciiLocale() {
        // What JDK 17 and 25 give under LC_ALL=C for "é": one U+FFFD per byte.
        String[] java = {"next-token", "--prompt", "\uFFFD\uFFFD"};
        String[] out = Utf8Arguments.decode(java,
                cmdline(ascii("next-token"), ascii("--prompt"), "é".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(new String[] {"next-token", "--prompt", "é"}, out);
    }

    @Test
    void invalidUtf8IsRefusedNamingTheOption() {
        byte[] bad = {'a', (byte) 0xFF, 'b'};
        String[] java = {"next-token", "m", "--prompt", "a\uFFFDb"};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Utf8Arguments.decode(java,
                cmdline(ascii("next-token"), ascii("m"), ascii("--prompt"), bad)));
        assertEquals("the value of --prompt is not valid UTF-8 (byte 0xFF at byte 2 of it); arguments are read as UTF-8",
                e.getMessage());
        byte[] joined = {'-', '-', 'p', 'r', 'o', 'm', 'p', 't', '=', (byte) 0xC3};
        e = assertThrows(IllegalArgumentException.class, () -> Utf8Arguments.decode(
                new String[] {"generate", "--prompt=\uFFFD"}, cmdline(ascii("generate"), joined)));
        assertEquals("the value of --prompt is not valid UTF-8 (byte 0xC3 at byte 10 of it); arguments are read as UTF-8",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Utf8Arguments.decode(
                new String[] {"\uFFFD"}, cmdline(new byte[] {(byte) 0x80})));
        assertEquals("argument 1 is not valid UTF-8 (byte 0x80 at byte 1 of it); arguments are read as UTF-8",
                e.getMessage());
    }

    @Test
    void argumentsThatDoNotMatchTheCmdlineAreKept() {
        String[] java = {"run", "x.ipynb"};
        assertSame(java, Utf8Arguments.decode(java, cmdline(ascii("run"), ascii("y.ipynb"))));
        assertSame(java, Utf8Arguments.decode(java, List.of(ascii("x.ipynb"))));
        String[] plain = {"run", "\uFFFD"};
        assertSame(plain, Utf8Arguments.decode(plain, cmdline(ascii("run"), ascii("z"))));
    }

    @Test
    void theRunningProcessReadsItsOwnArguments() {
        // The test JVM's own last arguments are whatever surefire passed; none of them is a made-up one.
        String[] made = {"no-such-argument-" + System.nanoTime()};
        assertSame(made, Utf8Arguments.of(made));
    }
}
