package io.jtune.magics.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.eval.Comparison;
import io.jtune.finetune.export.ExportReport;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.LoadedModel;
import io.jtune.finetune.train.TrainResult;
import io.jtune.kernel.display.DisplaySink;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import io.jtune.kernel.magic.MagicException;
import io.jtune.kernel.magic.MagicRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning magics in the order a notebook runs them, on the built-in base and a small generated set. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FineTuneFlowTest {
    /** A notebook without JShell: variables are a map, eval(name) reads one, displays are recorded. */
    static final class Notebook implements MagicContext {
        final Map<String, Object> vars = new LinkedHashMap<>();
        final List<String[]> displays = new ArrayList<>(); // id, update, text/plain
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final Path dir;

        Notebook(Path dir) {
            this.dir = dir;
        }

        @Override
        public Object eval(String code) {
            if (!vars.containsKey(code)) {
                throw new IllegalStateException("cannot find symbol: " + code);
            }
            return vars.get(code);
        }

        @Override
        public void addToClasspath(List<Path> entries) {
        }

        @Override
        public List<Path> classpath() {
            return List.of();
        }

        @Override
        public void bind(String name, Object value) {
            vars.put(name, value);
        }

        @Override
        public PrintStream out() {
            return out;
        }

        @Override
        public DisplaySink display() {
            return new DisplaySink() {
                @Override
                public void display(MimeBundle bundle, String id, boolean update) {
                    displays.add(new String[] {id, String.valueOf(update), String.valueOf(bundle.get(MimeBundle.TEXT_PLAIN))});
                }

                @Override
                public void clearOutput(boolean wait) {
                }
            };
        }

        @Override
        public MagicRegistry registry() {
            return MagicRegistry.discover();
        }

        @Override
        public Path workingDirectory() {
            return dir;
        }

        /** Runs {@code %name line} as the kernel does: parse, run, bind with {@code as NAME}. */
        Object run(LineMagic magic, String line) throws Exception {
            MagicArgs args = MagicArgs.parse(line);
            Object r = Session.showingBound(magic).run(args, this);
            if (args.bindName().isPresent()) {
                bind(args.bindName().get(), r);
            }
            return r;
        }
    }

    @TempDir
    static Path tmp;
    static Notebook nb;

    @BeforeAll
    static void open() throws Exception {
        Session.reset();
        Path repo = Path.of("..").toAbsolutePath().normalize();
        nb = new Notebook(repo);
        MagicException none = assertThrows(MagicException.class, () -> nb.run(new LoraMagic(), "r=8"));
        assertTrue(none.getMessage().contains("run %load_model base"), none.getMessage());
    }

    @AfterAll
    static void close() {
        if (nb.vars.get("model") instanceof LoadedModel m) {
            m.close();
        }
        Session.reset();
    }

    @Test
    @Order(1)
    void loadModelBindsATypedModelAndShowsItsSummary() throws Exception {
        LoadedModel m = assertInstanceOf(LoadedModel.class, nb.run(new LoadModelMagic(), "models/jtune-base-1m as model"));
        assertEquals(m, nb.vars.get("model"));
        String shown = nb.displays.get(nb.displays.size() - 1)[2];
        assertTrue(shown.contains("1,049,728") && shown.contains("chat template") && shown.contains("4 layers"), shown);
        MagicException e = assertThrows(MagicException.class, () -> nb.run(new LoadModelMagic(), "base quant=nf8"));
        assertTrue(e.getMessage().contains("quant=nf8 is not one of none, nf4"), e.getMessage());
    }

    @Test
    @Order(2)
    void dataGeneratesTheFlagshipSplits() throws Exception {
        Dataset d = assertInstanceOf(Dataset.class, nb.run(new DataMagic(),
                "generate legal-audit n=48 heldout=6 val=8 seed=3 as legal"));
        assertEquals(List.of(48, 8, 6), List.of(d.train().size(), d.validation().size(), d.test().size()));
        MagicException e = assertThrows(MagicException.class, () -> nb.run(new DataMagic(), "generate recipes"));
        assertTrue(e.getMessage().contains("legal-audit"), e.getMessage());
    }

    @Test
    @Order(3)
    void dataTokensShowWhatIsTrainedOnAndDescribeCountsLengths() throws Exception {
        LabeledTokens t = assertInstanceOf(LabeledTokens.class, nb.run(new DataMagic(), "tokens legal row=1"));
        int first = t.trained().indexOf(true);
        assertTrue(first > 0 && t.trainedCount() < t.tokens().size(), t.toString());
        assertTrue(String.join("", t.tokens().subList(first, Math.min(t.tokens().size(), first + 3))).startsWith("Facts"),
                "training starts at the answer: " + t);
        assertTrue(t.toString().contains("[[Facts"), t.toString());
        String html = Renderers.render(t).get(MimeBundle.TEXT_HTML).toString();
        assertTrue(html.contains("#c8f0c8") && html.contains("#e4e4e4"), html);
        Object stats = nb.run(new DataMagic(), "describe legal max_len=512");
        assertEquals("DatasetStats", stats.getClass().getSimpleName());
        MagicException e = assertThrows(MagicException.class, () -> nb.run(new DataMagic(), "tokens legal row=99"));
        assertTrue(e.getMessage().contains("row=99 is outside the 48 rows"), e.getMessage());
    }

    @Test
    @Order(4)
    void loraAttachesOnceAndRefusesUnknownArguments() throws Exception {
        LoraModel l = assertInstanceOf(LoraModel.class, nb.run(new LoraMagic(), "r=4 alpha=8 as adapter"));
        assertEquals(8, l.layers().size());
        assertTrue(nb.displays.get(nb.displays.size() - 1)[2].contains("model.layers.0.self_attn.q_proj"));
        MagicException again = assertThrows(MagicException.class, () -> nb.run(new LoraMagic(), "r=8"));
        assertTrue(again.getMessage().contains("already has an adapter"), again.getMessage());
        MagicException unknown = assertThrows(MagicException.class, () -> nb.run(new TrainMagic(), "data=legal rank=4"));
        assertTrue(unknown.getMessage().contains("unknown argument rank="), unknown.getMessage());
        MagicException notData = assertThrows(MagicException.class, () -> nb.run(new TrainMagic(), "data=adapter"));
        assertTrue(notData.getMessage().contains("holds a LoraModel, not a Dataset"), notData.getMessage());
    }

    @Test
    @Order(5)
    void trainUpdatesOneProgressBarAndOneChartInPlace() throws Exception {
        int before = nb.displays.size();
        TrainResult r = assertInstanceOf(TrainResult.class, nb.run(new TrainMagic(),
                "data=legal max_steps=6 batch=8 lr=5e-3 eval_every=3 as run"));
        assertEquals(6, r.steps().size());
        assertEquals(2, r.evals().size());
        List<String[]> shown = nb.displays.subList(before, nb.displays.size() - 1);
        List<String> ids = shown.stream().map(s -> s[0]).distinct().toList();
        assertEquals(2, ids.size(), "a progress bar and a chart: " + ids);
        for (String id : ids) {
            List<String[]> of = shown.stream().filter(s -> s[0].equals(id)).toList();
            assertEquals("false", of.get(0)[1], "first shown as a new output");
            assertTrue(of.stream().skip(1).allMatch(s -> s[1].equals("true")), "then updated in place");
        }
        assertTrue(shown.stream().anyMatch(s -> s[2].startsWith("step 6/6")), "the bar reaches the last step");
        assertTrue(nb.bytes.toString(StandardCharsets.UTF_8).contains("plan: 48 examples"));
    }

    @Test
    @Order(6)
    void evalComparesAdapterOffAndOn() throws Exception {
        Comparison c = assertInstanceOf(Comparison.class, nb.run(new EvalMagic(),
                "data=legal limit=4 max_new_tokens=12 metrics=f1,verdict compare=adapter-off as report"));
        assertEquals("adapter off", c.before().label());
        assertEquals(4, c.after().cases().size());
        String shown = nb.displays.get(nb.displays.size() - 1)[2];
        assertTrue(shown.contains("before / after") && shown.contains("ci95_low"), shown);
        MagicException e = assertThrows(MagicException.class, () -> nb.run(new EvalMagic(), "data=legal split=dev"));
        assertTrue(e.getMessage().contains("split=dev is not one of test, validation, train"), e.getMessage());
    }

    @Test
    @Order(7)
    void mergeWritesTheExportAndLeavesAPlainModel() throws Exception {
        Path out = tmp.resolve("merged");
        ExportReport r = assertInstanceOf(ExportReport.class, nb.run(new MergeMagic(),
                "out=" + out + " format=hf,gguf gguf_type=q8_0 as export"));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")) && Files.isRegularFile(out.resolve("Modelfile")));
        assertTrue(r.files().stream().anyMatch(f -> f.name().endsWith("-q8_0.gguf")));
        assertFalse(((LoadedModel) nb.vars.get("model")).adapter().isPresent());
        assertTrue(Renderers.render(r).get(MimeBundle.TEXT_PLAIN).toString().contains("sha256"));
    }
}
