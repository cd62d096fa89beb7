"""kernel_info and execute_request: counts, silent, store_history, user_expressions, streams,
results, display data, clear_output, errors, System.exit and stdin."""

import time
import unittest

from jtune_it import KernelTestCase, OUTPUT_TYPES


class KernelInfoTest(KernelTestCase):

    def test_kernel_info(self):
        rep, iopub = self.k.request("kernel_info_request")
        self.assertEqual(rep["msg_type"], "kernel_info_reply")
        c = rep["content"]
        self.assertEqual(c.get("status"), "ok", c)
        self.assertEqual(c.get("protocol_version"), "5.4", c)
        self.assertEqual(rep["header"].get("version"), "5.4", rep["header"])
        self.assertEqual(c["language_info"]["name"], "java", c)
        for key in ("implementation", "implementation_version", "banner"):
            self.assertIn(key, c)
        self.assertIn("file_extension", c["language_info"])
        # busy / idle around the request, with the request as parent
        states = [m["content"]["execution_state"] for m in iopub if m["msg_type"] == "status"]
        self.assertEqual(states[0], "busy", states)
        self.assertEqual(states[-1], "idle", states)
        # the reply's parent is the request, with the same session
        self.assertEqual(rep["parent_header"]["msg_type"], "kernel_info_request")

    def test_heartbeat(self):
        hb = self.k.kc.hb_channel
        deadline = time.monotonic() + 10
        while not hb.is_beating() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertTrue(hb.is_beating(), "no heartbeat echo")

    def test_kernel_info_on_control(self):
        rep = self.k.reply(self.k.send("kernel_info_request", channel="control"), "control", 30)
        self.assertEqual(rep["msg_type"], "kernel_info_reply")
        self.assertEqual(rep["content"]["language_info"]["name"], "java")


