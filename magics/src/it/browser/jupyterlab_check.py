#!/usr/bin/env python3
"""The jtune kernel in JupyterLab 4, driven in a headless Chromium as a user would (issue #12).

Starts `jupyter lab` on a free port in a temporary folder (or uses --url), opens a notebook with the
jtune kernel from the launcher and prints one PASS/FAIL line per check:

  1 cells      1 + 1, println, display(html(..)), a compile error, a throwing cell; Ctrl+S; the saved
               .ipynb passes nbformat.validate and no output carries fields outside its output type
  2 tooltip    Shift+Tab after `String.format` and after `"hello".length` shows a signature
  3 stdin      System.out.print("Name: ") then Scanner.nextLine(): where the prompt text shows, and
               the typed value is the cell's value
  5 chart      an XChart XYChart shows as an image (screenshot lab-chart.png)
  4 interrupt  interrupting a cell that waits for input, in jtune and in Python 3 (ipykernel):
               does the input box go away; the kernel messages the browser received after the
               interrupt, for both kernels
  6 saved      the whole notebook, saved at the end, still validates

Exits 0 with a SKIP line when playwright, JupyterLab, Chromium or the kernelspec is missing; 1 when
a check fails. Screenshots go to --shots (lab-*.png). See README.md here for the setup.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CELL_TIMEOUT_MS = 180_000  # the first cell also waits for the JVM to start


def skip(reason):
    print("SKIP jupyterlab_check: " + reason)
    sys.exit(0)


class Report:
    def __init__(self):
        self.failed = []

    def check(self, name, ok, detail):
        print("%s %s: %s" % ("PASS" if ok else "FAIL", name, detail), flush=True)
        if not ok:
            self.failed.append(name)

    def info(self, name, detail):
        """An observation that passes or fails nothing by itself."""
        print("INFO %s: %s" % (name, detail), flush=True)

    def note(self, text):
        print("     " + text.replace("\n", "\n     "), flush=True)


# --- environment --------------------------------------------------------------------------------

def find_requirements(args):
    """Returns (jupyter-lab command or None when --url is given, chromium path or None for playwright's own)."""
    try:
        import playwright.sync_api  # noqa: F401
        import nbformat  # noqa: F401
        import jupyter_client.kernelspec as ks
    except ImportError as e:
        skip("python package missing (%s); pip install jupyterlab playwright nbformat" % e.name)
    specs = ks.KernelSpecManager().find_kernel_specs()
    for name in (args.kernel, args.python_kernel):
        if name not in specs:
            skip("kernelspec %r not found (./jtune install --prefix VENV; jupyter kernelspec list)" % name)
    lab = None
    if not args.url:
        lab = shutil.which("jupyter-lab", path=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
        if not lab:
            skip("jupyter-lab not found (pip install jupyterlab)")
    chromium = args.chromium or os.environ.get("JTUNE_CHROMIUM")
    if not chromium:
        chromium = next((c for c in CHROMIUMS if os.access(c, os.X_OK)), None)
    if chromium is None:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            if not os.path.exists(p.chromium.executable_path):
                skip("no Chromium (apt-get install chromium, or playwright install chromium)")
    return lab, chromium


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(lab, work):
    """Starts JupyterLab in work/notebooks with its own config (no news popup); returns (process, url)."""
    root = os.path.join(work, "notebooks")
    config = os.path.join(work, "config")
    os.makedirs(os.path.join(config, "labconfig"))
    os.makedirs(root)
    with open(os.path.join(config, "labconfig", "page_config.json"), "w") as f:
        json.dump({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}, f)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=config,
               JUPYTERLAB_SETTINGS_DIR=os.path.join(work, "settings"),
               JUPYTERLAB_WORKSPACES_DIR=os.path.join(work, "workspaces"))
    port = free_port()
    log = open(os.path.join(work, "lab.log"), "w")
    proc = subprocess.Popen([lab, "--no-browser", "--allow-root", "--port", str(port),
                             "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.root_dir=" + root],
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = "http://127.0.0.1:%d" % port
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("jupyter lab exited with %s; see %s" % (proc.returncode, log.name))
        try:
            urllib.request.urlopen(url + "/api/status", timeout=2)
            return proc, url, root
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("jupyter lab did not answer on %s; see %s" % (url, log.name))


# --- main ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default="jtune", help="kernelspec name of jtune (default jtune)")
    ap.add_argument("--python-kernel", default="python3", help="kernelspec compared with in check 4")
    ap.add_argument("--url", help="use a running JupyterLab (no token) instead of starting one; "
                                  "--root must then be its root_dir")
    ap.add_argument("--root", help="root_dir of the JupyterLab given with --url")
    ap.add_argument("--chromium", help="Chromium executable (default: /usr/bin/chromium, else playwright's)")
    ap.add_argument("--shots", default=os.getcwd(), help="folder for the lab-*.png screenshots")
    ap.add_argument("--headed", action="store_true", help="show the browser")
    args = ap.parse_args()
    if args.url and not args.root:
        ap.error("--url needs --root")
    lab, chromium = find_requirements(args)

    from lab_session import LabSession
    import lab_checks

    report = Report()
    work = tempfile.mkdtemp(prefix="jtune-lab-")
    proc = None
    try:
        if args.url:
            url, root = args.url.rstrip("/"), args.root
        else:
            proc, url, root = start_lab(lab, work)
        os.makedirs(args.shots, exist_ok=True)
        with LabSession(url, root, chromium, args.shots, headless=not args.headed) as lab_page:
            try:
                lab_checks.run_all(lab_page, report, args)
            except Exception as e:  # a check that cannot go on: the rest is not run
                report.check("run", False, "%s: %s (screenshot %s)" % (type(e).__name__, e, lab_page.shot("error")))
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    print("jupyterlab_check: %s" % ("all checks passed" if not report.failed
                                    else "FAILED: " + ", ".join(report.failed)))
    sys.exit(1 if report.failed else 0)


if __name__ == "__main__":
    main()
