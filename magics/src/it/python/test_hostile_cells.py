"""Cells that used to break the session or end the kernel (issue #13): each must end as an error in
that cell, with the kernel serving, earlier variables intact and the next cell working. The exit
cases go past the source-level rewrite of System.exit (method references, reflection, a library's
main(), another thread), so they test the JVM exit guard (the -javaagent the launcher adds), on
JDK 17 and on JDK 25, where the SecurityManager is gone."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from jtune_it import JDK17, JDK25, LAUNCHER, TIMEOUT, KernelTestCase, jdk_available, text_of, write_notebook

LONG = "x" * 70000


class HostileCellsJdk17Test(KernelTestCase):

    java_home = JDK17
    expected_major = "17"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.k.ok("int keptValue = 41;")

    def assertKernelServes(self):
        """The kernel process lives, an earlier variable keeps its value and a new cell runs."""
        self.assertTrue(self.k.km.is_alive(), "the kernel process ended")
        self.assertEqual(self.k.value("keptValue + 1"), "42")
        self.assertAlive()

    def assertCellError(self, r, ename, *in_evalue):
        self.assertEqual(r.status, "error", "%s %s" % (r.content, r.summary()))
        self.assertEqual(r.content["ename"], ename, r.content)
        for text in in_evalue:
            self.assertIn(text, r.content["evalue"])
        errors = r.of("error")
        self.assertEqual(len(errors), 1, "one error output: %s" % r.summary())
        self.assertEqual(errors[0]["content"]["ename"], ename)

    def test_runs_on_expected_jdk(self):
        version = self.k.value('System.getProperty("java.version")').strip('"')
        self.assertEqual(version.split(".")[0], self.expected_major, version)

    # ------------------------------------------------------------ a string literal too long

    def test_string_literal_too_long_for_a_class_file(self):
        r = self.k.execute('String pasted = "%s";\nSystem.out.println("not run");' % LONG)
        self.assertCellError(r, "CompilationException", "constant string too long")
        self.assertEqual(r.stream("stdout"), "", "nothing of the cell ran")
        tb = r.traceback()
        self.assertIn("cell line 1: error: constant string too long", tb)
        self.assertLess(len(tb), 2000, "the literal is not echoed whole")
        self.assertEqual(self.k.value("1 + 2"), "3")
        self.assertEqual(self.k.execute("pasted").status, "error", "the failed declaration left no variable")
        self.assertKernelServes()

    def test_string_literal_too_long_in_an_expression_and_a_method(self):
        for code in ('"%s"' % LONG, 'String longText() { return "%s"; }' % LONG):
            r = self.k.execute(code)
            self.assertCellError(r, "CompilationException", "constant string too long")
            self.assertEqual(self.k.value("1 + 2"), "3")
        self.assertKernelServes()

    def test_forward_reference_is_still_a_note(self):
        r = self.k.ok("int usesLater() { return definedLater() * 2; }")
        self.assertIn("cannot be used until method definedLater() is defined", r.stream("stderr"))
        self.k.ok("int definedLater() { return 21; }")
        self.assertEqual(self.k.value("usesLater()"), "42")

    # ------------------------------------------------------------ the standard streams

    def test_set_out_and_err_to_null(self):
        r = self.k.ok("System.setOut(null); System.setErr(null);")
        self.assertIn("System.out and System.err replaced", r.stream("stderr"))
        r = self.k.ok('System.out.println("out again"); System.err.println("err again");')
        self.assertEqual(r.stream("stdout"), "out again\n")
        self.assertEqual(r.stream("stderr"), "err again\n")
        r = self.k.execute("1/0")
        self.assertCellError(r, "java.lang.ArithmeticException")
        self.assertKernelServes()

    def test_set_out_to_a_stream_of_the_cell(self):
        r = self.k.ok('var aside = new java.io.ByteArrayOutputStream();\n'
                      'System.setOut(new java.io.PrintStream(aside, true));\nSystem.out.print("kept aside");')
        self.assertEqual(r.stream("stdout"), "", "within the cell its own stream gets the output")
        self.assertEqual(self.k.value("aside.toString()"), "kept aside")
        self.assertEqual(self.k.ok('System.out.println("notebook");').stream("stdout"), "notebook\n")
        self.assertKernelServes()

    # ------------------------------------------------------------ exits the rewrite does not see

    def assertExitRefused(self, code, call):
        r = self.k.execute(code)
        self.assertCellError(r, "SystemExit", call, "keeps the kernel running", "restart the kernel")
        self.assertKernelServes()
        return r

    def test_exit_through_a_method_reference(self):
        self.assertExitRefused("java.util.function.IntConsumer quit = System::exit; quit.accept(4);",
                               "System.exit(4)")

    def test_halt_through_a_bound_method_reference(self):
        self.assertExitRefused("java.util.function.IntConsumer stop = Runtime.getRuntime()::halt; stop.accept(2);",
                               "Runtime.halt(2)")

    def test_exit_through_reflection(self):
        self.assertExitRefused('System.class.getMethod("exit", int.class).invoke(null, 5);', "System.exit(5)")

    def test_exit_from_a_librarys_main(self):
        # javac's command-line entry point ends with System.exit(its result)
        r = self.assertExitRefused('com.sun.tools.javac.Main.main(new String[] {"-version"});', "System.exit(0)")
        self.assertIn("javac", r.stream("stdout") + r.stream("stderr"))

    def test_exit_from_a_thread_the_cell_started(self):
        r = self.assertExitRefused("java.util.function.IntConsumer quit = System::exit;\n"
                                   "Thread t = new Thread(() -> quit.accept(6), \"quitter\");\n"
                                   "t.start(); t.join();", "System.exit(6)")
        self.assertIn('"quitter"', r.content["evalue"])
        self.assertIn("CellExitError", r.stream("stderr"), "the thread's end shows on stderr")

    def test_direct_exit_is_still_refused(self):
        self.assertExitRefused("System.exit(3);", "System.exit(3)")


class HostileCellsJdk25Test(HostileCellsJdk17Test):

    java_home = JDK25
    expected_major = "25"


class ShutdownAfterRefusedExitJdk17Test(KernelTestCase):
    """The refusals must not keep the kernel's own shutdown from ending the process."""

    java_home = JDK17

    def test_shutdown_request_still_ends_the_process(self):
        r = self.k.execute("java.util.function.IntConsumer last = System::exit; last.accept(9);")
        self.assertEqual(r.content.get("ename"), "SystemExit", r.content)
        proc = self.k.km.provisioner.process
        rep = self.k.reply(self.k.send("shutdown_request", {"restart": False}, channel="control"), "control", 30)
        self.assertEqual(rep["content"].get("status"), "ok", rep["content"])
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.fail("the kernel did not exit after shutdown_request")
        self.assertEqual(proc.returncode, 0)


