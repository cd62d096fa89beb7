package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LoadAndTimeMagicTest {
    @TempDir
    Path dir;
    private final MagicRegistry reg = GeneralMagics.registry();
    private RecordingContext ctx;

    @BeforeEach
    void context() {
        ctx = new RecordingContext(reg, dir);
    }

    @Test
    void load_evaluates_the_file_text_and_returns_its_value() throws Exception {
        String code = "int twice(int x) { return 2 * x; }\ntwice(21)\n";
        Files.writeString(dir.resolve("setup.jsh"), code);
        ctx.answer(code, 42);
        assertEquals(42, MagicInvoker.runLine(reg, "load", "setup.jsh", ctx));
        assertEquals(List.of(code), ctx.evaluated);
    }

    @Test
    void load_runs_several_files_in_order() throws Exception {
        Files.writeString(dir.resolve("a.jsh"), "int a = 1;");
        Files.createDirectories(dir.resolve("more dir"));
        Files.writeString(dir.resolve("more dir/b.jsh"), "a + 1");
        ctx.answer("a + 1", 2);
        assertEquals(2, MagicInvoker.runLine(reg, "load", "a.jsh 'more dir/b.jsh'", ctx));
        assertEquals(List.of("int a = 1;", "a + 1"), ctx.evaluated);
    }

    @Test
    void load_of_a_device_says_it_is_not_a_regular_file() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "load", "/dev/null", ctx));
        assertTrue(e.getMessage().contains("/dev/null is not a regular file but a FIFO, device or socket"),
                e.getMessage());
        assertTrue(ctx.evaluated.isEmpty());
    }

    @Test
    void load_of_a_missing_file_names_the_path() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "load", "nope.jsh", ctx));
        assertTrue(e.getMessage().startsWith("Failed to run %load: No such file: nope.jsh (looked for "
                + dir.resolve("nope.jsh").toAbsolutePath().normalize()), e.getMessage());
        assertTrue(e.getMessage().endsWith("\nUsage: " + LoadMagic.USAGE), e.getMessage());
        assertTrue(ctx.evaluated.isEmpty());
    }

    @Test
    void load_passes_on_an_evaluation_error_as_the_cause() throws IOException {
        Files.writeString(dir.resolve("bad.jsh"), "int x = ;");
        MagicException compile = new MagicException("illegal start of expression");
        ctx.fail("int x = ;", compile);
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "load", "bad.jsh", ctx));
        assertEquals("Failed to run %load: illegal start of expression\nUsage: " + LoadMagic.USAGE,
                e.getMessage());
        assertEquals(compile, e.getCause());
    }

    @Test
    void load_without_a_file_says_what_to_give() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "load", "", ctx));
        assertTrue(e.getMessage().contains("give the file to load"), e.getMessage());
    }

    @Test
    void time_runs_the_rest_of_the_line_prints_the_wall_time_and_returns_the_value()
            throws MagicException {
        ctx.answer("fib(20)", 6765);
        assertEquals(6765, MagicInvoker.runLine(reg, "time", "fib(20)", ctx));
        assertEquals(List.of("fib(20)"), ctx.evaluated);
        assertTrue(ctx.printed().matches("Wall time: [0-9.]+ (ns|µs|ms|s)\\R"), ctx.printed());
    }

    @Test
    void time_passes_code_with_unbalanced_quotes_untouched() throws MagicException {
        String code = "char c = '\\'';";
        MagicInvoker.runLine(reg, "time", code, ctx);
        assertEquals(List.of(code), ctx.evaluated);
    }

    @Test
    void time_measures_the_evaluation() throws MagicException {
        ctx.evalSleepMillis = 30;
        MagicInvoker.runLine(reg, "time", "sleep()", ctx);
        String printed = ctx.printed().strip();
        assertTrue(printed.matches("Wall time: [0-9.]+ ms"), printed);
        double ms = Double.parseDouble(printed.replaceAll("[^0-9.]", ""));
        assertTrue(ms >= 29 && ms < 5000, printed);
    }

    @Test
    void time_with_as_binds_the_value() throws MagicException {
        ctx.answer("compute()", "done");
        assertNull(MagicInvoker.runLine(reg, "time", "compute() as r", ctx));
        assertEquals(List.of("compute()"), ctx.evaluated);
        assertEquals("done", ctx.bindings.get("r"));
    }

    @Test
    void cell_time_runs_the_body() throws MagicException {
        String body = "int s = 0;\nfor (int i = 0; i < 10; i++) s += i;\ns";
        ctx.answer(body, 45);
        assertEquals(45, MagicInvoker.runCell(reg, "time", "", body, ctx));
        assertEquals(List.of(body), ctx.evaluated);
        assertTrue(ctx.printed().startsWith("Wall time: "), ctx.printed());
    }

    @Test
    void time_reports_a_failing_evaluation_with_its_usage() {
        ctx.fail("oops()", new MagicException("cannot find symbol: oops()"));
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "time", "oops()", ctx));
        assertEquals("Failed to run %time: cannot find symbol: oops()\nUsage: "
                + reg.find("time").orElseThrow().usage(), e.getMessage());
        assertInstanceOf(MagicException.class, e.getCause());
    }

    @Test
    void time_needs_code() {
        assertThrows(MagicException.class, () -> MagicInvoker.runLine(reg, "time", "  ", ctx));
        assertThrows(MagicException.class, () -> MagicInvoker.runCell(reg, "time", "", " \n", ctx));
        assertThrows(MagicException.class, () -> MagicInvoker.runCell(reg, "time", "x", "y", ctx));
    }

    @Test
    void durations_are_shown_with_a_fitting_unit() {
        assertEquals("999 ns", TimeMagic.format(999));
        assertEquals("1.00 µs", TimeMagic.format(1_000));
        assertEquals("850 µs", TimeMagic.format(850_000));
        assertEquals("1.00 ms", TimeMagic.format(999_700));
        assertEquals("12.3 ms", TimeMagic.format(12_345_678));
        assertEquals("123 ms", TimeMagic.format(123_456_789));
        assertEquals("1.00 s", TimeMagic.format(999_999_999));
        assertEquals("4.57 s", TimeMagic.format(4_567_000_000L));
        assertEquals("59.9 s", TimeMagic.format(59_900_000_000L));
        assertEquals("1 min 0.0 s", TimeMagic.format(59_970_000_000L));
        assertEquals("2 min 3.4 s", TimeMagic.format(123_400_000_000L));
        assertEquals("0 ns", TimeMagic.format(-5));
    }
}