class ExecuteTest(KernelTestCase):

    def test_execution_count_increments(self):
        a = self.k.ok("int countA = 1;")
        b = self.k.ok("int countB = 2;")
        self.assertIsInstance(a.content["execution_count"], int)
        self.assertEqual(b.content["execution_count"], a.content["execution_count"] + 1)
        inputs = b.of("execute_input")
        self.assertEqual(len(inputs), 1, b.summary())
        self.assertEqual(inputs[0]["content"]["code"], "int countB = 2;")
        self.assertEqual(inputs[0]["content"]["execution_count"], b.content["execution_count"])
        states = [m["content"]["execution_state"] for m in b.of("status")]
        self.assertEqual(states, ["busy", "idle"])

    def test_silent(self):
        before = self.k.ok("int silentBefore = 0;").content["execution_count"]
        r = self.k.execute('int silentVar = 7; System.out.println("should not be seen"); silentVar * 6',
                           silent=True)
        self.assertEqual(r.status, "ok", r.content)
        visible = [m for m in r.msgs if m["msg_type"] != "status"]
        self.assertEqual(visible, [], "silent execute published %s" % r.summary())
        after = self.k.ok("int silentAfter = 0;").content["execution_count"]
        self.assertEqual(after, before + 1, "silent execute incremented the execution count")
        self.assertEqual(self.k.value("silentVar"), "7", "the silent cell did not run")

    def test_store_history_false(self):
        before = self.k.ok("int shBefore = 0;").content["execution_count"]
        r = self.k.execute("int notStored = 5; notStored + 1", store_history=False)
        self.assertEqual(r.status, "ok", r.content)
        # output is still published
        self.assertEqual([m["content"]["data"]["text/plain"] for m in r.of("execute_result")], ["6"])
        after = self.k.ok("int shAfter = 0;").content["execution_count"]
        self.assertEqual(after, before + 1, "store_history=False incremented the execution count")

    def test_user_expressions(self):
        self.k.ok("int ueBase = 40;")
        r = self.k.execute("int ueOther = 1;",
                           user_expressions={"good": "ueBase + 2", "bad": "noSuchVariable.foo()"})
        self.assertEqual(r.status, "ok", r.content)
        ue = r.content["user_expressions"]
        self.assertEqual(ue["good"]["status"], "ok", ue)
        self.assertEqual(ue["good"]["data"]["text/plain"], "42", ue)
        self.assertIn("metadata", ue["good"])
        self.assertEqual(ue["bad"]["status"], "error", ue)
        for key in ("ename", "evalue", "traceback"):
            self.assertIn(key, ue["bad"])
        # user expressions publish nothing
        self.assertEqual([m for m in r.outputs()], [], r.summary())

    def test_stream_order(self):
        r = self.k.ok('for (int i = 0; i < 5; i++) { System.out.println("line" + i); }\n'
                      'System.err.println("to stderr");\n'
                      'System.out.print("no newline");')
        self.assertEqual(r.stream("stdout"), "".join("line%d\n" % i for i in range(5)) + "no newline")
        self.assertEqual(r.stream("stderr"), "to stderr\n")
        # every stream message comes between busy and idle and before nothing else but status
        types = [m["msg_type"] for m in r.msgs]
        self.assertEqual(types[0], "status")
        self.assertEqual(types[-1], "status")

    def test_stream_arrives_while_cell_runs(self):
        code = ('for (int i = 0; i < 30; i++) { System.out.println("tick " + i); Thread.sleep(100); }\n'
                'System.out.println("done");')
        r = self.k.ok(code)
        streams = r.of("stream")
        self.assertTrue(streams, r.summary())
        first = streams[0]["_t"]
        replied = r.reply["_t"]
        self.assertIn("tick 0\n", streams[0]["content"]["text"])
        self.assertGreater(replied - first, 1.5,
                           "first stream message came only %.3f s before the execute_reply "
                           "(cell runs ~3 s): output is not streamed while the cell runs" % (replied - first))
        self.assertEqual(r.stream(), "".join("tick %d\n" % i for i in range(30)) + "done\n")

    def test_unicode(self):
        r = self.k.ok('String uni = "h\u00e9llo \u2713 \u65e5\u672c";\nSystem.out.println("caf\u00e9 \u2615 \u00fcber");\nuni')
        self.assertEqual(r.stream(), "caf\u00e9 \u2615 \u00fcber\n")
        r = self.k.ok('String direct = "naïve λ 😀"; System.out.println(direct); direct.length()')
        self.assertEqual(r.stream(), "naïve λ 😀\n")
        self.assertEqual(r.of("execute_result")[0]["content"]["data"]["text/plain"], "10")  # UTF-16 units: the emoji is 2

    def test_large_output(self):
        r = self.k.ok('for (int i = 0; i < 20000; i++) { System.out.println("row " + i + " " + "x".repeat(40)); }')
        text = r.stream()
        self.assertEqual(text.count("\n"), 20000)
        self.assertTrue(text.startswith("row 0 "))
        self.assertIn("row 19999 ", text)

    def test_stack_overflow(self):
        self.k.ok("int down(int n) { return down(n + 1) + 1; }")
        r = self.k.execute("down(0)")
        self.assertEqual(r.status, "error", r.content)
        self.assertEqual(r.content["ename"], "java.lang.StackOverflowError", r.content)
        self.assertAlive()

    def test_execute_result(self):
        r = self.k.ok("6 * 7")
        results = r.of("execute_result")
        self.assertEqual(len(results), 1, r.summary())
        c = results[0]["content"]
        self.assertEqual(c["data"]["text/plain"], "42")
        self.assertEqual(c["execution_count"], r.content["execution_count"])
        self.assertIn("metadata", c)
        # a statement or declaration without a trailing expression has no result
        r2 = self.k.ok("int noResult = 3;")
        self.assertEqual(r2.of("execute_result"), [], r2.summary())

    def test_html_and_markdown(self):
        r = self.k.ok('html("<b>bold</b>")')
        data = r.of("execute_result", "display_data")[-1]["content"]["data"]
        self.assertEqual(data.get("text/html"), "<b>bold</b>", data)
        r = self.k.ok('markdown("# Title")')
        data = r.of("execute_result", "display_data")[-1]["content"]["data"]
        self.assertEqual(data.get("text/markdown"), "# Title", data)

    def test_display_and_update(self):
        r = self.k.ok('String shownId = display("first version");')
        shown = r.of("display_data")
        self.assertEqual(len(shown), 1, r.summary())
        did = shown[0]["content"].get("transient", {}).get("display_id")
        self.assertTrue(did, shown[0]["content"])
        self.assertEqual(shown[0]["content"]["data"]["text/plain"].strip('"'), "first version")
        # display returns the id
        self.assertEqual(self.k.value("shownId").strip('"'), did)
        r = self.k.ok('updateDisplay(shownId, "second version");')
        upd = r.of("update_display_data")
        self.assertEqual(len(upd), 1, r.summary())
        self.assertEqual(upd[0]["content"]["transient"]["display_id"], did)
        self.assertEqual(upd[0]["content"]["data"]["text/plain"].strip('"'), "second version")
        self.assertEqual(r.of("display_data"), [], "updateDisplay also sent a new display_data")

    def test_clear_output(self):
        r = self.k.ok('System.out.println("before");\nclearOutput();\nSystem.out.println("after");')
        types = [(m["msg_type"], m["content"].get("text")) for m in r.outputs()]
        clear = [i for i, (t, _) in enumerate(types) if t == "clear_output"]
        self.assertEqual(len(clear), 1, types)
        before = [i for i, (t, x) in enumerate(types) if t == "stream" and "before" in x]
        after = [i for i, (t, x) in enumerate(types) if t == "stream" and "after" in x]
        self.assertTrue(before and after, types)
        self.assertLess(before[-1], clear[0], types)
        self.assertLess(clear[0], after[0], types)
        self.assertIn("wait", r.of("clear_output")[0]["content"])

    def test_compile_error(self):
        count = self.k.ok("int ceBefore = 0;").content["execution_count"]
        r = self.k.execute('int fine = 1;\nint broken = "a string";\nint alsoFine = 2;')
        self.assertEqual(r.status, "error", r.content)
        for key in ("ename", "evalue", "traceback"):
            self.assertIn(key, r.content)
        errors = r.of("error")
        self.assertEqual(len(errors), 1, r.summary())
        tb = r.traceback()
        self.assertTrue('int broken = "a string"' in tb or "line 2" in tb,
                        "traceback does not mention the failing line:\n" + tb)
        self.assertIn("incompatible types", tb)
        # an error still counts as an execution
        self.assertEqual(r.content["execution_count"], count + 1)

    def test_runtime_exception(self):
        r = self.k.execute("1/0")
        self.assertEqual(r.status, "error", r.content)
        self.assertEqual(r.content["ename"], "java.lang.ArithmeticException", r.content)
        self.assertIn("/ by zero", r.content["evalue"])
        err = r.of("error")
        self.assertEqual(len(err), 1, r.summary())
        self.assertEqual(err[0]["content"]["ename"], "java.lang.ArithmeticException")
        self.assertIsInstance(err[0]["content"]["traceback"], list)

    def test_system_exit_keeps_kernel(self):
        r = self.k.execute('System.out.println("exiting"); System.exit(3);')
        self.assertEqual(r.status, "error", r.content)
        self.assertAlive()
        self.assertTrue(self.k.km.is_alive())

    def test_stop_on_error_aborts_queued(self):
        # sent back to back: the second is queued while the first fails
        first = self.k.execute_async('Thread.sleep(300); throw new IllegalStateException("boom");')
        second = self.k.execute_async("int afterAbort = 1;")
        r1 = self.k.reply(first)
        r2 = self.k.reply(second)
        self.assertEqual(r1["content"]["status"], "error", r1["content"])
        self.assertEqual(r2["content"]["status"], "aborted", r2["content"])
        self.k.iopub(first)
        self.k.iopub_so_far(second, 0.5)  # busy/idle for an aborted request are optional
        # the aborted cell did not run
        r = self.k.execute("afterAbort")
        self.assertEqual(r.status, "error", "aborted cell ran: %s" % r.summary())
        # and execution goes on after the abort
        self.assertAlive()

    def test_stop_on_error_false_runs_queued(self):
        first = self.k.execute_async('Thread.sleep(300); throw new IllegalStateException("boom");',
                                     stop_on_error=False)
        second = self.k.execute_async("int afterNoAbort = 1;")
        self.assertEqual(self.k.reply(first)["content"]["status"], "error")
        self.assertEqual(self.k.reply(second)["content"]["status"], "ok")
        self.k.iopub(first)
        self.k.iopub(second)


