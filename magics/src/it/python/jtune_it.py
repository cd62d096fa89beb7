"""Shared helpers for the jtune integration tests (stdlib unittest + Debian jupyter_client).

The tests drive the INSTALLED kernel: ``<repo>/jtune install --prefix TMP --name NAME`` writes a
kernelspec under ``TMP/share/jupyter/kernels/NAME``; ``JUPYTER_PATH`` points at
``TMP/share/jupyter`` and a ``KernelManager(kernel_name=NAME)`` starts it like Jupyter would.

Environment:
  JTUNE_REPO            repository root (default: four levels up from this file)
  JTUNE_IT_TIMEOUT      seconds to wait for a kernel to start / a cell to finish (default 120)
  JTUNE_IT_JDK17        JDK 17 home for the JDK 17 classes (default /usr/lib/jvm/java-17-openjdk-amd64)
  JTUNE_IT_JDK25        JDK 25 home for the JDK 25 classes (default /usr/lib/jvm/temurin-25-jdk-amd64)
"""

import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import time
import unittest
import uuid

import jupyter_client
from jupyter_client import KernelManager
from jupyter_client.session import Session

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.environ.get("JTUNE_REPO") or os.path.join(HERE, "..", "..", "..", ".."))
LAUNCHER = os.path.join(REPO, "jtune")
TIMEOUT = float(os.environ.get("JTUNE_IT_TIMEOUT", "120"))
JDK25 = os.environ.get("JTUNE_IT_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64")
JDK17 = os.environ.get("JTUNE_IT_JDK17", "/usr/lib/jvm/java-17-openjdk-amd64")

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# iopub message types that carry output (everything except status/execute_input bookkeeping)
OUTPUT_TYPES = {"stream", "display_data", "update_display_data", "execute_result", "error", "clear_output"}


def strip_ansi(s):
    return ANSI.sub("", s)


def jdk_available(home):
    return bool(home) and os.access(os.path.join(home, "bin", "java"), os.X_OK)


