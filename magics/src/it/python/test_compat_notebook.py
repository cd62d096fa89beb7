"""notebooks/ijava-compat.ipynb (an IJava/JJava-style notebook) runs cleanly under nbconvert and `jtune run`."""

import json
import os
import shutil
import subprocess
import unittest

from jtune_it import InstalledKernelspec, LAUNCHER, REPO, TIMEOUT, text_of

JUPYTER = "/usr/bin/jupyter"
NOTEBOOK = os.path.join(REPO, "notebooks", "ijava-compat.ipynb")


def joined(value):
    return "".join(value) if isinstance(value, list) else value


class CompatNotebookTest(unittest.TestCase):

    def setUp(self):
        self.spec = InstalledKernelspec()
        # a copy, so that the jars, pom and class folders it writes land in a temporary folder
        self.work = os.path.join(self.spec.tmp, "nb")
        os.makedirs(self.work)
        self.copy = os.path.join(self.work, "ijava-compat.ipynb")
        shutil.copy(NOTEBOOK, self.copy)

    def tearDown(self):
        self.spec.remove()

    def check(self, nb):
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        outputs = [o for c in code for o in c["outputs"]]
        errors = [o for o in outputs if o["output_type"] == "error"]
        self.assertFalse(errors, "cells failed: %s" % errors)

        def result_of(source_start):
            cell = next(c for c in code if joined(c["source"]).startswith(source_start))
            results = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
            self.assertEqual(len(results), 1, cell)
            return results[0]

        self.assertEqual(text_of(result_of('"Hello Out!";')), "Hello Out!")
        void_cell = next(c for c in code if joined(c["source"]).startswith("System.out.println"))
        self.assertEqual([o["output_type"] for o in void_cell["outputs"]], ["stream"])
        shown = next(c for c in code if joined(c["source"]).startswith("String id = display("))
        data = [o["data"] for o in shown["outputs"] if o["output_type"] == "display_data"]
        # the update of the next cell is applied in place, as Jupyter applies it
        self.assertEqual(joined(data[0]["text/html"]), "<b>Bold</b>, then <i>updated</i> in place")
        self.assertIn("application/javascript", data[1])
        self.assertEqual(sorted(result_of("String md =")["data"]), ["text/markdown", "text/plain"])
        self.assertEqual(text_of(result_of("Object three")), "42")
        self.assertEqual(text_of(result_of("List<Integer> live")), "[1, 2, 3]")
        self.assertEqual(text_of(result_of("List<String> added = %jars")), "1 jar added: greeter.jar")
        self.assertEqual(text_of(result_of("new greet.Greeter()")), "Hello, jtune!")
        self.assertEqual(text_of(result_of("%classpath")), "9.0")
        self.assertEqual(text_of(result_of('String folder')), "added again: 0")
        self.assertIn("image/png", result_of("import org.knowm.xchart.*;")["data"])
        self.assertEqual(text_of(result_of("new com.google.gson.Gson()")), '{"kernel":"jtune"}')
        self.assertEqual(text_of(result_of("org.apache.commons.lang3")), "Loaded from a pom")
        self.assertEqual(text_of(result_of("%load")), "LOADED!")
        self.assertEqual(text_of(result_of("var kernel")), "true, true")
        caught = next(c for c in code if joined(c["source"]).startswith("try {"))
        self.assertIn("Failed to run %jars: Nothing matches no-such-folder/*.jar", text_of(caught["outputs"][0]))

    def test_runs_under_nbconvert(self):
        if not os.access(JUPYTER, os.X_OK):
            self.skipTest("%s not found: apt-get install jupyter-nbconvert" % JUPYTER)
        p = subprocess.run([JUPYTER, "nbconvert", "--to", "notebook", "--execute",
                            "--ExecutePreprocessor.kernel_name=%s" % self.spec.name,
                            "--ExecutePreprocessor.timeout=%d" % int(TIMEOUT),
                            "--output", "out", self.copy],
                           env=self.spec.child_env(), capture_output=True, text=True, timeout=TIMEOUT * 3)
        self.assertEqual(p.returncode, 0, "nbconvert failed:\n" + p.stdout + p.stderr)
        with open(os.path.join(self.work, "out.ipynb")) as f:
            self.check(json.load(f))

    def test_runs_under_jtune_run(self):
        out = os.path.join(self.work, "run-out.ipynb")
        # from another folder, with a relative path: the notebook still runs in its own folder
        p = subprocess.run([LAUNCHER, "run", os.path.relpath(self.copy, self.spec.tmp), "--out", "nb/run-out.ipynb"],
                           cwd=self.spec.tmp, env=self.spec.child_env(), capture_output=True, text=True,
                           timeout=TIMEOUT * 3)
        self.assertEqual(p.returncode, 0, "jtune run failed:\n" + p.stdout + p.stderr)
        with open(out) as f:
            self.check(json.load(f))


if __name__ == "__main__":
    unittest.main()