class ShutdownAfterRefusedExitJdk25Test(ShutdownAfterRefusedExitJdk17Test):

    java_home = JDK25


class ExitInHeadlessRunTest(unittest.TestCase):
    """`jtune run` refuses a cell's exit too, and still ends with its own exit code."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="jtune-it-hostile-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_on(self, java_home):
        if not jdk_available(java_home):
            self.skipTest("JDK not found at %s" % java_home)
        src = os.path.join(self.tmp, "nb.ipynb")
        out = os.path.join(self.tmp, "out.ipynb")
        write_notebook(src, ["int before = 1;", "java.util.function.IntConsumer q = System::exit; q.accept(7);",
                             "before + 1"], "jtune")
        env = dict(os.environ, JAVA_HOME=java_home, JTUNE_HISTORY_FILE=os.path.join(self.tmp, "history.json"))
        t0 = time.monotonic()
        p = subprocess.run([LAUNCHER, "run", src, "--out", out, "--allow-errors"], cwd=self.tmp, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT * 2)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertLess(time.monotonic() - t0, TIMEOUT)
        with open(out) as f:
            cells = json.load(f)["cells"]
        self.assertEqual(cells[1]["outputs"][-1]["output_type"], "error", cells[1]["outputs"])
        self.assertEqual(cells[1]["outputs"][-1]["ename"], "SystemExit")
        self.assertEqual(text_of(cells[2]["outputs"][0]), "2")
        return p

    def test_run_on_jdk17(self):
        self.run_on(JDK17)

    def test_run_on_jdk25(self):
        self.run_on(JDK25)

    def test_run_without_allow_errors_exits_1(self):
        if not jdk_available(JDK17):
            self.skipTest("no JDK 17")
        src = os.path.join(self.tmp, "nb.ipynb")
        write_notebook(src, ['System.class.getMethod("exit", int.class).invoke(null, 0);'], "jtune")
        env = dict(os.environ, JAVA_HOME=JDK17, JTUNE_HISTORY_FILE=os.path.join(self.tmp, "history.json"))
        p = subprocess.run([LAUNCHER, "run", src, "--out", os.path.join(self.tmp, "o.ipynb")], cwd=self.tmp,
                           env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT * 2)
        self.assertEqual(p.returncode, 1, "the refused exit fails the run: " + p.stdout + p.stderr)
        self.assertIn("SystemExit", p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
