"""interrupt_request on the control channel stops a busy loop, on JDK 17 and on JDK 25."""

import time
import unittest

from jtune_it import JDK17, JDK25, KernelTestCase


class InterruptJdk17Test(KernelTestCase):

    java_home = JDK17
    expected_major = "17"

    def test_runs_on_expected_jdk(self):
        version = self.k.value('System.getProperty("java.version")').strip('"')
        self.assertTrue(version.split(".")[0] == self.expected_major,
                        "kernel runs on java.version %s, expected %s" % (version, self.expected_major))

    def interrupt_busy(self, code, via_manager=False):
        self.k.ok("int beforeInterrupt = 1;")
        mid = self.k.execute_async(code)
        # wait until the cell is running (busy published, execute_input seen)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            msgs = self.k.iopub_so_far(mid, 0.1)
            if any(m["msg_type"] == "execute_input" for m in msgs):
                break
        time.sleep(0.5)
        self.assertIsNone(self.k.maybe_reply(mid, timeout=0.1), "the loop ended by itself")
        t0 = time.monotonic()
        if via_manager:
            self.k.km.interrupt_kernel()
            irep = None
        else:
            imid = self.k.send("interrupt_request", {}, channel="control")
            irep = self.k.reply(imid, "control", timeout=10)
        rep = self.k.reply(mid, timeout=30)
        elapsed = time.monotonic() - t0
        msgs = self.k.iopub(mid, timeout=10)
        if irep is not None:
            self.assertEqual(irep["msg_type"], "interrupt_reply")
            self.assertEqual(irep["content"].get("status"), "ok", irep["content"])
        self.assertEqual(rep["content"]["status"], "error", rep["content"])
        self.assertLess(elapsed, 1.0, "execute_reply came %.3f s after interrupt_request" % elapsed)
        errors = [m for m in msgs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1, [m["msg_type"] for m in msgs])
        # next cell works and the state survived
        self.assertEqual(self.k.value("beforeInterrupt + 1"), "2")
        return rep, elapsed

    def test_interrupt_while_true(self):
        self.interrupt_busy("while (true) {}")

    def test_interrupt_counting_loop(self):
        self.interrupt_busy("long spins = 0; while (true) { spins++; }")

    def test_interrupt_sleep(self):
        self.interrupt_busy("Thread.sleep(600_000);")

    def test_interrupt_via_kernel_manager(self):
        # what Jupyter does for interrupt_mode "message"
        self.interrupt_busy("while (true) {}", via_manager=True)

    def test_interrupt_idle_kernel(self):
        rep = self.k.reply(self.k.send("interrupt_request", {}, channel="control"), "control", 10)
        self.assertEqual(rep["content"].get("status"), "ok", rep["content"])
        self.assertAlive()


class InterruptJdk25Test(InterruptJdk17Test):

    java_home = JDK25
    expected_major = "25"


if __name__ == "__main__":
    unittest.main()
