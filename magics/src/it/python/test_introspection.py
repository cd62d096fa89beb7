"""complete_request, inspect_request, is_complete_request and history_request."""

import fnmatch
import os
import unittest

from jtune_it import KernelTestCase


class CompleteTest(KernelTestCase):

    def complete(self, code, cursor=None):
        cursor = len(code) if cursor is None else cursor
        rep, _ = self.k.request("complete_request", {"code": code, "cursor_pos": cursor})
        self.assertEqual(rep["msg_type"], "complete_reply")
        c = rep["content"]
        self.assertEqual(c.get("status"), "ok", c)
        for key in ("matches", "cursor_start", "cursor_end", "metadata"):
            self.assertIn(key, c)
        return c

    def test_method_of_string_literal(self):
        code = '"abc".len'
        c = self.complete(code)
        self.assertTrue(any(m.startswith("length") for m in c["matches"]), c["matches"])
        self.assertEqual(c["cursor_start"], code.index(".len") + 1, c)   # 6
        self.assertEqual(c["cursor_end"], len(code), c)                 # 9
        self.assertEqual(code[:c["cursor_start"]] + "length()", '"abc".length()')

    def test_variable_from_earlier_cell(self):
        self.k.ok("int myCounterVariable = 5;")
        c = self.complete("myCounterV")
        self.assertIn("myCounterVariable", c["matches"])
        self.assertEqual((c["cursor_start"], c["cursor_end"]), (0, 10), c)
        code = "int doubled = 2 * myCounterV"
        c = self.complete(code)
        self.assertIn("myCounterVariable", c["matches"])
        self.assertEqual((c["cursor_start"], c["cursor_end"]), (len(code) - len("myCounterV"), len(code)), c)

    def test_cursor_in_second_line(self):
        self.k.ok("String multiLineName = \"x\";")
        code = "int a = 1;\nmultiLineN"
        c = self.complete(code)
        self.assertIn("multiLineName", c["matches"])
        self.assertEqual((c["cursor_start"], c["cursor_end"]), (code.index("multiLineN"), len(code)), c)

    def test_cursor_in_middle(self):
        # completion at a cursor before the end of the code only looks at text before the cursor
        code = '"abc".len + 1'
        c = self.complete(code, cursor=len('"abc".len'))
        self.assertTrue(any(m.startswith("length") for m in c["matches"]), c["matches"])
        self.assertEqual(c["cursor_start"], 6, c)

    def test_inspect(self):
        found = []
        tried = []
        for code, cursor in (("String.valueOf", None), ("String.valueOf(", None), ("String.valueOf(1)", 10),
                             ("String.valueOf(1)", 15), ("String.valueOf(1)", None)):
            cursor = len(code) if cursor is None else cursor
            rep, _ = self.k.request("inspect_request", {"code": code, "cursor_pos": cursor, "detail_level": 0})
            self.assertEqual(rep["msg_type"], "inspect_reply")
            c = rep["content"]
            self.assertEqual(c.get("status"), "ok", c)
            self.assertIn("found", c)
            tried.append((code, cursor, c.get("found")))
            if c["found"]:
                self.assertTrue(c["data"].get("text/plain"), c)
                found.append(c)
        self.assertTrue(found, "inspect found nothing for String.valueOf: %s" % tried)
        self.assertIn("valueOf", found[0]["data"]["text/plain"])

    def test_inspect_the_name_at_the_cursor(self):
        # Shift+Tab in JupyterLab sends the cursor on a name, before any parenthesis
        for code, expected in (("String.format", "String.format(String format, Object... args)"),
                               ('"hello".length', "int String.length()")):
            rep, _ = self.k.request("inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})
            c = rep["content"]
            self.assertTrue(c["found"], (code, c))
            self.assertIn(expected, c["data"]["text/plain"])

    def test_inspect_nothing(self):
        rep, _ = self.k.request("inspect_request", {"code": "   ", "cursor_pos": 1, "detail_level": 0})
        self.assertEqual(rep["content"].get("status"), "ok", rep["content"])
        self.assertFalse(rep["content"]["found"])


class IsCompleteTest(KernelTestCase):

    def is_complete(self, code):
        rep, _ = self.k.request("is_complete_request", {"code": code})
        self.assertEqual(rep["msg_type"], "is_complete_reply")
        return rep["content"]

    def test_complete(self):
        for code in ("int x = 1;", "1 + 1", 'System.out.println("hi");', "void f() { }"):
            self.assertEqual(self.is_complete(code)["status"], "complete", code)

    def test_incomplete_with_indent(self):
        c = self.is_complete("for (int i=0;i<3;i++) {")
        self.assertEqual(c["status"], "incomplete", c)
        self.assertIn("indent", c)
        self.assertTrue(c["indent"].strip() == "" and len(c["indent"]) > 0, repr(c["indent"]))
        c = self.is_complete("class A {\n  void f() {")
        self.assertEqual(c["status"], "incomplete", c)

    def test_invalid(self):
        for code in (")))", "int 1x = ;"):
            c = self.is_complete(code)
            self.assertEqual(c["status"], "invalid", (code, c))


class HistoryTest(KernelTestCase):

    cells = ["int histA = 1;", "int histB = 2;", "String histC = \"c\";", "histA + histB", "int histD = 4;"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in cls.cells:
            cls.k.ok(code)
        cls.k.execute("int histHidden = 9;", store_history=False)
        cls.k.execute("int histSilent = 9;", silent=True)

    def history(self, **content):
        content.setdefault("output", False)
        content.setdefault("raw", True)
        rep, _ = self.k.request("history_request", content)
        self.assertEqual(rep["msg_type"], "history_reply")
        c = rep["content"]
        self.assertEqual(c.get("status"), "ok", c)
        for entry in c["history"]:
            self.assertEqual(len(entry), 3, entry)
        return c["history"]

    def test_tail(self):
        h = self.history(hist_access_type="tail", n=3)
        self.assertEqual([e[2] for e in h], self.cells[-3:], h)
        lines = [e[1] for e in h]
        self.assertEqual(lines, sorted(lines), h)
        self.assertEqual(lines[-1] - lines[0], 2, h)

    def test_range(self):
        h = self.history(hist_access_type="range", session=0, start=1, stop=3)
        self.assertEqual([e[2] for e in h], self.cells[:2], h)
        self.assertEqual([e[1] for e in h], [1, 2], h)
        whole = self.history(hist_access_type="range", session=0, start=1, stop=None)
        inputs = [e[2] for e in whole]
        self.assertEqual(inputs[:len(self.cells)], self.cells, whole)

    def test_not_stored(self):
        whole = self.history(hist_access_type="tail", n=100)
        inputs = [e[2] for e in whole]
        self.assertNotIn("int histHidden = 9;", inputs, "store_history=False cell is in the history")
        self.assertNotIn("int histSilent = 9;", inputs, "silent cell is in the history")

    def test_search(self):
        h = self.history(hist_access_type="search", pattern="int *")
        inputs = [e[2] for e in h]
        self.assertTrue(inputs, "search 'int *' found nothing")
        for s in inputs:
            self.assertTrue(fnmatch.fnmatchcase(s, "int *"), s)
        for code in ("int histA = 1;", "int histB = 2;", "int histD = 4;"):
            self.assertIn(code, inputs)
        self.assertNotIn('String histC = "c";', inputs)
        h = self.history(hist_access_type="search", pattern="*histC*", n=1)
        self.assertEqual([e[2] for e in h], ['String histC = "c";'], h)

    def test_output(self):
        h = self.history(hist_access_type="tail", n=2, output=True)
        self.assertEqual(len(h), 2, h)
        self.assertIsInstance(h[-1][2], list, "with output=True entries are [session, line, [input, output]]")

    def test_file_written(self):
        path = self.spec.history_file
        self.assertTrue(os.path.exists(path), "JTUNE_HISTORY_FILE %s was not written" % path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("histB", text)


if __name__ == "__main__":
    unittest.main()
