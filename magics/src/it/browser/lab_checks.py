"""The checks of jupyterlab_check.py, each on the LabSession's current notebook."""

import json
import time

import nbformat

# fields nbformat 4's schema allows on each output type
OUTPUT_FIELDS = {
    "stream": {"output_type", "name", "text"},
    "display_data": {"output_type", "data", "metadata"},
    "execute_result": {"output_type", "data", "metadata", "execution_count"},
    "error": {"output_type", "ename", "evalue", "traceback"},
}
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'


def run_all(lab, report, args):
    java = kernel_display_name(lab, args.kernel)
    python = kernel_display_name(lab, args.python_kernel)
    lab.new_notebook(java)
    java_kernel = lab.kernel_id()
    check_cells(lab, report)
    check_tooltip(lab, report, java_kernel)
    check_stdin_prompt(lab, report)
    check_chart(lab, report)
    java_left = check_interrupt(lab, report, "jtune", java_kernel, "new java.util.Scanner(System.in).nextLine()")
    check_saved(lab, report, "6 saved (jtune, at the end)")
    lab.new_notebook(python)
    python_kernel = lab.kernel_id()
    python_left = check_interrupt(lab, report, "python3", python_kernel, "input()")
    report.check("4c after an interrupt the input box is as with ipykernel", java_left == python_left,
                 "input boxes left: jtune %s, ipykernel %s (JupyterLab removes a box only when it is answered)"
                 % (java_left, python_left))
    check_tooltip(lab, report, python_kernel, (("2c", "print", "print("),))  # the harness's control


def kernel_display_name(lab, name):
    spec = lab.page.request.get(lab.url + "/api/kernelspecs").json()["kernelspecs"][name]
    return spec["spec"]["display_name"]


def output_text(cell):
    """The text of the cell's outputs, without the Out[n] prompts."""
    # one evaluate: a stdin box disposes itself 0.5 s after its answer, between two locator reads
    return cell.evaluate("c => [...c.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText).join('')")


def check_cells(lab, report):
    cell = lab.run_last_cell("1 + 1", timeout_ms=180_000)
    report.check("1a 1 + 1", output_text(cell).strip() == "2", repr(output_text(cell)))
    cell = lab.run_last_cell('System.out.println("hi")')
    report.check("1b println", output_text(cell).strip() == "hi", repr(output_text(cell)))
    cell = lab.run_last_cell('display(html("<b>x</b>"))')
    bold = cell.locator(".jp-RenderedHTMLCommon b")
    report.check("1c display(html)", bold.count() == 1 and bold.inner_text() == "x",
                 "bold elements: %d, output %r" % (bold.count(), output_text(cell)))
    cell = lab.run_last_cell("int x = ;")
    text = output_text(cell)
    report.check("1d compile error", cell.locator(STDERR).count() > 0 and text.strip() != "",
                 "error output: %r" % text[:200])
    cell = lab.run_last_cell('throw new IllegalStateException("boom")')
    text = output_text(cell)
    report.check("1e exception", "IllegalStateException" in text and "boom" in text,
                 "error output: %r" % text[:200])
    lab.shot("cells")
    return check_saved(lab, report, "1f saved .ipynb valid")


def check_saved(lab, report, name, file_name="jtune-check.ipynb"):
    """Saves with Ctrl+S, validates the file with nbformat and lists output fields beyond the schema."""
    path = lab.save(file_name)
    with open(path) as f:
        raw = json.load(f)
    problems = []
    try:
        nbformat.validate(nbformat.from_dict(raw))
    except nbformat.ValidationError as e:
        problems.append("nbformat: %s at %s" % (e.message, "/".join(str(p) for p in e.absolute_path)))
    for i, cell in enumerate(raw.get("cells", [])):
        for j, out in enumerate(cell.get("outputs", [])):
            extra = set(out) - OUTPUT_FIELDS.get(out.get("output_type"), set(out))
            if extra:
                problems.append("cells[%d].outputs[%d] (%s) has %s" % (i, j, out.get("output_type"), sorted(extra)))
    report.check(name, not problems, "; ".join(problems) or "%s validates, %d cells" % (path, len(raw["cells"])))
    return not problems


def check_tooltip(lab, report, kernel, cases=(("2a", "String.format", "format("), ("2b", '"hello".length', "length("))):
    """Shift+Tab at the end of each code; the tooltip must contain the wanted text."""
    for key, code, wanted in cases:
        lab.type_in_last_cell(code)
        lab.page.keyboard.press("End")
        t0 = time.time()
        lab.page.keyboard.press("Shift+Tab")
        tip = lab.page.locator(".jp-Tooltip")
        try:
            tip.first.wait_for(state="visible", timeout=10_000)
            text = tip.first.inner_text()
        except Exception:
            text = ""
        lab.shot("tooltip-" + key)
        replies = [m[6] for m in lab.messages_since(t0, kernel) if m[4] == "inspect_reply"]
        report.check("%s tooltip after %s" % (key, code), wanted in text,
                     ("tooltip %r" % text[:200] if text else "no tooltip within 10 s")
                     + "; inspect_reply %s" % (json.dumps(replies[0])[:200] if replies else "none"))
        lab.page.keyboard.press("Escape")
        lab.page.wait_for_timeout(300)
    lab.type_in_last_cell("")


