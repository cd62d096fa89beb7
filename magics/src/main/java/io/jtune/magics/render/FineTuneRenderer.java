package io.jtune.magics.render;

import io.jtune.finetune.eval.ClassificationReport;
import io.jtune.finetune.eval.Comparison;
import io.jtune.finetune.eval.EvalResult;
import io.jtune.finetune.export.ExportReport;
import io.jtune.finetune.lora.LoraLayer;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.LoadedModel;
import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.quant.MemoryReport;
import io.jtune.finetune.train.TrainResult;
import io.jtune.kernel.api.HtmlEscaper;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import io.jtune.kernel.display.builtin.TablesawRenderer;
import io.jtune.magics.ft.LabeledTokens;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How the fine-tuning objects the magics bind look in a notebook: a loaded model's summary, the
 * adapter's trainable line and wrapped modules, a training result, an evaluation's metric table
 * (with the verdict confusion matrix when there is one), a before/after comparison with its
 * regressions, and an export's files. Each has text/plain too.
 */
public final class FineTuneRenderer implements Renderer {
    private final TablesawRenderer tables = new TablesawRenderer();

    @Override
    public boolean supports(Object v) {
        return v instanceof LoadedModel || v instanceof LoraModel || v instanceof TrainResult || v instanceof EvalResult
                || v instanceof Comparison || v instanceof ExportReport || v instanceof LabeledTokens;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public MimeBundle render(Object v) {
        if (v instanceof LoadedModel m) {
            return model(m);
        }
        if (v instanceof LoraModel l) {
            Table t = Table.create("wrapped modules", StringColumn.create("module"), IntColumn.create("in"),
                    IntColumn.create("out"), IntColumn.create("r"), StringColumn.create("base weight"));
            for (Map.Entry<String, LoraLayer> e : l.layers().entrySet()) {
                var target = e.getValue().target();
                t.stringColumn(0).append(e.getKey());
                t.intColumn(1).append((int) target.inFeatures());
                t.intColumn(2).append((int) target.outFeatures());
                t.intColumn(3).append(l.config().r());
                t.stringColumn(4).append(target.weight().kind());
            }
            return withLine(l.count().toString(), t);
        }
        if (v instanceof TrainResult r) {
            String line = String.format(Locale.ROOT, "%s: %d steps in %.0f s, final loss %.4f%s", r.stopped() ? "stopped"
                    : r.earlyStopped() ? "stopped early" : "trained", r.steps().size(), r.seconds(), r.finalLoss(),
                    r.best() != null ? String.format(Locale.ROOT, ", best validation loss %.4f at step %d", r.best().loss(),
                            r.best().step()) : "");
            return MimeBundle.of(MimeBundle.TEXT_HTML, "<p>" + HtmlEscaper.escape(line) + "</p>").put(MimeBundle.TEXT_PLAIN, line);
        }
        if (v instanceof EvalResult r) {
            MimeBundle b = withLine(r.toString(), r.summary());
            if (r.metrics().stream().anyMatch(m -> m.name().equals("verdict_accuracy"))) {
                ClassificationReport c = r.verdicts();
                return append(b, "verdicts: " + c, c.confusionMatrix());
            }
            return b;
        }
        if (v instanceof Comparison c) {
            String key = c.after().metrics().get(0).name();
            Table reg = c.regressions(key);
            MimeBundle b = withLine("before / after on " + c.after().cases().size() + " cases (95 % paired-bootstrap"
                    + " intervals of the difference)", c.table());
            if (reg.rowCount() == 0) {
                String none = "no regressions on " + key;
                return MimeBundle.of(MimeBundle.TEXT_HTML, b.get(MimeBundle.TEXT_HTML) + "<p>" + none + "</p>")
                        .put(MimeBundle.TEXT_PLAIN, b.get(MimeBundle.TEXT_PLAIN) + "\n" + none);
            }
            return append(b, reg.rowCount() + " regressions on " + key + (reg.rowCount() > 10 ? " (first 10)" : ""),
                    reg.first(10));
        }
        if (v instanceof LabeledTokens t) {
            return tokens(t);
        }
        ExportReport e = (ExportReport) v;
        return withLine(e.toString(), e.table());
    }

    /** Each token in a box: green where its label is kept (trained on), grey where it is masked. */
    private static MimeBundle tokens(LabeledTokens t) {
        StringBuilder h = new StringBuilder("<p>").append(HtmlEscaper.escape(t.source())).append(": ")
                .append(t.tokens().size()).append(" tokens, <span style=\"background:#c8f0c8\">").append(t.trainedCount())
                .append(" trained on</span>, <span style=\"background:#e4e4e4\">").append(t.tokens().size() - t.trainedCount())
                .append(" masked</span></p><div style=\"font-family:monospace;line-height:1.9;white-space:pre-wrap\">");
        for (int i = 0; i < t.tokens().size(); i++) {
            h.append("<span style=\"background:").append(t.trained().get(i) ? "#c8f0c8" : "#e4e4e4")
                    .append(";border:1px solid #fff;padding:0 1px\">").append(HtmlEscaper.escape(t.tokens().get(i)))
                    .append("</span>");
        }
        return MimeBundle.of(MimeBundle.TEXT_HTML, h.append("</div>").toString()).put(MimeBundle.TEXT_PLAIN, t.toString());
    }

    private MimeBundle model(LoadedModel m) {
        ModelConfig c = m.model().config();
        Table t = Table.create(m.name(), StringColumn.create("property"), StringColumn.create("value"));
        Object[][] rows = {
            {"folder", m.dir()},
            {"architecture", c.architecture() + ", " + c.numLayers() + " layers, hidden " + c.hiddenSize() + ", "
                    + c.numHeads() + " heads / " + c.numKvHeads() + " key-value heads"},
            {"parameters", String.format(Locale.ROOT, "%,d", c.parameterCount())},
            {"weights", MemoryReport.of(m.model()).toString()},
            {"vocabulary", String.format(Locale.ROOT, "%,d (%s)", m.tokenizer().vocabSize(), m.tokenizer().encodingEngine())},
            {"chat template", m.tokenizer().chatTemplate().isPresent() ? "yes" : "none (alpaca prompts)"},
            {"context", c.maxPositionEmbeddings() + " tokens"},
            {"adapter", m.adapter().map(Object::toString).orElse("none")}};
        for (Object[] r : rows) {
            t.stringColumn(0).append(r[0].toString());
            t.stringColumn(1).append(r[1].toString());
        }
        return withLine("model " + m.name(), t);
    }

    private MimeBundle withLine(String line, Table t) {
        MimeBundle tb = tables.render(t);
        return MimeBundle.of(MimeBundle.TEXT_HTML, "<p>" + HtmlEscaper.escape(line) + "</p>" + tb.get(MimeBundle.TEXT_HTML))
                .put(MimeBundle.TEXT_PLAIN, line + "\n" + tb.get(MimeBundle.TEXT_PLAIN));
    }

    private MimeBundle append(MimeBundle b, String line, Table t) {
        MimeBundle more = withLine(line, t);
        return MimeBundle.of(MimeBundle.TEXT_HTML, b.get(MimeBundle.TEXT_HTML) + "" + more.get(MimeBundle.TEXT_HTML))
                .put(MimeBundle.TEXT_PLAIN, b.get(MimeBundle.TEXT_PLAIN) + "\n" + more.get(MimeBundle.TEXT_PLAIN));
    }
}
