"""The launcher's CLI contract: install / uninstall a kernelspec and the headless `jtune run`."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import uuid

from jtune_it import LAUNCHER, REPO, TIMEOUT, run_cli, text_of, write_notebook


class KernelspecTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="jtune-it-cli-")
        self.prefix = os.path.join(self.tmp, "prefix")
        self.name = "jtune-cli-" + uuid.uuid4().hex[:6]
        self.kdir = os.path.join(self.prefix, "share", "jupyter", "kernels", self.name)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_install_prefix(self):
        run_cli("install", "--prefix", self.prefix, "--name", self.name)
        path = os.path.join(self.kdir, "kernel.json")
        self.assertTrue(os.path.isfile(path), os.listdir(self.tmp))
        with open(path) as f:
            spec = json.load(f)
        self.assertEqual(spec["argv"], [os.path.join(REPO, "jtune"), "kernel", "{connection_file}"], spec)
        self.assertTrue(os.path.isabs(spec["argv"][0]))
        self.assertEqual(spec.get("interrupt_mode"), "message", spec)
        self.assertEqual(spec.get("language", "").lower(), "java", spec)
        self.assertTrue(spec.get("display_name"), spec)
        self.assertIsInstance(spec.get("env", {}), dict)
        logos = [f for f in os.listdir(self.kdir) if f.startswith("logo-")]
        self.assertIn("logo-32x32.png", logos)
        self.assertIn("logo-64x64.png", logos)
        for logo in logos:
            with open(os.path.join(self.kdir, logo), "rb") as f:
                if logo.endswith(".png"):
                    self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", logo)
        # jupyter sees it
        env = dict(os.environ, JUPYTER_PATH=os.path.join(self.prefix, "share", "jupyter"))
        p = subprocess.run(["/usr/bin/jupyter", "kernelspec", "list", "--json"], env=env,
                           capture_output=True, text=True, timeout=60)
        if p.returncode == 0:
            self.assertIn(self.name, json.loads(p.stdout)["kernelspecs"])

    def test_install_twice_and_uninstall(self):
        run_cli("install", "--prefix", self.prefix, "--name", self.name)
        run_cli("install", "--prefix", self.prefix, "--name", self.name)   # replaces, no error
        self.assertTrue(os.path.isfile(os.path.join(self.kdir, "kernel.json")))
        run_cli("uninstall", "--prefix", self.prefix, "--name", self.name)
        self.assertFalse(os.path.exists(self.kdir), "uninstall left %s" % self.kdir)

    def test_default_name(self):
        run_cli("install", "--prefix", self.prefix)
        kernels = os.listdir(os.path.join(self.prefix, "share", "jupyter", "kernels"))
        self.assertEqual(len(kernels), 1, kernels)
        run_cli("uninstall", "--prefix", self.prefix)
        self.assertEqual(os.listdir(os.path.join(self.prefix, "share", "jupyter", "kernels")), [])

    def test_unknown_command(self):
        p = run_cli("no-such-command", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertTrue((p.stdout + p.stderr).strip(), "no usage message")

    def test_kernelspec_names_the_protocol_version(self):
        run_cli("install", "--prefix", self.prefix, "--name", self.name)
        with open(os.path.join(self.kdir, "kernel.json")) as f:
            self.assertEqual(json.load(f).get("kernel_protocol_version"), "5.4")


class CommandLineTest(unittest.TestCase):

    def test_help_lists_every_command(self):
        p = run_cli("--help")
        self.assertEqual(p.stderr, "", p.stderr)
        for command in ("kernel", "run", "install", "uninstall", "tiny-model", "generate", "next-token"):
            self.assertIn("\n  %s " % command, p.stdout)
        self.assertNotIn("\x1b", p.stdout)

    def test_each_command_has_help(self):
        p = run_cli("generate", "--help")
        self.assertTrue(p.stdout.startswith("Usage: jtune generate "), p.stdout)
        self.assertIn("--max-new-tokens", p.stdout)

    def test_typo_suggests_the_command(self):
        p = run_cli("generat", "MODEL", check=False)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("Did you mean: generate?", p.stderr)

    def test_usage_error_exits_2(self):
        p = run_cli("run", "--no-such-flag", "nb.ipynb", check=False)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("--no-such-flag", p.stderr)


class RunTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="jtune-it-run-")
        self.env = dict(os.environ, JTUNE_HISTORY_FILE=os.path.join(self.tmp, "history.json"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_nb(self, cells, *args, timeout=TIMEOUT * 2):
        src = os.path.join(self.tmp, "nb.ipynb")
        out = os.path.join(self.tmp, "out.ipynb")
        write_notebook(src, cells, "jtune")
        proc = subprocess.Popen([LAUNCHER, "run", src, "--out", out, *args], cwd=self.tmp, env=self.env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # a thread dump (the launcher execs java) to see where it hangs, then kill it
            os.kill(proc.pid, signal.SIGQUIT)
            time.sleep(2)
            proc.kill()
            stdout, stderr = proc.communicate()
            raise AssertionError("jtune run %s did not end within %d s\nstdout:\n%s\nstderr:\n%s"
                                 % (" ".join(args), timeout, stdout, stderr))
        p = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
        nb = None
        if os.path.exists(out):
            with open(out) as f:
                nb = json.load(f)
        return p, nb

    def test_run(self):
        p, nb = self.run_nb(["int a = 40;", "a + 2", 'System.out.println("printed");'])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIsNotNone(nb, "no --out notebook written")
        cells = nb["cells"]
        self.assertEqual(text_of(cells[1]["outputs"][0]), "42")
        self.assertEqual(text_of(cells[2]["outputs"][0]), "printed\n")
        self.assertEqual([c["execution_count"] for c in cells], [1, 2, 3])

    def test_run_error_fails(self):
        p, nb = self.run_nb(["int a = 1;", "1/0", "int c = 2;"])
        self.assertNotEqual(p.returncode, 0, "jtune run exited 0 although a cell failed")
        self.assertIn("ArithmeticException", p.stdout + p.stderr + json.dumps(nb or {}))

    def test_run_allow_errors(self):
        p, nb = self.run_nb(["int a = 1;", "1/0", "a + 1"], "--allow-errors")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(nb["cells"][1]["outputs"][0]["output_type"], "error")
        self.assertEqual(text_of(nb["cells"][2]["outputs"][0]), "2")

    def test_run_timeout(self):
        t0 = time.monotonic()
        p, nb = self.run_nb(["while (true) {}", "int after = 1;"], "--timeout", "2", timeout=90)
        took = time.monotonic() - t0
        self.assertNotEqual(p.returncode, 0, "a cell over --timeout did not fail the run")
        self.assertIn("timed out", p.stdout + p.stderr)
        self.assertLess(took, 60)


if __name__ == "__main__":
    unittest.main()