def check_stdin_prompt(lab, report):
    code = 'System.out.print("Name: "); var s = new java.util.Scanner(System.in).nextLine(); s'
    cell = lab.run_last_cell(code, wait=False)
    box = cell.locator(".jp-Stdin input")
    try:
        box.wait_for(timeout=60_000)
    except Exception:
        report.check("3a input box", False, "no input box within 60 s; output %r" % output_text(cell))
        return
    prompt = cell.locator(".jp-Stdin-prompt").inner_text()
    stdout = cell.locator('[data-mime-type="application/vnd.jupyter.stdout"]')
    above = stdout.inner_text() if stdout.count() else ""
    lab.shot("stdin-prompt", cell)
    report.check("3a prompt beside the input box", "Name:" in prompt,
                 "text beside the box %r; stdout above it %r" % (prompt, above))
    box.fill("Ada")
    box.press("Enter")
    lab.wait_done(cell)
    value = cell.locator(".jp-OutputArea-executeResult").inner_text() if cell.locator(
        ".jp-OutputArea-executeResult").count() else ""
    lab.shot("stdin-value", cell)
    report.check("3b typed value is the cell's value", "Ada" in value,
                 "execute_result %r; whole output %r" % (value, output_text(cell)))


def check_chart(lab, report):
    code = ("var chart = new org.knowm.xchart.XYChartBuilder().width(500).height(300).title(\"squares\").build(); "
            "chart.addSeries(\"x^2\", new double[]{1, 2, 3, 4}, new double[]{1, 4, 9, 16}); chart")
    cell = lab.run_last_cell(code)
    img = cell.locator(".jp-OutputArea-output img")
    ok = img.count() > 0 and img.first.evaluate("i => i.complete && i.naturalWidth") > 0
    lab.shot("chart", cell)
    report.check("5 XYChart shows as an image", ok,
                 "img %s; output %r" % (img.first.evaluate("i => i.naturalWidth + 'x' + i.naturalHeight")
                                        if img.count() else "none", output_text(cell)[:200]))


def check_interrupt(lab, report, label, kernel, code):
    cell = lab.run_last_cell(code, wait=False)
    box = cell.locator(".jp-Stdin")
    try:
        box.first.wait_for(timeout=60_000)
    except Exception:
        report.check("4 %s input box" % label, False, "no input box within 60 s")
        return None
    lab.page.wait_for_timeout(500)
    t0 = time.time()
    lab.interrupt()
    done = True
    try:
        lab.wait_done(cell, 15_000)
    except TimeoutError:
        done = False
    lab.page.wait_for_timeout(2000)
    lab.shot("interrupt-" + label, cell)
    left = box.count()
    report.info("4a %s: input box after the interrupt" % label,
                "input boxes left: %d; cell finished: %s; prompt %r; output %r"
                 % (box.count(), done, cell.locator(".jp-InputArea-prompt").inner_text(), output_text(cell)[:200]))
    report.note("messages on the %s websocket after the interrupt click:" % label)
    print_messages(lab, report, t0, kernel)
    if left:
        check_stale_box(lab, report, label, kernel, code, box)
    return left


def print_messages(lab, report, t0, kernel):
    for m in lab.messages_since(t0 - 0.05, kernel):
        content = {k: ("[%d lines]" % len(v) if k == "traceback" else v) for k, v in m[6].items()}
        report.note("%+6.2fs %-3s %-7s %-16s (parent %s) %s"
                    % (m[0] - t0, m[1], m[3], m[4], m[5] or "-", json.dumps(content)[:240]))


def check_stale_box(lab, report, label, kernel, code, box):
    """Answers the box left after the interrupt, then reads a line again: the late answer must not be
    taken as the new read's value (a new box must come and its answer be the value)."""
    t0 = time.time()
    box.locator("input").first.fill("stale")
    box.locator("input").first.press("Enter")
    lab.page.wait_for_timeout(1500)
    report.note("after typing 'stale' + Enter in the left-over box:")
    print_messages(lab, report, t0, kernel)
    cell = lab.run_last_cell(code, wait=False)
    fresh = cell.locator(".jp-Stdin input")
    try:
        fresh.wait_for(timeout=20_000)
        fresh.fill("fresh")
        fresh.press("Enter")
    except Exception:
        pass  # no new box: the value below tells what the read got
    try:
        lab.wait_done(cell, 20_000)
    except TimeoutError:
        pass
    result = cell.locator(".jp-OutputArea-executeResult .jp-OutputArea-output")
    value = result.first.inner_text() if result.count() else ""
    lab.shot("stale-" + label, cell)
    report.check("4b %s: the next read gets the new answer, not the late one" % label,
                 "fresh" in value and "stale" not in value,
                 "new box: %s; value %r; output %r" % (fresh.count() > 0, value, output_text(cell)[:200]))
