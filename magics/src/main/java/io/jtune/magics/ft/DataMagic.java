package io.jtune.magics.ft;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.LoadPolicy;
import io.jtune.finetune.data.LoadReport;
import io.jtune.finetune.data.Split;
import io.jtune.finetune.data.SplitSpec;
import io.jtune.finetune.data.read.DatasetLoader;
import io.jtune.finetune.data.samples.LegalAuditGenerator;
import io.jtune.finetune.data.samples.LegalAuditSplit;
import io.jtune.finetune.data.samples.LegalPolicy;
import io.jtune.finetune.model.LoadedModel;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code %data load PATH ...}, {@code %data generate legal-audit ...}, {@code %data show NAME}:
 * datasets as {@link Dataset}s bound to notebook variables.
 */
public final class DataMagic implements LineMagic {
    public static final String NAME = "data";
    public static final String DESCRIPTION = "Load, generate or show instruction data (train / validation / test splits)";
    public static final String USAGE = "%data load PATH [split=0.1] [test=0.1] [seed=42] [policy=strict|skip] as NAME"
            + " | %data generate legal-audit [n=3000] [heldout=500] [val=0] [seed=42] as NAME | %data show NAME"
            + " | %data describe NAME [max_len=512] [model=NAME] | %data tokens NAME [row=0] [split=train] [model=NAME]";
    public static final String EXAMPLE = "%data generate legal-audit n=3000 as legal";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        List<String> p = args.positional();
        String verb = p.isEmpty() ? "" : p.get(0);
        switch (verb) {
            case "load" -> {
                Opts o = Opts.of(NAME, args, Set.of("split", "test", "seed", "policy"), Set.of());
                if (p.size() != 2) {
                    throw o.error("give the file: %data load PATH");
                }
                double val = o.number("split", 0.1);
                double test = o.number("test", 0);
                LoadPolicy policy = o.choice("policy", "strict", "strict", "skip").equals("skip") ? LoadPolicy.SKIP
                        : LoadPolicy.STRICT;
                Path file = context.workingDirectory().resolve(p.get(1));
                return DatasetLoader.builder().policy(policy).split(SplitSpec.ratios(val, test, o.integer("seed", 42)))
                        .build().load(file);
            }
            case "generate" -> {
                Opts o = Opts.of(NAME, args, Set.of("n", "heldout", "val", "seed"), Set.of("no_system"));
                if (p.size() != 2 || !p.get(1).equals("legal-audit")) {
                    throw o.error("the generator is legal-audit: %data generate legal-audit [n=3000]");
                }
                int n = o.integer("n", LegalAuditGenerator.DEFAULT_COUNT);
                int heldOut = o.integer("heldout", LegalAuditGenerator.DEFAULT_HELD_OUT_COUNT);
                int val = o.integer("val", 0);
                LegalAuditSplit s = new LegalAuditGenerator(LegalPolicy.standard(), !o.flag("no_system"))
                        .split(n + val, heldOut, o.integer("seed", 42));
                List<Example> train = s.trainExamples();
                Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
                splits.put(Split.TRAIN, train.subList(val, train.size()));
                splits.put(Split.VALIDATION, train.subList(0, val));
                splits.put(Split.TEST, s.heldOutExamples());
                return new Dataset(splits, new LoadReport(train.size() + s.heldOut().size(), 0, List.of(), List.of()));
            }
            case "show" -> {
                Opts o = Opts.of(NAME, args, Set.of(), Set.of());
                if (p.size() != 2) {
                    throw o.error("give the dataset variable: %data show NAME");
                }
                return Session.variable(context, p.get(1), Dataset.class, "NAME", NAME);
            }
            case "describe" -> {
                Opts o = Opts.of(NAME, args, Set.of("max_len", "model"), Set.of());
                if (p.size() != 2) {
                    throw o.error("give the dataset variable: %data describe NAME");
                }
                Dataset d = Session.variable(context, p.get(1), Dataset.class, "NAME", NAME);
                LoadedModel m = Session.model(o, context, NAME);
                return d.describe(m.tokenizer(), o.integer("max_len", Math.min(512, m.model().config().maxPositionEmbeddings())));
            }
            case "tokens" -> {
                Opts o = Opts.of(NAME, args, Set.of("row", "split", "model", "max_len"), Set.of());
                if (p.size() != 2) {
                    throw o.error("give the dataset variable: %data tokens NAME [row=0]");
                }
                Dataset d = Session.variable(context, p.get(1), Dataset.class, "NAME", NAME);
                LoadedModel m = Session.model(o, context, NAME);
                Split split = Split.valueOf(o.choice("split", "train", "train", "validation", "test")
                        .toUpperCase(java.util.Locale.ROOT));
                List<Example> rows = d.get(split);
                int row = o.integer("row", 0);
                if (row < 0 || row >= rows.size()) {
                    throw o.error("row=" + row + " is outside the " + rows.size() + " rows of the "
                            + split.name().toLowerCase(java.util.Locale.ROOT) + " split");
                }
                int maxLen = o.integer("max_len", Math.min(512, m.model().config().maxPositionEmbeddings()));
                var labelled = Prepared.labelled(m.tokenizer(), List.of(rows.get(row)), maxLen, "", NAME).get(0);
                List<String> tokens = new java.util.ArrayList<>();
                List<Boolean> trained = new java.util.ArrayList<>();
                for (int i = 0; i < labelled.inputIds().length; i++) {
                    tokens.add(m.tokenizer().decode(new int[] {labelled.inputIds()[i]}, false));
                    // label i is what position i is trained to be (the shift happens in the loss)
                    trained.add(labelled.labels()[i] != io.jtune.finetune.data.format.LabelMasker.IGNORE);
                }
                return new LabeledTokens(split.name().toLowerCase(java.util.Locale.ROOT) + " row " + row, tokens, trained);
            }
            default -> throw Opts.of(NAME, args, Set.of("split", "test", "seed", "policy", "n", "heldout", "val"),
                    Set.of("no_system")).error(verb.isEmpty() ? "give load, generate, show, describe or tokens" : "unknown verb "
                    + verb + "; give load, generate, show, describe or tokens");
        }
    }
}
