"""Bad inputs that must end as an error naming the file and the field (issue #13): in a cell the
kernel survives, the cell shows the error, an earlier variable keeps its value and the next cell
works; on the command line the command exits with the message. JDK 17 and 25 where Java differs
(how it decodes arguments under the C locale)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from jtune_it import JDK17, JDK25, LAUNCHER, REPO, TIMEOUT, KernelTestCase, jdk_available, run_cli

TEMPLATE = "io.jtune.finetune.tokenize.template.ChatTemplate"
HELLO = 'java.util.List.of(java.util.Map.of("role", "user", "content", "hi"))'


def java_string(s):
    return json.dumps(s)


class CellErrorsTest(KernelTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="jtune-it-input-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def fails_and_survives(self, code, *expected):
        self.k.ok("int keptValue = 41;")
        r = self.k.execute(code)
        self.assertEqual(r.status, "error", r.summary())
        shown = r.traceback() + r.stream("stderr")
        for e in expected:
            self.assertIn(e, shown, shown)
        self.assertEqual(self.k.value("keptValue + 1"), "42")
        self.assertAlive()
        return shown

    def render(self, template):
        return "new %s(%s).render(%s, false)" % (TEMPLATE, java_string(template), HELLO)

    def test_an_attribute_of_an_undefined_value_is_an_undefined_error(self):
        self.fails_and_survives(self.render("line one\n{{ messages[0].foo.bar }}"),
                                "template line 2", "UndefinedError: 'dict object' has no attribute 'foo'")
        self.assertEqual(self.k.value(self.render("[{{ messages[0].foo }}]")), '[]')

    def test_endless_macro_recursion_is_a_recursion_error(self):
        self.fails_and_survives(self.render("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}"),
                                "RecursionError: maximum recursion depth exceeded")

    def test_a_range_over_the_sandbox_limit_is_refused_not_capped(self):
        self.fails_and_survives(self.render("{% for i in range(100000000) %}{% endfor %}"),
                                "OverflowError: Range too big", "MAX_RANGE (100000)")
        self.assertEqual(self.k.value(self.render("{{ range(5000) | length }}")), '5000')

    def test_a_fifo_or_dev_null_is_named_for_what_it_is(self):
        fifo = os.path.join(self.tmp, "data.jsonl")
        os.mkfifo(fifo)
        load = "io.jtune.finetune.data.read.DatasetLoader.builder().build().load(java.nio.file.Path.of(%s))"
        self.fails_and_survives(load % java_string(fifo), "is not a regular file: a FIFO (named pipe)")
        self.fails_and_survives(load % java_string("/dev/null"), "is not a regular file: a character device")
        model = os.path.join(self.tmp, "model")
        os.makedirs(model)
        os.mkfifo(os.path.join(model, "config.json"))
        self.fails_and_survives("io.jtune.finetune.model.ModelConfigReader.read(java.nio.file.Path.of(%s))"
                                % java_string(model), "config.json: is not a regular file: a FIFO")

    def test_a_line_limit_over_20_million_characters_reads_such_strings(self):
        path = os.path.join(self.tmp, "long.jsonl")
        n = 20_000_000 + 500
        with open(path, "w") as f:
            f.write('{"prompt": "p", "completion": "%s"}\n' % ("x" * n))
        code = ("io.jtune.finetune.data.read.DatasetLoader.builder().maxLineBytes(21_000_000).build()"
                ".load(java.nio.file.Path.of(%s)).train().get(0).fields().get(\"completion\").length()"
                % java_string(path))
        self.assertEqual(self.k.value(code), str(n))


class CommandLineTestBase(unittest.TestCase):
    """``./jtune next-token`` on a tiny model under a given JDK."""

    java_home = None

    @classmethod
    def setUpClass(cls):
        if not jdk_available(cls.java_home):
            raise unittest.SkipTest("JDK not found at %s" % cls.java_home)
        cls.tmp = tempfile.mkdtemp(prefix="jtune-it-args-")
        cls.model = os.path.join(cls.tmp, "mod\u00e9l")
        run_cli("tiny-model", cls.model, env=cls.env("C.UTF-8"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def env(cls, locale):
        env = dict(os.environ)
        env["JAVA_HOME"] = cls.java_home
        env["LC_ALL"] = locale
        return env

    def jtune(self, *args, locale="C"):
        argv = [LAUNCHER.encode()] + [a if isinstance(a, bytes) else a.encode() for a in args]
        return subprocess.run(argv, cwd=REPO, env=self.env(locale), capture_output=True, timeout=TIMEOUT)

    def ids(self, prompt, locale):
        p = self.jtune("next-token", self.model, "--prompt", prompt, "--json", "--top", "1", locale=locale)
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))
        return json.loads(p.stdout.decode())["prompt_ids"]

    def test_invalid_utf8_in_the_prompt_is_refused_naming_the_option(self):
        for locale in ("C", "C.UTF-8"):
            p = self.jtune("next-token", self.model, "--prompt", b"a\xffb", locale=locale)
            err = p.stderr.decode(errors="replace")
            self.assertEqual(p.returncode, 2, err)
            self.assertIn("the value of --prompt is not valid UTF-8 (byte 0xFF at byte 2 of it)", err)

    def test_utf8_reads_right_under_the_c_locale(self):
        self.assertEqual(self.ids("caf\u00e9 \u00fc", "C"), self.ids("caf\u00e9 \u00fc", "C.UTF-8"))
        self.assertNotEqual(self.ids("caf\u00e9 \u00fc", "C"), self.ids("caf\ufffd\ufffd \ufffd\ufffd", "C.UTF-8"))

    def test_bad_config_ids_and_lengths_name_the_field_before_loading(self):
        bad = os.path.join(self.tmp, "bad")
        shutil.copytree(self.model, bad, dirs_exist_ok=True)
        with open(os.path.join(bad, "config.json")) as f:
            config = json.load(f)
        config["num_attention_heads"] = 0
        with open(os.path.join(bad, "config.json"), "w") as f:
            json.dump(config, f)
        p = self.jtune("next-token", bad, "--prompt", "hi")
        self.assertEqual(p.returncode, 1)
        self.assertIn("config.json: num_attention_heads: must be >= 1, got 0", p.stderr.decode())
        p = self.jtune("next-token", self.model, "--ids", "1,99999")
        self.assertIn("token id 99999 (at index 1) is not in the vocabulary", p.stderr.decode())
        p = self.jtune("next-token", self.model, "--prompt", "hello " * 3000)
        self.assertIn("the model has max_position_embeddings", p.stderr.decode())


class CommandLineJdk17Test(CommandLineTestBase):
    java_home = JDK17


class CommandLineJdk25Test(CommandLineTestBase):
    java_home = JDK25


del CommandLineTestBase

if __name__ == "__main__":
    unittest.main()
