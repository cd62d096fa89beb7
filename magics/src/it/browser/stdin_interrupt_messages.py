#!/usr/bin/env python3
"""What two kernels send when a cell waiting for input is interrupted, side by side.

Starts each kernel with jupyter_client's KernelManager (as jupyter-server does), executes a cell
that reads a line with allow_stdin=True, waits for its input_request, interrupts the kernel the way
the kernelspec says (interrupt_mode "message" or "signal") without sending an input_reply, and
prints every iopub, stdin and shell message that follows, in arrival order.

    python3 stdin_interrupt_messages.py                 # jtune and python3
    python3 stdin_interrupt_messages.py --kernels jtune python3 --after 4

The kernels must be installed where jupyter_client looks (JUPYTER_PATH, `jupyter kernelspec list`).
"""

import argparse
import queue
import time

READ_LINE = {
    "java": "new java.util.Scanner(System.in).nextLine()",
    "python": "input()",
}


def summarize(content):
    """The content with tracebacks and long texts cut, for printing."""
    out = {}
    for key, value in content.items():
        if key == "traceback":
            value = "[%d lines]" % len(value)
        elif key in ("banner", "help_links", "language_info", "engine_info"):
            continue
        out[key] = value
    return out


def record(kernel_name, code=None, after=4.0, start_timeout=180.0):
    """Runs the read-a-line cell in one kernel and interrupts it.

    Returns rows [t, channel, msg_type, parent msg_type, content], t in seconds from the interrupt
    (negative before it); the interrupt itself is a row of type INTERRUPT.
    """
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    rows = []
    try:
        kc.wait_for_ready(timeout=start_timeout)
        # wait_for_ready leaves kernel_info replies behind; drop them before the cell
        for ch in (kc.shell_channel, kc.iopub_channel):
            while True:
                try:
                    ch.get_msg(timeout=0.2)
                except queue.Empty:
                    break
        language = km.kernel_spec.language.lower()
        kc.execute(code or READ_LINE.get(language, READ_LINE["python"]), allow_stdin=True)
        channels = (("iopub", kc.iopub_channel), ("stdin", kc.stdin_channel), ("shell", kc.shell_channel))

        def drain(until, stop_on=None):
            while time.time() < until:
                got = False
                for name, ch in channels:
                    try:
                        m = ch.get_msg(timeout=0.02)
                    except queue.Empty:
                        continue
                    got = True
                    rows.append([time.time(), name, m["msg_type"], m["parent_header"].get("msg_type", ""),
                                 summarize(m["content"])])
                    if m["msg_type"] == stop_on:
                        return True
                if not got:
                    time.sleep(0.01)
            return False

        if not drain(time.time() + start_timeout, stop_on="input_request"):
            raise RuntimeError("%s sent no input_request" % kernel_name)
        t_interrupt = time.time()
        km.interrupt_kernel()
        rows.append([t_interrupt, "--", "INTERRUPT", "", {"interrupt_mode": km.kernel_spec.interrupt_mode}])
        drain(time.time() + after)
        for row in rows:
            row[0] -= t_interrupt
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return rows


def format_rows(kernel_name, rows):
    """One line a message: kernel, seconds from the interrupt, channel, type, parent's type, content."""
    return ["%-8s %+6.2fs %-5s %-15s (parent %s) %s" % (kernel_name, t, channel, msg_type, parent or "-", content)
            for t, channel, msg_type, parent, content in rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernels", nargs="+", default=["jtune", "python3"])
    ap.add_argument("--after", type=float, default=4.0, help="seconds to record after the interrupt")
    args = ap.parse_args()
    for name in args.kernels:
        for line in format_rows(name, record(name, after=args.after)):
            print(line)


if __name__ == "__main__":
    main()
