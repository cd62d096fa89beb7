package io.jtune.magics.ft;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Split;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.eval.EvalCase;
import io.jtune.finetune.eval.EvalConfig;
import io.jtune.finetune.eval.EvalListener;
import io.jtune.finetune.eval.Evaluator;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.LoadedModel;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@code %eval data=NAME ...}: the metric table of the model on a split, or with
 * {@code compare=adapter-off} the same cases with its adapter off and on, with 95 % intervals and
 * the per-example differences.
 */
public final class EvalMagic implements LineMagic {
    public static final String NAME = "eval";
    public static final String DESCRIPTION = "Evaluate the model on held-out examples; compare=adapter-off shows before/after";
    public static final String USAGE = "%eval data=NAME [split=test|validation|train] [model=NAME]"
            + " [metrics=em,f1,rougeL,verdict,json,regex:...,refusal,loss,latency] [max_new_tokens=128] [batch=16]"
            + " [limit=N] [adapter=on|off] [compare=adapter-off] as NAME";
    public static final String EXAMPLE = "%eval data=legal metrics=verdict,f1 max_new_tokens=160 compare=adapter-off as report";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        Opts o = Opts.of(NAME, args, Set.of("data", "split", "model", "metrics", "max_new_tokens", "batch", "limit",
                "adapter", "compare", "seed"), Set.of());
        if (!o.positional().isEmpty()) {
            throw o.error("unexpected " + o.positional() + ": every argument is key=value");
        }
        Dataset data = Session.variable(context, o.required("data", "NAME (a dataset variable)"), Dataset.class, "data", NAME);
        LoadedModel m = Session.model(o, context, NAME);
        Split split = Split.valueOf(o.choice("split", "test", "test", "validation", "train").toUpperCase(Locale.ROOT));
        List<Example> rows = data.get(split);
        if (rows.isEmpty()) {
            throw o.error("the dataset's " + split.name().toLowerCase(Locale.ROOT) + " split is empty; choose split=");
        }
        int limit = o.integer("limit", 0);
        if (limit > 0 && rows.size() > limit) {
            rows = rows.subList(0, limit);
        }
        List<EvalCase> cases = EvalCase.of(split.name().toLowerCase(Locale.ROOT), rows);
        EvalConfig config;
        try {
            config = EvalConfig.defaults().withMetrics(o.str("metrics", "em,f1,rougeL,loss,latency"))
                    .withMaxNewTokens(o.integer("max_new_tokens", 128)).withBatchSize(o.integer("batch", 16))
                    .withSampling(0, o.integer("seed", 42));
        } catch (IllegalArgumentException e) {
            throw o.error(e.getMessage());
        }
        Evaluator ev = new Evaluator(m.model(), m.tokenizer(), PromptFormat.auto(m.tokenizer()));
        String id = "eval-" + UUID.randomUUID();
        boolean[] shown = {false};
        EvalListener progress = (label, done, total, rate, eta) -> {
            String text = String.format(Locale.ROOT, "%s: %d/%d cases, %.2f cases/s, ETA %.0f s", label, done, total, rate, eta);
            context.display().display(ProgressBar.of(done, total, text), id, shown[0]);
            shown[0] = true;
        };
        String compare = o.str("compare", null);
        if (compare != null) {
            if (!compare.equals("adapter-off")) {
                throw o.error("compare=" + compare + ": give compare=adapter-off (the same model without its adapter)");
            }
            LoraModel lora = m.adapter().orElseThrow(() -> o.error("compare=adapter-off needs a model with an adapter (%lora)"));
            return ev.compareAdapter(lora, cases, config, progress);
        }
        String adapter = o.choice("adapter", "on", "on", "off");
        if (adapter.equals("off") && m.adapter().isPresent()) {
            try (AutoCloseable off = m.adapter().get().disabled()) {
                return ev.run(m.name() + ", adapter off", cases, config, progress);
            }
        }
        m.adapter().ifPresent(l -> l.training(false));
        return ev.run(m.name() + (m.adapter().isPresent() ? " + adapter" : ""), cases, config, progress);
    }
}