def run_cli(*args, env=None, timeout=TIMEOUT, check=True):
    """Runs ``<repo>/jtune ARGS``; returns the CompletedProcess (text, stdout+stderr separate)."""
    p = subprocess.run([LAUNCHER, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("jtune %s failed with %d\nstdout:\n%s\nstderr:\n%s"
                             % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p


class InstalledKernelspec:
    """A kernelspec installed with ``jtune install --prefix`` into a temporary directory."""

    def __init__(self, name=None, env=None):
        self.name = name or "jtune-it-" + uuid.uuid4().hex[:8]
        self.tmp = tempfile.mkdtemp(prefix="jtune-it-")
        self.prefix = os.path.join(self.tmp, "prefix")
        self.history_file = os.path.join(self.tmp, "history.json")
        self.jupyter_path = os.path.join(self.prefix, "share", "jupyter")
        self.kernel_dir = os.path.join(self.jupyter_path, "kernels", self.name)
        self.install_output = run_cli("install", "--prefix", self.prefix, "--name", self.name)
        if not os.path.isfile(os.path.join(self.kernel_dir, "kernel.json")):
            raise AssertionError("jtune install --prefix %s --name %s wrote no %s/kernel.json\n%s\n%s"
                                 % (self.prefix, self.name, self.kernel_dir,
                                    self.install_output.stdout, self.install_output.stderr))
        # The kernelspec's env wins over the env passed to start_kernel (jupyter_client merges it
        # last), so the per-test settings go into kernel.json, as a user pinning a JDK would do.
        extra = {"JTUNE_HISTORY_FILE": self.history_file}
        extra.update(env or {})
        spec = self.spec()
        spec.setdefault("env", {})
        spec["env"].update(extra)
        with open(os.path.join(self.kernel_dir, "kernel.json"), "w") as f:
            json.dump(spec, f, indent=1)
        self.env = extra
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = self.jupyter_path + (os.pathsep + old if old else "")

    def spec(self):
        with open(os.path.join(self.kernel_dir, "kernel.json")) as f:
            return json.load(f)

    def child_env(self):
        """Environment for a child process (nbconvert, jtune run) that should find this kernelspec."""
        env = dict(os.environ)
        env["JUPYTER_PATH"] = self.jupyter_path
        env.update(self.env)
        return env

    def remove(self):
        paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
        rest = [p for p in paths if p and p != self.jupyter_path]
        if rest:
            os.environ["JUPYTER_PATH"] = os.pathsep.join(rest)
        else:
            os.environ.pop("JUPYTER_PATH", None)
        shutil.rmtree(self.tmp, ignore_errors=True)


def pids_with_arg(text):
    """Pids of live processes whose command line contains ``text`` (Linux /proc, no psutil)."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open("/proc/%s/stat" % d) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmd and state != "Z" and int(d) != os.getpid():
            found.append(int(d))
    return found


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Kernel:
    """A running kernel and a blocking client whose replies and iopub messages are filed by parent.

    Every message gets ``msg["_t"]`` = time.monotonic() at which this process took it off its socket,
    so tests can compare arrival times.
    """

    def __init__(self, spec, extra_env=None):
        self.spec = spec
        self.km = KernelManager(kernel_name=spec.name)
        self.km.shutdown_wait_time = 20.0
        env = dict(os.environ)
        env.update(spec.env)
        env.update(extra_env or {})
        t0 = time.monotonic()
        self.km.start_kernel(env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.start_seconds = time.monotonic() - t0
        self.by_parent = {"shell": {}, "control": {}, "iopub": {}, "stdin": {}}
        self.unparented = []
        # drain the iopub traffic of wait_for_ready (status, iopub_welcome, kernel_info)
        self.drain_iopub(0.3)

    # ---------------------------------------------------------------- low level

    def channel(self, name):
        return getattr(self.kc, name + "_channel")

    def _file(self, name, msg):
        msg["_t"] = time.monotonic()
        pid = (msg.get("parent_header") or {}).get("msg_id")
        if name == "iopub":
            if pid:
                self.by_parent["iopub"].setdefault(pid, []).append(msg)
            else:
                self.unparented.append(msg)
        else:
            self.by_parent[name][pid] = msg

    def _pump(self, name, timeout):
        try:
            msg = getattr(self.kc, "get_%s_msg" % name)(timeout=max(timeout, 0.001))
        except queue.Empty:
            return False
        self._file(name, msg)
        return True

    def drain_iopub(self, seconds):
        end = time.monotonic() + seconds
        while self._pump("iopub", end - time.monotonic()):
            pass

    def send(self, msg_type, content=None, channel="shell", metadata=None):
        msg = self.kc.session.msg(msg_type, content or {}, metadata=metadata)
        self.channel(channel).send(msg)
        return msg["header"]["msg_id"]

    def reply(self, msg_id, channel="shell", timeout=TIMEOUT):
        """The reply to ``msg_id`` on ``channel``; raises AssertionError after ``timeout`` s."""
        end = time.monotonic() + timeout
        box = self.by_parent[channel]
        while msg_id not in box:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("no %s reply to %s within %.1f s" % (channel, msg_id, timeout))
            # take iopub messages off their socket as they come, so that their _t is their arrival
            while channel != "iopub" and self._pump("iopub", 0.001):
                pass
            self._pump(channel, min(left, 0.02))
        return box.pop(msg_id)

    def maybe_reply(self, msg_id, channel="shell", timeout=2.0):
        try:
            return self.reply(msg_id, channel, timeout)
        except AssertionError:
            return None

    def iopub(self, msg_id, timeout=TIMEOUT):
        """The iopub messages with parent ``msg_id`` up to and including ``status: idle``."""
        end = time.monotonic() + timeout
        while True:
            msgs = self.by_parent["iopub"].get(msg_id, [])
            if any(m["msg_type"] == "status" and m["content"].get("execution_state") == "idle" for m in msgs):
                return self.by_parent["iopub"].pop(msg_id)
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("no status idle for %s within %.1f s; got %s"
                                     % (msg_id, timeout, [m["msg_type"] for m in msgs]))
            self._pump("iopub", min(left, 0.5))

    def iopub_so_far(self, msg_id, wait=0.0):
        self.drain_iopub(wait)
        return list(self.by_parent["iopub"].get(msg_id, []))

    def request(self, msg_type, content=None, channel="shell", timeout=TIMEOUT):
        """Sends a request, returns (reply, iopub messages until idle)."""
        mid = self.send(msg_type, content, channel)
        rep = self.reply(mid, channel, timeout)
        return rep, self.iopub(mid, timeout)

    # ---------------------------------------------------------------- execute

    def execute_async(self, code, silent=False, store_history=True, user_expressions=None,
                      allow_stdin=False, stop_on_error=True):
        return self.send("execute_request", {
            "code": code, "silent": silent, "store_history": store_history,
            "user_expressions": user_expressions or {}, "allow_stdin": allow_stdin,
            "stop_on_error": stop_on_error})

    def execute(self, code, timeout=TIMEOUT, **kw):
        mid = self.execute_async(code, **kw)
        rep = self.reply(mid, "shell", timeout)
        return Result(mid, rep, self.iopub(mid, timeout))

    def ok(self, code, **kw):
        """Executes and asserts status ok; returns the Result."""
        r = self.execute(code, **kw)
        if r.status != "ok":
            raise AssertionError("cell failed: %r\nreply: %s\noutputs: %s"
                                 % (code, r.reply["content"], r.summary()))
        return r

    def value(self, code):
        """text/plain of the execute_result of ``code`` (asserting it ran)."""
        r = self.ok(code)
        res = r.of("execute_result")
        if not res:
            raise AssertionError("no execute_result for %r: %s" % (code, r.summary()))
        return res[-1]["content"]["data"].get("text/plain")

    # ---------------------------------------------------------------- lifecycle

    @property
    def pid(self):
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None)
        return proc.pid if proc is not None else None

    def shutdown(self):
        try:
            self.kc.stop_channels()
        except Exception:
            pass
        self.kc = None   # let jupyter_client's __del__ run now, not during interpreter exit
        try:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=False)
        except Exception:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:
                pass
        conn = self.km.connection_file
        # whatever the launcher started must be gone (java child of a non-exec launcher included)
        if conn:
            for pid in pids_with_arg(conn):
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass


class Result:
    def __init__(self, msg_id, reply, iopub):
        self.msg_id = msg_id
        self.reply = reply
        self.msgs = iopub
        self.content = reply["content"]
        self.status = self.content.get("status")

    def of(self, *types):
        return [m for m in self.msgs if m["msg_type"] in types]

    def outputs(self):
        return [m for m in self.msgs if m["msg_type"] in OUTPUT_TYPES]

    def stream(self, name="stdout"):
        return "".join(m["content"]["text"] for m in self.of("stream") if m["content"]["name"] == name)

    def traceback(self):
        tb = self.content.get("traceback") or []
        for m in self.of("error"):
            tb = tb + m["content"].get("traceback", [])
        return strip_ansi("\n".join(tb))

    def summary(self):
        out = []
        for m in self.msgs:
            c = m["content"]
            if m["msg_type"] == "stream":
                out.append("stream[%s]=%r" % (c["name"], c["text"]))
            elif m["msg_type"] in ("execute_result", "display_data", "update_display_data"):
                out.append("%s=%r" % (m["msg_type"], c.get("data")))
            elif m["msg_type"] == "error":
                out.append("error=%s: %s" % (c.get("ename"), c.get("evalue")))
            elif m["msg_type"] == "status":
                out.append("status=" + c.get("execution_state", "?"))
            else:
                out.append(m["msg_type"])
        return out


class KernelTestCase(unittest.TestCase):
    """One installed kernelspec and one kernel per TestCase class."""

    java_home = None          # run the kernel on this JDK (JAVA_HOME) when set
    extra_env = {}

    @classmethod
    def setUpClass(cls):
        if cls.java_home is not None and not jdk_available(cls.java_home):
            raise unittest.SkipTest("JDK not found at %s" % cls.java_home)
        env = dict(cls.extra_env)
        if cls.java_home:
            env["JAVA_HOME"] = cls.java_home
        cls.spec = InstalledKernelspec(env=env)
        try:
            cls.k = Kernel(cls.spec)
        except Exception:
            cls.spec.remove()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.k.shutdown()
        finally:
            cls.spec.remove()

    def assertAlive(self):
        """The kernel still answers kernel_info and runs a cell."""
        rep = self.k.reply(self.k.send("kernel_info_request"), timeout=30)
        self.assertEqual(rep["msg_type"], "kernel_info_reply")
        self.assertEqual(self.k.value("20 + 22"), "42")


def write_notebook(path, cells, kernel_name, display_name="Java (jtune IT)"):
    nb = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": kernel_name, "display_name": display_name, "language": "java"},
            "language_info": {"name": "java"},
        },
        "cells": [{"cell_type": "code", "id": "c%d" % i, "metadata": {}, "execution_count": None,
                   "outputs": [], "source": src} for i, src in enumerate(cells)],
    }
    with open(path, "w") as f:
        json.dump(nb, f, indent=1)


def text_of(output):
    """The text of one nbformat output (stream text, text/plain of results, error ename)."""
    if output["output_type"] == "stream":
        t = output["text"]
        return "".join(t) if isinstance(t, list) else t
    if output["output_type"] in ("execute_result", "display_data"):
        t = output["data"].get("text/plain", "")
        return "".join(t) if isinstance(t, list) else t
    if output["output_type"] == "error":
        return output["ename"] + ": " + output["evalue"]
    return ""


def versions():
    return "jupyter_client %s" % jupyter_client.__version__
