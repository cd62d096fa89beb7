package io.jtune.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.kernel.magic.GeneralMagics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a cell leaves behind: memory it filled, common-pool work it started. */
class CellResourcesTest {
    static JShellEvaluator evaluator;

    @BeforeAll
    static void start() {
        evaluator = new JShellEvaluator(EvaluatorOptions.defaults(), GeneralMagics.registry());
        evaluator.awaitReady();
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    private static CellResult run(String code) {
        return evaluator.execute(code, new RecordingCellIO());
    }

    @Test
    void anOutOfMemoryErrorNamesTheHeapTheVariablesAndHowToFreeThem() {
        run("java.util.List<long[]> bigData = new java.util.ArrayList<>();");
        MemoryCushion.restore();
        assertTrue(MemoryCushion.held(), "a cushion is held while memory is plenty");
        CellResult r = run("throw new OutOfMemoryError(\"Java heap space\");");
        assertFalse(r.ok());
        assertEquals(MemoryReport.ENAME, r.error().ename());
        String text = r.error().evalue();
        assertTrue(text.contains("Java heap space"), text);
        assertTrue(text.matches("(?s).*The heap holds \\d+ MB of its \\d+ MB limit after garbage collection.*"), text);
        assertTrue(text.contains("List<long[]> bigData"), text);
        assertTrue(text.contains("bigData = null;") && text.contains("restart the kernel") && text.contains("-Xmx"), text);
        assertFalse(MemoryCushion.held(), "the cushion is released for the kernel's own work");
        assertEquals(3, run("1 + 2").value());
        assertTrue(MemoryCushion.held(), "taken again once the heap has room");
    }

    @Test
    void aDirectMemoryShortageSuggestsMaxDirectMemorySize() {
        CellResult r = run("throw new OutOfMemoryError(\"Cannot reserve 100 bytes of direct buffer memory\");");
        assertTrue(r.error().evalue().contains("-XX:MaxDirectMemorySize"), r.error().evalue());
    }

    @Test
    void interruptingAParallelStreamStopsItsCommonPoolWorkersToo() throws Exception {
        CompletableFuture<CellResult> running = CompletableFuture.supplyAsync(() -> run(
                "java.util.stream.IntStream.range(0, 64).parallel()"
                        + ".map(i -> { long s = 0; while (true) { s++; if (s < 0) return (int) s; } }).sum()"));
        Thread.sleep(800);
        assertTrue(ForkJoinPool.commonPool().getActiveThreadCount() > 0, "the stream runs on the common pool");
        evaluator.interrupt();
        CellResult r = running.get(10, TimeUnit.SECONDS);
        assertTrue(r.interrupted(), String.valueOf(r.error()));
        assertTrue(ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS), "no pool worker keeps running");
        assertEquals("The cell was interrupted.", r.error().evalue());
        assertEquals(3, run("1 + 2").value());
        assertEquals(45, run("java.util.stream.IntStream.range(0, 10).parallel().sum()").value(),
                "the next cell's parallel stream runs");
    }

    @Test
    void poolWorkThatDoesNotStopIsAnnouncedInTheCellsError() throws Exception {
        // a pool task blocked in a call that no stop check reaches (pool threads are not interrupted)
        CompletableFuture<CellResult> running = CompletableFuture.supplyAsync(() -> run(
                "java.util.concurrent.ForkJoinPool.commonPool().submit(() -> { try { Thread.sleep(5_000); }"
                        + " catch (InterruptedException e) {} }); Thread.sleep(60_000);"));
        Thread.sleep(800);
        evaluator.interrupt();
        CellResult r = running.get(10, TimeUnit.SECONDS);
        assertTrue(r.interrupted(), String.valueOf(r.error()));
        assertTrue(r.error().evalue().contains("ForkJoinPool.commonPool() worker(s)"), r.error().evalue());
        assertTrue(ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS));
        assertEquals(3, run("1 + 2").value());
    }
}
