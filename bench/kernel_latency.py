#!/usr/bin/python3
"""Kernel latency benchmark for jtune (see bench/README.md).

1. Cold start: KernelManager.start_kernel() -> first kernel_info_reply on shell (repeat --starts
   times, median reported). The kernelspec is installed with `./jtune install --prefix TMP`.
2. Execute round trip of `1 + 1` on one warm kernel: --warmup requests, then --requests timed
   ones, one at a time; two clocks per request: send -> execute_reply received (shell) and
   send -> status idle received (iopub). Median and p99 in ms.

Prints a Markdown table and the machine (nproc, CPU model, JDK). Uses Debian's jupyter_client
and pyzmq; run with /usr/bin/python3.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import jupyter_client
import zmq
from jupyter_client import KernelManager
from jupyter_client.session import Session

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, ".."))


def percentile(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def jdk(java_home):
    java = os.path.join(java_home, "bin", "java") if java_home else "java"
    try:
        p = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True,
                           timeout=60)
        props = {}
        for line in p.stderr.splitlines():
            if "=" in line:
                k, v = line.strip().split("=", 1)
                props[k.strip()] = v.strip()
        return "%s %s (%s)" % (props.get("java.vm.name", "?"), props.get("java.runtime.version", "?"),
                               props.get("java.vendor", "?"))
    except (OSError, subprocess.SubprocessError) as e:
        return "unknown (%s)" % e


def install(prefix, name, env):
    subprocess.run([os.path.join(REPO, "jtune"), "install", "--prefix", prefix, "--name", name],
                   cwd=REPO, check=True, capture_output=True, text=True)
    path = os.path.join(prefix, "share", "jupyter", "kernels", name, "kernel.json")
    with open(path) as f:
        spec = json.load(f)
    spec.setdefault("env", {}).update(env)
    with open(path, "w") as f:
        json.dump(spec, f, indent=1)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")


def cold_start(name, timeout):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        msg = kc.session.msg("kernel_info_request", {})
        kc.shell_channel.send(msg)
        deadline = t0 + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RuntimeError("no kernel_info_reply within %s s" % timeout)
            try:
                rep = kc.get_shell_msg(timeout=left)
            except Exception:
                continue
            if rep["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                break
        t_info = time.perf_counter() - t0
        info = rep["content"]
        # the kernel may answer kernel_info before JShell is up: also time the first real cell
        ex = kc.session.msg("execute_request", {"code": "1 + 1", "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False,
                                                "stop_on_error": True})
        kc.shell_channel.send(ex)
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RuntimeError("no execute_reply within %s s" % timeout)
            try:
                rep = kc.get_shell_msg(timeout=left)
            except Exception:
                continue
            if rep["parent_header"].get("msg_id") == ex["header"]["msg_id"]:
                if rep["content"]["status"] != "ok":
                    raise RuntimeError("first execute failed: %s" % rep["content"])
                return t_info, time.perf_counter() - t0, info
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


class RawClient:
    """Synchronous zmq sockets on shell and iopub, polled together so both clocks are exact."""

    def __init__(self, km):
        info = km.get_connection_info(session=False)
        self.session = Session(key=info["key"] if isinstance(info["key"], bytes) else info["key"].encode(),
                               signature_scheme=info.get("signature_scheme", "hmac-sha256"))
        self.ctx = zmq.Context()
        ip, transport = info["ip"], info["transport"]
        url = lambda port: "%s://%s:%d" % (transport, ip, port)  # noqa: E731
        self.shell = self.ctx.socket(zmq.DEALER)
        self.shell.setsockopt(zmq.LINGER, 0)
        self.shell.connect(url(info["shell_port"]))
        self.iopub = self.ctx.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.setsockopt(zmq.LINGER, 0)
        self.iopub.connect(url(info["iopub_port"]))
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)

    def wait_subscribed(self, timeout=30.0):
        """Sends kernel_info until iopub delivers something (the SUB socket is then subscribed)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.session.send(self.shell, self.session.msg("kernel_info_request", {}))
            if self.iopub.poll(500):
                break
        else:
            raise RuntimeError("iopub delivered nothing within %s s" % timeout)
        time.sleep(0.2)
        for sock in (self.shell, self.iopub):   # drop what came so far
            while sock.poll(0):
                sock.recv_multipart()

    def kernel_info(self, timeout=30.0):
        msg = self.session.msg("kernel_info_request", {})
        mid = msg["header"]["msg_id"]
        t0 = time.perf_counter()
        self.session.send(self.shell, msg)
        while True:
            left = t0 + timeout - time.perf_counter()
            if left <= 0 or not self.shell.poll(left * 1000):
                raise RuntimeError("no kernel_info_reply")
            _, frames = self.session.feed_identities(self.shell.recv_multipart(), copy=True)
            m = self.session.deserialize(frames, content=True)
            if m["parent_header"].get("msg_id") == mid:
                t = (time.perf_counter() - t0) * 1000.0
                while self.iopub.poll(50):   # its busy/idle
                    self.iopub.recv_multipart()
                return t

    def execute(self, code, timeout=30.0):
        msg = self.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                   "user_expressions": {}, "allow_stdin": False,
                                                   "stop_on_error": True})
        mid = msg["header"]["msg_id"]
        t0 = time.perf_counter()
        self.session.send(self.shell, msg)
        t_reply = t_idle = None
        status = None
        deadline = t0 + timeout
        while t_reply is None or t_idle is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RuntimeError("timeout: reply=%s idle=%s" % (t_reply, t_idle))
            for sock, _ in self.poller.poll(left * 1000):
                now = time.perf_counter()
                _, frames = self.session.feed_identities(sock.recv_multipart(), copy=True)
                m = self.session.deserialize(frames, content=True)
                if m["parent_header"].get("msg_id") != mid:
                    continue
                if sock is self.shell and m["msg_type"] == "execute_reply":
                    t_reply = now
                    status = m["content"]["status"]
                elif (sock is self.iopub and m["msg_type"] == "status"
                      and m["content"]["execution_state"] == "idle"):
                    t_idle = now
        if status != "ok":
            raise RuntimeError("execute %r: status %s" % (code, status))
        return (t_reply - t0) * 1000.0, (t_idle - t0) * 1000.0

    def close(self):
        self.shell.close()
        self.iopub.close()
        self.ctx.term()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--starts", type=int, default=5, help="cold starts (default 5)")
    ap.add_argument("--warmup", type=int, default=20, help="untimed executes first (default 20)")
    ap.add_argument("--requests", type=int, default=200, help="timed executes (default 200)")
    ap.add_argument("--code", default="1 + 1")
    ap.add_argument("--java-home", default=os.environ.get("JAVA_HOME"),
                    help="JDK the kernel runs on (default: $JAVA_HOME, else java on PATH)")
    ap.add_argument("--kernel", help="use this installed kernelspec instead of installing one (for comparisons)")
    ap.add_argument("--json", help="also write the raw numbers to this file")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="jtune-bench-")
    name = "jtune-bench-" + uuid.uuid4().hex[:6]
    env = {"JTUNE_HISTORY_FILE": os.path.join(tmp, "history.json")}
    if args.java_home:
        env["JAVA_HOME"] = args.java_home
    try:
        if args.kernel:
            name = args.kernel
        else:
            install(os.path.join(tmp, "prefix"), name, env)

        # one untimed start so that a first-run Maven build or cold disk cache is not measured
        cold_start(name, 300)
        starts, first_exec = [], []
        info = None
        for i in range(args.starts):
            s, e, info = cold_start(name, 120)
            starts.append(s * 1000.0)
            first_exec.append(e * 1000.0)
            print("cold start %d: kernel_info %.0f ms, first execute %.0f ms" % (i + 1, s * 1000.0, e * 1000.0),
                  file=sys.stderr)

        km = KernelManager(kernel_name=name)
        km.start_kernel()
        rc = None
        try:
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=120)
            kc.stop_channels()
            rc = RawClient(km)
            rc.wait_subscribed()
            for _ in range(args.warmup):
                rc.execute(args.code)
            info_ms = [rc.kernel_info() for _ in range(args.requests)]
            reply_ms, idle_ms = [], []
            for _ in range(args.requests):
                r, i = rc.execute(args.code)
                reply_ms.append(r)
                idle_ms.append(i)
        finally:
            if rc is not None:
                rc.close()
            km.shutdown_kernel(now=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    machine = {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "jdk": jdk(args.java_home),
        "os": platform.platform(),
        "python": platform.python_version(),
        "jupyter_client": jupyter_client.__version__,
        "kernel": "%s %s" % (info.get("implementation"), info.get("implementation_version")) if info else "?",
    }
    rows = [
        ("cold start -> first kernel_info_reply", len(starts), statistics.median(starts),
         percentile(starts, 99), min(starts), max(starts)),
        ("cold start -> first execute_reply of `1 + 1`", len(first_exec), statistics.median(first_exec),
         percentile(first_exec, 99), min(first_exec), max(first_exec)),
        ("kernel_info round trip (warm; protocol only)", len(info_ms), statistics.median(info_ms),
         percentile(info_ms, 99), min(info_ms), max(info_ms)),
        ("execute `%s`: send -> execute_reply" % args.code, len(reply_ms), statistics.median(reply_ms),
         percentile(reply_ms, 99), min(reply_ms), max(reply_ms)),
        ("execute `%s`: send -> status idle (iopub)" % args.code, len(idle_ms), statistics.median(idle_ms),
         percentile(idle_ms, 99), min(idle_ms), max(idle_ms)),
    ]
    print("Machine: %d CPUs, %s; JDK: %s; %s; Python %s, jupyter_client %s; kernel %s"
          % (machine["nproc"], machine["cpu"], machine["jdk"], machine["os"], machine["python"],
             machine["jupyter_client"], machine["kernel"]))
    print()
    print("| measurement | n | median (ms) | p99 (ms) | min (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name_, n, med, p99, lo, hi in rows:
        print("| %s | %d | %.2f | %.2f | %.2f | %.2f |" % (name_, n, med, p99, lo, hi))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine, "cold_start_ms": starts, "first_execute_ms": first_exec,
                       "kernel_info_ms": info_ms, "reply_ms": reply_ms, "idle_ms": idle_ms},
                      f, indent=1)


if __name__ == "__main__":
    main()
