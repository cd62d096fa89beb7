"""`jupyter nbconvert --to notebook --execute` with the installed kernelspec."""

import json
import os
import subprocess
import unittest

from jtune_it import InstalledKernelspec, TIMEOUT, text_of, write_notebook

JUPYTER = "/usr/bin/jupyter"


class NbconvertTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if not os.access(JUPYTER, os.X_OK):
            raise unittest.SkipTest("%s not found: apt-get install jupyter-nbconvert" % JUPYTER)
        cls.spec = InstalledKernelspec()

    @classmethod
    def tearDownClass(cls):
        cls.spec.remove()

    def nbconvert(self, cells, *extra):
        src = os.path.join(self.spec.tmp, "in-%s.ipynb" % self.id().rsplit(".", 1)[-1])
        out = src.replace("in-", "out-")
        write_notebook(src, cells, self.spec.name)
        p = subprocess.run([JUPYTER, "nbconvert", "--to", "notebook", "--execute",
                            "--ExecutePreprocessor.timeout=%d" % int(TIMEOUT),
                            *extra, "--output", os.path.basename(out), src],
                           cwd=self.spec.tmp, env=self.spec.child_env(), capture_output=True, text=True,
                           timeout=TIMEOUT * 3)
        nb = None
        if os.path.exists(out):
            with open(out) as f:
                nb = json.load(f)
        return p, nb

    def test_execute_notebook(self):
        p, nb = self.nbconvert([
            "int a = 20;",
            "a * 2 + 2",
            'System.out.println("hello from nbconvert");',
            'display(html("<i>shown</i>"));\nint afterDisplay = 1;',
            'String s = "x".repeat(3);\ns',
        ])
        self.assertEqual(p.returncode, 0, "nbconvert failed:\n" + p.stdout + p.stderr)
        cells = nb["cells"]
        self.assertEqual(cells[0]["outputs"], [])
        self.assertEqual([c["execution_count"] for c in cells], [1, 2, 3, 4, 5])
        out1 = cells[1]["outputs"]
        self.assertEqual(len(out1), 1, out1)
        self.assertEqual(out1[0]["output_type"], "execute_result")
        self.assertEqual(text_of(out1[0]), "42")
        self.assertEqual(out1[0]["execution_count"], 2)
        out2 = cells[2]["outputs"]
        self.assertEqual([(o["output_type"], o.get("name")) for o in out2], [("stream", "stdout")])
        self.assertEqual(text_of(out2[0]), "hello from nbconvert\n")
        out3 = cells[3]["outputs"]
        self.assertEqual([o["output_type"] for o in out3], ["display_data"], out3)
        html = out3[0]["data"]["text/html"]
        self.assertEqual("".join(html) if isinstance(html, list) else html, "<i>shown</i>")
        self.assertIn(text_of(cells[4]["outputs"][0]).strip('"'), ["xxx"])
        lang = nb["metadata"].get("language_info", {})
        self.assertEqual(lang.get("name"), "java", nb["metadata"])

    def test_error_stops_without_allow_errors(self):
        p, nb = self.nbconvert(["int b = 1;", "1/0", "int c = 3;"])
        self.assertNotEqual(p.returncode, 0, "nbconvert succeeded although a cell raised")
        self.assertIn("ArithmeticException", p.stdout + p.stderr)

    def test_allow_errors(self):
        p, nb = self.nbconvert(["int b = 1;", "1/0", "b + 2"], "--allow-errors")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        err = nb["cells"][1]["outputs"]
        self.assertEqual([o["output_type"] for o in err], ["error"], err)
        self.assertEqual(err[0]["ename"], "java.lang.ArithmeticException")
        self.assertEqual(text_of(nb["cells"][2]["outputs"][0]), "3")


if __name__ == "__main__":
    unittest.main()


class TourNotebookTest(unittest.TestCase):
    """notebooks/kernel-tour.ipynb, as a reader would run it, executes cleanly through nbconvert."""

    def test_kernel_tour_runs_under_nbconvert(self):
        if not os.access(JUPYTER, os.X_OK):
            self.skipTest("%s not found: apt-get install jupyter-nbconvert" % JUPYTER)
        spec = InstalledKernelspec()
        try:
            repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
            tour = os.path.join(repo, "notebooks", "kernel-tour.ipynb")
            out = os.path.join(spec.tmp, "tour-out.ipynb")
            p = subprocess.run([JUPYTER, "nbconvert", "--to", "notebook", "--execute",
                                "--ExecutePreprocessor.kernel_name=%s" % spec.name,
                                "--ExecutePreprocessor.timeout=%d" % int(TIMEOUT),
                                "--output-dir", spec.tmp, "--output", "tour-out", tour],
                               env=spec.child_env(), capture_output=True, text=True, timeout=TIMEOUT * 3)
            self.assertEqual(p.returncode, 0, "nbconvert failed:\n" + p.stdout + p.stderr)
            with open(out) as f:
                nb = json.load(f)
            outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
            self.assertFalse([o for o in outputs if o["output_type"] == "error"])
            kinds = {k for o in outputs for k in o.get("data", {})}
            for mime in ("text/html", "text/markdown", "image/png"):
                self.assertIn(mime, kinds)
        finally:
            spec.remove()