class MagicsTest(KernelTestCase):

    def test_contributed_magics_are_listed(self):
        r = self.k.ok("%lsmagic")
        listing = "".join(m["content"]["data"]["text/plain"] for m in r.of("execute_result"))
        self.assertIn("%engine", listing, r.summary())   # contributed by the magics module
        self.assertIn("%maven", listing, r.summary())    # the kernel's own

    def test_engine_shows_the_engine_facts(self):
        r = self.k.ok("%engine")
        results = r.of("execute_result")
        self.assertEqual(len(results), 1, r.summary())
        data = results[0]["content"]["data"]
        self.assertIn("PyTorch", data["text/plain"], data)
        self.assertIn("devices:", data["text/plain"], data)
        self.assertIn("<table>", data.get("text/html", ""), data)


class NotebookOutputsTest(KernelTestCase):
    """Front ends such as JupyterLab copy an output message's content into the notebook as it is
    (adding output_type, moving transient out); nbformat must accept what they save."""

    def test_outputs_copied_as_they_are_make_a_valid_notebook(self):
        import nbformat
        cells = ['System.out.println("out"); System.err.println("err");',
                 'display(html("<b>x</b>"))',
                 '1 + 1',
                 'int broken = "text";',
                 'throw new IllegalStateException("boom")']
        nb = nbformat.v4.new_notebook()
        for code in cells:
            outputs = []
            for m in self.k.execute(code).msgs:
                if m["msg_type"] in ("stream", "display_data", "execute_result", "error"):
                    out = dict(m["content"])
                    out.pop("transient", None)
                    out["output_type"] = m["msg_type"]
                    outputs.append(out)
            cell = nbformat.v4.new_code_cell(code)
            cell["outputs"] = outputs
            nb.cells.append(cell)
        errors = [m for m in nb.cells[3]["outputs"] + nb.cells[4]["outputs"] if m["output_type"] == "error"]
        self.assertEqual(len(errors), 2, nb.cells)
        for e in errors:
            self.assertEqual(set(e), {"output_type", "ename", "evalue", "traceback"}, e)
        nbformat.validate(nb)


