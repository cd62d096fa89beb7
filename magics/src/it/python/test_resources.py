"""Resources a cell can exhaust: the heap (OutOfMemoryError), the common pool, the history file.

The OOM kernel runs with a small heap (-Xmx256m through JTUNE_JAVA_OPTS, what --java-opts writes)
so that filling it is cheap; time bounds are generous ("answers within 30 s"), not benchmarks.
"""

import json
import os
import time
import unittest

from jtune_it import JDK25, KernelTestCase

# the kernelspec's default options with a small heap in place of the quarter of RAM
SMALL_HEAP = ("-Djava.awt.headless=true -Dai.djl.offline=true -XX:+UseParallelGC -Xss8m"
              " -Xmx256m -XX:GCTimeLimit=90 -XX:GCHeapFreeLimit=5")
ANSWERS_WITHIN = 30.0


class OutOfMemoryTest(KernelTestCase):

    extra_env = {"JTUNE_JAVA_OPTS": SMALL_HEAP}

    def timed(self, f):
        t0 = time.monotonic()
        r = f()
        return r, time.monotonic() - t0

    def test_a_cell_that_fills_the_heap_fails_and_the_kernel_answers_after(self):
        self.k.ok("int beforeOom = 41;")
        self.k.ok("var hoard = new ArrayList<long[]>();")
        r = self.k.execute("while (true) hoard.add(new long[1024]);", timeout=300)
        self.assertEqual(r.status, "error", r.summary())
        self.assertEqual(r.content["ename"], "OutOfMemoryError", r.content)
        text = r.content["evalue"]
        self.assertIn("MB limit after garbage collection", text)
        self.assertIn("hoard", text)
        self.assertIn("hoard = null;", text)
        self.assertEqual(len(r.of("error")), 1, r.summary())

        # the kernel's own work answers while the variable still holds the heap
        rep, secs = self.timed(lambda: self.k.reply(self.k.send("kernel_info_request"), timeout=ANSWERS_WITHIN))
        self.assertEqual(rep["msg_type"], "kernel_info_reply")
        rep, secs = self.timed(lambda: self.k.request(
            "complete_request", {"code": "hoa", "cursor_pos": 3}, timeout=ANSWERS_WITHIN)[0])
        self.assertEqual(rep["content"]["status"], "ok", rep["content"])
        self.assertLess(secs, ANSWERS_WITHIN)
        self.assertEqual(self.k.execute("beforeOom + 1", timeout=ANSWERS_WITHIN).status, "ok")

        # the cell that frees the memory runs, and the notebook goes on with its state
        self.assertEqual(self.k.execute("hoard = null;", timeout=ANSWERS_WITHIN).status, "ok")
        self.assertEqual(self.k.value("beforeOom + 1"), "42")
        self.assertEqual(self.k.value("new long[1 << 20].length"), "1048576")


class ParallelStreamInterruptTest(KernelTestCase):

    def test_interrupt_stops_the_common_pool_workers_of_a_parallel_stream(self):
        self.k.ok("int beforeStream = 1;")
        mid = self.k.execute_async(
            "java.util.stream.IntStream.range(0, 64).parallel()"
            ".map(i -> { long s = 0; while (true) { s++; if (s < 0) return (int) s; } }).sum()")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if any(m["msg_type"] == "execute_input" for m in self.k.iopub_so_far(mid, 0.1)):
                break
        time.sleep(1.0)
        self.k.reply(self.k.send("interrupt_request", {}, channel="control"), "control", timeout=10)
        rep = self.k.reply(mid, timeout=ANSWERS_WITHIN)
        self.assertEqual(rep["content"]["status"], "error", rep["content"])
        self.assertEqual(rep["content"]["ename"], "Interrupted", rep["content"])
        self.k.iopub(mid, timeout=10)
        # no pool worker keeps a core busy: the pool is quiet
        self.assertEqual(self.k.value(
            "java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(10, java.util.concurrent.TimeUnit.SECONDS)"),
            "true")
        self.assertEqual(self.k.value("beforeStream + 1"), "2")

    def test_pool_work_that_runs_on_is_announced(self):
        mid = self.k.execute_async(
            "java.util.concurrent.ForkJoinPool.commonPool().submit(() -> { try { Thread.sleep(6_000); }"
            " catch (InterruptedException e) {} }); Thread.sleep(600_000);")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if any(m["msg_type"] == "execute_input" for m in self.k.iopub_so_far(mid, 0.1)):
                break
        time.sleep(1.0)
        self.k.reply(self.k.send("interrupt_request", {}, channel="control"), "control", timeout=10)
        rep = self.k.reply(mid, timeout=ANSWERS_WITHIN)
        self.assertIn("ForkJoinPool.commonPool() worker", rep["content"]["evalue"], rep["content"])
        self.k.iopub(mid, timeout=10)
        self.assertAlive()


class OutOfMemoryJdk25Test(OutOfMemoryTest):

    java_home = JDK25


class ParallelStreamInterruptJdk25Test(ParallelStreamInterruptTest):

    java_home = JDK25


class HistoryCapTest(KernelTestCase):

    def test_a_huge_cell_is_cut_in_the_history_file(self):
        big = "String pasted = \"" + "a" * 200_000 + "\";"
        self.k.ok("int beforeBig = 5;")
        self.k.execute(big, timeout=120)
        self.k.ok("beforeBig")
        with open(self.spec.history_file) as f:
            entries = [json.loads(line) for line in f if line.strip()]
        self.assertLess(os.path.getsize(self.spec.history_file), 100_000)
        cut = [e for e in entries if e["source"].startswith("String pasted")]
        self.assertEqual(len(cut), 1, [e["source"][:40] for e in entries])
        self.assertIn("more characters not kept", cut[0]["source"])
        self.assertEqual(entries[-1]["source"], "beforeBig")


if __name__ == "__main__":
    unittest.main()
