"""shutdown_request (the process exits, nothing left behind) and restart via KernelManager."""

import os
import subprocess
import time
import unittest

from jtune_it import KernelTestCase, TIMEOUT, pid_alive, pids_with_arg


def wait_gone(km, pid, conn, seconds):
    """Waits until the kernel process (reaped through its Popen) and anything started with the
    connection file on its command line are gone; returns what is still alive."""
    deadline = time.monotonic() + seconds
    proc = getattr(km.provisioner, "process", None) if km.provisioner else None
    while time.monotonic() < deadline:
        if proc is not None:
            proc.poll()
        left = [p for p in pids_with_arg(conn) if pid_alive(p)]
        if pid is not None and pid_alive(pid) and pid not in left:
            left.append(pid)
        if not left:
            return []
        time.sleep(0.05)
    return left


class ShutdownTest(KernelTestCase):

    def test_shutdown_request(self):
        self.k.ok('System.out.println("about to shut down");')
        pid = self.k.pid
        conn = self.k.km.connection_file
        self.assertIsNotNone(pid)
        self.assertTrue(pid_alive(pid))
        java = [p for p in pids_with_arg(conn) if p != pid]
        t0 = time.monotonic()
        rep = self.k.reply(self.k.send("shutdown_request", {"restart": False}, channel="control"),
                           "control", timeout=30)
        self.assertEqual(rep["msg_type"], "shutdown_reply")
        self.assertEqual(rep["content"].get("status"), "ok", rep["content"])
        self.assertIs(rep["content"].get("restart"), False, rep["content"])
        left = wait_gone(self.k.km, pid, conn, 10)
        took = time.monotonic() - t0
        self.assertEqual(left, [], "processes still alive 10 s after shutdown_reply: %s (launcher pid %d, "
                                   "children seen before: %s)" % (left, pid, java))
        proc = self.k.km.provisioner.process
        # wait(), not poll(): poll() answers None while another thread of jupyter_client holds
        # the Popen's waitpid lock, even for a process that has exited
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.fail("kernel process did not exit")
        self.assertEqual(proc.returncode, 0, "kernel exited with %s after shutdown_request" % proc.returncode)
        self.assertLess(took, 10)


class ShutdownBusyTest(KernelTestCase):

    def test_shutdown_while_cell_runs(self):
        pid = self.k.pid
        conn = self.k.km.connection_file
        mid = self.k.execute_async("while (true) {}")
        time.sleep(1.0)
        rep = self.k.reply(self.k.send("shutdown_request", {"restart": False}, channel="control"),
                           "control", timeout=30)
        self.assertEqual(rep["content"].get("status"), "ok", rep["content"])
        self.assertEqual(wait_gone(self.k.km, pid, conn, 10), [],
                         "kernel busy in while(true) did not exit within 10 s of shutdown_request")


class RestartTest(KernelTestCase):

    def test_restart(self):
        self.k.ok('int survivor = 1;')
        self.k.ok('int survivor2 = 2;')
        old = self.k.pid
        conn = self.k.km.connection_file
        t0 = time.monotonic()
        self.k.km.restart_kernel(now=False)
        new = self.k.pid
        self.assertNotEqual(old, new)
        self.assertFalse(pid_alive(old), "old kernel process %d still alive after restart" % old)
        self.k.kc.wait_for_ready(timeout=TIMEOUT)
        took = time.monotonic() - t0
        self.assertTrue(self.k.km.is_alive())
        # exactly one kernel process tree for this connection file
        alive = [p for p in pids_with_arg(conn) if pid_alive(p)]
        self.assertIn(new, alive)
        self.assertNotIn(old, alive)
        self.k.drain_iopub(0.3)
        r = self.k.execute("survivor")
        self.assertEqual(r.status, "error", "state survived a restart: %s" % r.summary())
        self.assertEqual(r.content["execution_count"], 1, "execution count did not restart at 1")
        self.assertEqual(self.k.value("1 + 1"), "2")
        self.assertLess(took, TIMEOUT)
        with self.subTest("history survives a restart (JTUNE_HISTORY_FILE)"):
            rep, _ = self.k.request("history_request", {"hist_access_type": "search", "pattern": "*survivor2*",
                                                        "output": False, "raw": True})
            self.assertIn("int survivor2 = 2;", [e[2] for e in rep["content"]["history"]], rep["content"])

    def test_shutdown_with_restart_flag_reply(self):
        # shutdown_request(restart=True) is answered with restart=True; KernelManager does the restart
        pid = self.k.pid
        rep = self.k.reply(self.k.send("shutdown_request", {"restart": True}, channel="control"),
                           "control", timeout=30)
        self.assertEqual(rep["content"].get("status"), "ok", rep["content"])
        self.assertIs(rep["content"].get("restart"), True, rep["content"])
        self.assertEqual(wait_gone(self.k.km, pid, self.k.km.connection_file, 10), [])
        # start it again for the other tests / tearDown
        self.k.km.restart_kernel(now=True)
        self.k.kc.wait_for_ready(timeout=TIMEOUT)
        self.k.drain_iopub(0.3)
        self.assertEqual(self.k.value("2 + 2"), "4")


if __name__ == "__main__":
    unittest.main()