class StdinTest(KernelTestCase):

    def test_prompt_printed_before_a_read_goes_with_the_input_request(self):
        mid = self.k.execute_async(
            'System.out.print("Name: ");\n'
            'String named = new java.util.Scanner(System.in).nextLine();', allow_stdin=True)
        req = self.k.kc.get_stdin_msg(timeout=60)
        self.assertEqual(req["content"]["prompt"], "Name: ")
        self.k.kc.input("Ada")
        self.k.reply(mid)
        out = "".join(m["content"]["text"] for m in self.k.iopub(mid) if m["msg_type"] == "stream")
        self.assertNotIn("Name: ", out, "the prompt is not shown twice")

    def test_input_request(self):
        mid = self.k.execute_async(
            'String line = new java.util.Scanner(System.in).nextLine();\n'
            'System.out.println("got <" + line + ">");', allow_stdin=True)
        req = self.k.kc.get_stdin_msg(timeout=60)
        self.assertEqual(req["msg_type"], "input_request")
        self.assertEqual(req["parent_header"]["msg_id"], mid)
        self.assertIn("prompt", req["content"])
        self.assertFalse(req["content"].get("password", False))
        self.k.kc.input("hello jtune")
        rep = self.k.reply(mid)
        r_msgs = self.k.iopub(mid)
        self.assertEqual(rep["content"]["status"], "ok", rep["content"])
        out = "".join(m["content"]["text"] for m in r_msgs if m["msg_type"] == "stream")
        self.assertIn("got <hello jtune>", out)
        self.assertEqual(self.k.value("line").strip('"'), "hello jtune")

    def test_interrupt_while_waiting_for_input(self):
        mid = self.k.execute_async('String never = new java.util.Scanner(System.in).nextLine();',
                                   allow_stdin=True)
        req = self.k.kc.get_stdin_msg(timeout=60)
        self.assertEqual(req["msg_type"], "input_request")
        t0 = time.monotonic()
        irep = self.k.reply(self.k.send("interrupt_request", {}, channel="control"), "control", 10)
        rep = self.k.reply(mid, timeout=30)
        took = time.monotonic() - t0
        self.k.iopub(mid)
        self.assertEqual(irep["content"].get("status"), "ok")
        self.assertEqual(rep["content"]["status"], "error", rep["content"])
        self.assertLess(took, 1.0, "execute_reply %.3f s after interrupting a pending input" % took)
        self.assertAlive()

    def test_no_stdin_when_not_allowed(self):
        t0 = time.monotonic()
        mid = self.k.execute_async(
            'String noLine = "unset";\n'
            'try { noLine = new java.util.Scanner(System.in).nextLine(); } '
            'catch (Exception e) { noLine = "failed: " + e.getClass().getSimpleName(); }',
            allow_stdin=False)
        try:
            req = self.k.kc.get_stdin_msg(timeout=5)
        except Exception:
            req = None
        if req is not None:
            self.k.kc.input("")
        rep = self.k.reply(mid, timeout=60)
        self.k.iopub(mid)
        self.assertIsNone(req, "input_request sent although allow_stdin=False: %s" % (req and req["content"]))
        self.assertEqual(rep["content"]["status"], "ok", rep["content"])
        self.assertLess(time.monotonic() - t0, 30)


if __name__ == "__main__":
    unittest.main()
