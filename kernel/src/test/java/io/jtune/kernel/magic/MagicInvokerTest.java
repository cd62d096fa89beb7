package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MagicInvokerTest {
    private final AtomicReference<MagicArgs> seen = new AtomicReference<>();
    private final MagicRegistry reg = new MagicRegistry()
            .registerLine("echo", "Returns its words", "%echo WORDS...", (a, c) -> {
                seen.set(a);
                return a.positional();
            })
            .registerLine("boom", "Fails", "%boom", (a, c) -> {
                throw new MagicException("it blew up");
            })
            .registerLine("npe", "Fails badly", "%npe", (a, c) -> {
                throw new NullPointerException();
            })
            .registerLine("nothing", "Returns null", "%nothing", (a, c) -> null)
            .registerLine("stop", "Is interrupted", "%stop", (a, c) -> {
                throw new InterruptedException("stopped");
            })
            .registerCell("upper", "Upper-cases its body", "%%upper", (a, body, c) -> {
                seen.set(a);
                return body.toUpperCase();
            })
            .alias("say", "echo");
    private final RecordingContext ctx = new RecordingContext(reg, Path.of("."));

    @Test
    void a_line_magic_gets_parsed_arguments_and_its_result_is_returned() throws MagicException {
        Object result = MagicInvoker.runLine(reg, "echo", "a 'b c' k=v", ctx);
        assertEquals(List.of("a", "b c"), result);
        assertEquals(Map.of("k", "v"), seen.get().options());
    }

    @Test
    void a_cell_magic_gets_its_arguments_and_body() throws MagicException {
        assertEquals("HELLO\nWORLD", MagicInvoker.runCell(reg, "%%upper", "--x", "hello\nworld", ctx));
        assertTrue(seen.get().flag("x"));
    }

    @Test
    void an_alias_runs_its_target() throws MagicException {
        assertEquals(List.of("hi"), MagicInvoker.runLine(reg, "%say", "hi", ctx));
    }

    @Test
    void as_name_binds_the_result_and_returns_nothing_to_show() throws MagicException {
        assertNull(MagicInvoker.runLine(reg, "echo", "a b as words", ctx));
        assertEquals(Map.of("words", List.of("a", "b")), ctx.bindings);
        assertNull(MagicInvoker.runCell(reg, "upper", "as shout", "hey", ctx));
        assertEquals("HEY", ctx.bindings.get("shout"));
    }

    @Test
    void binding_a_magic_that_returns_nothing_fails_clearly() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "nothing", "as x", ctx));
        assertEquals("Failed to run %nothing: %nothing returned no value, so there is nothing"
                + " to bind to x\nUsage: %nothing", e.getMessage());
        assertTrue(ctx.bindings.isEmpty());
    }

    @Test
    void the_bind_name_helper_reads_a_trailing_as() {
        assertEquals(Optional.of("v"), MagicInvoker.bindName("x y as v"));
        assertEquals(Optional.empty(), MagicInvoker.bindName("x y"));
    }

    @Test
    void a_failing_magic_is_reported_with_its_name_cause_and_usage() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "boom", "", ctx));
        assertEquals("Failed to run %boom: it blew up\nUsage: %boom", e.getMessage());
        assertInstanceOf(MagicException.class, e.getCause());
        assertEquals("it blew up", e.getCause().getMessage());
    }

    @Test
    void an_unexpected_exception_keeps_its_class_name_when_it_has_no_message() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "npe", "", ctx));
        assertEquals("Failed to run %npe: NullPointerException\nUsage: %npe", e.getMessage());
        assertInstanceOf(NullPointerException.class, e.getCause());
    }

    @Test
    void a_cell_magic_failure_names_it_with_two_percent_signs() {
        MagicRegistry r = new MagicRegistry().registerCell("bad", "B", "%%bad", (a, b, c) -> {
            throw new IllegalStateException("no");
        });
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runCell(r, "bad", "", "x", ctx));
        assertEquals("Failed to run %%bad: no\nUsage: %%bad", e.getMessage());
    }

    @Test
    void an_unbalanced_quote_fails_only_for_a_magic_that_reads_words() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "echo", "a \"b", ctx));
        assertTrue(e.getMessage().startsWith("Failed to run %echo: Unterminated \" quote"),
                e.getMessage());
        assertTrue(e.getMessage().contains("column 3"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\nUsage: %echo WORDS..."), e.getMessage());
    }

    @Test
    void an_unknown_magic_suggests_a_close_name() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "ecoh", "", ctx));
        assertEquals("Unknown magic %ecoh. Did you mean %echo? (%lsmagic lists them)", e.getMessage());
    }

    @Test
    void an_unknown_magic_without_a_close_name_only_points_to_lsmagic() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "qwertyuiop", "", ctx));
        assertEquals("Unknown magic %qwertyuiop. (%lsmagic lists them)", e.getMessage());
    }

    @Test
    void an_unknown_cell_magic_suggests_among_cell_magics() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runCell(reg, "uper", "", "x", ctx));
        assertEquals("Unknown magic %%uper. Did you mean %%upper? (%lsmagic lists them)",
                e.getMessage());
    }

    @Test
    void using_a_form_a_magic_lacks_says_which_form_it_has() {
        MagicException asLine = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "upper", "", ctx));
        assertTrue(asLine.getMessage().startsWith("%upper is a cell magic"), asLine.getMessage());
        MagicException asCell = assertThrows(MagicException.class,
                () -> MagicInvoker.runCell(reg, "echo", "", "body", ctx));
        assertTrue(asCell.getMessage().startsWith("%echo is a line magic"), asCell.getMessage());
    }

    @Test
    void an_interrupted_exception_propagates_unwrapped() {
        Exception e = assertThrows(Exception.class, () -> MagicInvoker.runLine(reg, "stop", "", ctx));
        assertInstanceOf(InterruptedException.class, e);
        assertEquals("stopped", e.getMessage());
    }

    @Test
    void a_failure_while_the_thread_is_interrupted_propagates_unwrapped() {
        try {
            Thread.currentThread().interrupt();
            Exception e = assertThrows(Exception.class,
                    () -> MagicInvoker.runLine(reg, "boom", "", ctx));
            assertEquals("it blew up", e.getMessage());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void a_failure_caused_by_an_interruption_propagates_unwrapped() {
        RuntimeException wrapped = new RuntimeException("wrapped", new InterruptedException());
        MagicRegistry r = new MagicRegistry().registerLine("w", "W", "%w", (a, c) -> {
            throw wrapped;
        });
        Exception e = assertThrows(Exception.class, () -> MagicInvoker.runLine(r, "w", "", ctx));
        assertSame(wrapped, e);
    }

    @Test
    void a_failing_bind_is_reported_like_a_failing_magic() {
        RecordingContext failing = new RecordingContext(reg, Path.of(".")) {
            @Override
            public void bind(String name, Object value) {
                throw new IllegalArgumentException("cannot declare " + name);
            }
        };
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "echo", "a as x", failing));
        assertEquals("Failed to run %echo: cannot declare x\nUsage: %echo WORDS...", e.getMessage());
        assertFalse(e.getMessage().contains("Unknown"));
    }
}
