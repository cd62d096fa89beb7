package io.jtune.magics.ft;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.GenerationResult;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.model.LoadedModel;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code %generate PROMPT}: the model's answer, streamed into the cell as it is produced. */
public final class GenerateMagic implements LineMagic {
    public static final String NAME = "generate";
    public static final String DESCRIPTION = "Generate an answer to a prompt (through the chat template), streamed";
    public static final String USAGE = "%generate [model=NAME] [data=NAME | system=TEXT] [adapter=on|off]"
            + " [max_new_tokens=128] [temperature=0] [seed=0] [raw] PROMPT";
    public static final String EXAMPLE = "%generate data=legal max_new_tokens=160 \"Review this liability cap clause ...\"";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        Opts o = Opts.of(NAME, args, Set.of("model", "data", "system", "adapter", "max_new_tokens",
                "temperature", "seed"), Set.of("raw"));
        if (o.positional().isEmpty()) {
            throw o.error("give the prompt");
        }
        String prompt = MagicArgs.join(o.positional());
        LoadedModel m = Session.model(o, context, NAME);
        var tok = m.tokenizer();
        String system = o.str("system", null);
        if (o.str("data", null) != null) { // the system prompt the dataset's examples were trained with
            Dataset d = Session.variable(context, o.str("data", null), Dataset.class, "data", NAME);
            system = d.all().stream().flatMap(e -> e.messages().stream()).filter(x -> x.role().equals("system"))
                    .map(Message::content).findFirst().orElse(system);
        }
        List<Map<String, String>> messages = system == null ? List.of(Map.of("role", "user", "content", prompt))
                : List.of(Map.of("role", "system", "content", system), Map.of("role", "user", "content", prompt));
        int[] ids = o.flag("raw") ? tok.encode(prompt, true) : tok.encodePrompt(messages);
        double t = o.number("temperature", 0);
        int max = o.integer("max_new_tokens", 128);
        GenerationConfig g = t == 0 ? GenerationConfig.greedy(max, tok.eosIds())
                : GenerationConfig.sampling(max, t, 1.0, o.integer("seed", 0), tok.eosIds());
        int[] printed = {0};
        Generator gen = new Generator(m.model(), x -> tok.decode(x, true));
        boolean off = o.choice("adapter", "on", "on", "off").equals("off") && m.adapter().isPresent();
        GenerationResult r;
        if (off) {
            try (AutoCloseable a = m.adapter().get().disabled()) {
                r = gen.generate(ids, g, (row, id, text) -> stream(context, text, printed));
            }
        } else {
            r = gen.generate(ids, g, (row, id, text) -> stream(context, text, printed));
        }
        context.out().println();
        return args.bindName().isPresent() ? r.text() : null; // shown already, as it streamed
    }

    private static void stream(MagicContext context, String text, int[] printed) {
        if (text.length() > printed[0]) {
            context.out().print(text.substring(printed[0]));
            context.out().flush();
            printed[0] = text.length();
        }
    }
}
