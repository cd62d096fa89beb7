package io.jtune.magics.ft;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.batch.Batcher;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.LoadedModel;
import io.jtune.finetune.quant.Quantization;
import io.jtune.finetune.train.EvalLog;
import io.jtune.finetune.train.LrSchedule;
import io.jtune.finetune.train.RunControl;
import io.jtune.finetune.train.StepLog;
import io.jtune.finetune.train.TrainConfig;
import io.jtune.finetune.train.TrainListener;
import io.jtune.finetune.train.TrainPlan;
import io.jtune.finetune.train.TrainResult;
import io.jtune.finetune.train.TrainTarget;
import io.jtune.finetune.train.Trainer;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@code %train data=NAME ...}: trains the model's adapter (or every weight), with the trainer's
 * plan first, then one progress bar and one loss chart updated in place. The notebook's stop
 * button ends the run at the next step boundary with the model and adapter kept.
 */
public final class TrainMagic implements LineMagic {
    public static final String NAME = "train";
    public static final String DESCRIPTION = "Train the model's LoRA adapter (or every weight) on a dataset, with live progress";
    public static final String USAGE = "%train data=NAME [model=NAME] [method=lora|qlora|full] [epochs=3 | max_steps=N]"
            + " [lr=2e-4] [batch=4] [accum=1] [max_len=512] [packing] [warmup=0.03] [schedule=linear|cosine|constant]"
            + " [eval_every=0] [patience=0] [save_every=0] [out=runs/NAME] [seed=42] as RUN";
    public static final String EXAMPLE = "%train data=legal method=qlora epochs=3 lr=8e-3 batch=16 as run";
    private static final Set<String> KEYS = Set.of("data", "model", "method", "epochs", "max_steps", "lr", "batch", "accum",
            "max_len", "warmup", "schedule", "eval_every", "patience", "save_every", "out", "seed");

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        Opts o = Opts.of(NAME, args, KEYS, Set.of("packing"));
        if (!o.positional().isEmpty()) {
            throw o.error("unexpected " + o.positional() + ": every argument is key=value");
        }
        Dataset data = Session.variable(context, o.required("data", "NAME (a dataset variable)"), Dataset.class, "data", NAME);
        LoadedModel m = Session.model(o, context, NAME);
        String method = o.choice("method", m.quantization() == Quantization.NF4 ? "qlora" : "lora", "lora", "qlora", "full");
        if (method.equals("qlora") != (m.quantization() == Quantization.NF4)) {
            throw o.error(method.equals("qlora") ? "method=qlora needs an NF4 base: %load_model ... quant=nf4"
                    : "the model is held in NF4: train it with method=qlora, or load it without quant=nf4");
        }
        TrainTarget target;
        if (method.equals("full")) {
            if (m.adapter().isPresent()) {
                throw o.error("method=full trains every weight, but the model has a LoRA adapter; load it again without %lora");
            }
            target = TrainTarget.full(m.model());
        } else {
            LoraModel lora = m.adapter().orElseThrow(() -> o.error("method=" + method + " trains a LoRA adapter: run"
                    + " %lora r=8 alpha=16 first"));
            target = TrainTarget.lora(lora);
        }
        int maxLen = o.integer("max_len", Math.min(512, m.model().config().maxPositionEmbeddings()));
        List<TokenizedExample> train = Prepared.labelled(m.tokenizer(), data.train(), maxLen, "training", NAME);
        List<TokenizedExample> val = data.validation().isEmpty() ? List.of()
                : Prepared.labelled(m.tokenizer(), data.validation(), maxLen, "validation", NAME);
        int evalEvery = o.integer("eval_every", 0);
        int patience = o.integer("patience", 0);
        if ((evalEvery > 0 || patience > 0) && val.isEmpty()) {
            throw o.error("eval_every and patience need validation examples; the dataset has none (%data ... val=300)");
        }
        double warmup = o.number("warmup", 0.03);
        TrainConfig config = TrainConfig.defaults().withSteps(o.number("epochs", 3), o.integer("max_steps", 0))
                .withLearningRate(o.number("lr", 2e-4), LrSchedule.valueOf(o.choice("schedule", "linear", "linear", "cosine",
                        "constant").toUpperCase(Locale.ROOT)), warmup >= 1 ? (long) warmup : 0, warmup < 1 ? warmup : 0)
                .withBatch(o.integer("batch", 4), o.integer("accum", 1)).withOrder(o.integer("seed", 42), true);
        if (o.flag("packing")) {
            config = config.withPacking(maxLen);
        }
        String out = o.str("out", null);
        RunControl control = out == null ? RunControl.none() : RunControl.into(context.workingDirectory().resolve(out));
        control = control.withEval(evalEvery > 0 ? evalEvery : patience > 0 ? 50 : 0, patience, 0, patience > 0)
                .withCheckpoints(o.integer("save_every", 0), 0);
        Trainer trainer = new Trainer(target, config, control);
        Progress progress = new Progress(context);
        int pad = Batcher.forTokenizer(m.tokenizer(), 1).padId();
        TrainResult r = trainer.train(train, val, pad, progress, null);
        progress.finish(r);
        if (r.stopped()) {
            context.out().println("stopped at step " + r.steps().size() + "; the model and its adapter are kept"
                    + (r.lastCheckpoint() != null ? "; resume with %train ... out=" + out + " (checkpoint "
                    + r.lastCheckpoint() + ")" : "; give out=DIR to keep checkpoints that a run can resume from"));
        }
        return r;
    }

    /** The progress bar and the loss chart, each one output updated in place. */
    private static final class Progress implements TrainListener {
        private final MagicContext context;
        private final String barId = "train-" + UUID.randomUUID();
        private final String chartId = barId + "-chart";
        private final LossChart chart = new LossChart();
        private long lastBar;
        private long lastChart;
        private final java.util.Set<String> shown = new java.util.HashSet<>();

        Progress(MagicContext context) {
            this.context = context;
        }

        @Override
        public void onStart(TrainPlan p) {
            context.out().printf(Locale.ROOT, "plan: %,d examples, %,d target tokens per epoch, %,d steps (%,d per epoch),"
                    + " effective batch %d, warmup %d, %,d trainable parameters, memory about %.0f MB%n", p.examples(),
                    p.targetTokensPerEpoch(), p.totalSteps(), p.stepsPerEpoch(), p.effectiveBatch(), p.warmupSteps(),
                    p.trainableParameters(), p.memory().total() / 1e6);
            context.out().flush();
        }

        @Override
        public void onStep(StepLog s) {
            chart.step(s);
            long now = System.nanoTime();
            if (now - lastBar > 250_000_000L || s.step() == s.totalSteps()) {
                lastBar = now;
                show(barId, bar(s));
            }
            if (now - lastChart > 2_000_000_000L || s.step() == s.totalSteps()) {
                lastChart = now;
                show(chartId, Renderers.render(chart.chart()));
            }
        }

        @Override
        public void onEval(EvalLog e) {
            chart.eval(e);
            context.out().printf(Locale.ROOT, "eval at step %d: validation loss %.4f (perplexity %.2f)%s%s%n", e.step(),
                    e.loss(), e.perplexity(), e.improved() ? ", best so far" : "",
                    chart.overfitting() ? "; validation loss is rising while training loss falls: overfitting" : "");
            show(chartId, Renderers.render(chart.chart()));
        }

        /** The chart's last state (the result itself is the cell's output). */
        void finish(TrainResult r) {
            if (!r.steps().isEmpty()) {
                show(chartId, Renderers.render(chart.chart()));
            }
        }

        private static MimeBundle bar(StepLog s) {
            return ProgressBar.of(s.step(), s.totalSteps(), String.format(Locale.ROOT, "step %d/%d  epoch %.2f  loss %.4f"
                    + "  lr %.2e  %.0f tokens/s  ETA %.0f s", s.step(), s.totalSteps(), s.epoch(), s.loss(), s.learningRate(),
                    s.tokensPerSecond(), s.etaSeconds()));
        }

        /** A new output the first time an id is shown, an update in place after that. */
        private void show(String id, MimeBundle b) {
            context.display().display(b, id, !shown.add(id));
        }
    }
}
