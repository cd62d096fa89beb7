package io.jtune.magics.ft;

import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.LoadedModel;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import java.util.Set;

/** {@code %lora r=8 alpha=16 ...}: attaches LoRA adapters to the model; shows what is trained. */
public final class LoraMagic implements LineMagic {
    public static final String NAME = "lora";
    public static final String DESCRIPTION = "Attach LoRA adapters to a model and show the trainable parameters";
    public static final String USAGE = "%lora [model=NAME] r=8 alpha=16 [dropout=0.05] [targets=q_proj,v_proj|all-linear]"
            + " [rslora] [seed=42] as NAME";
    public static final String EXAMPLE = "%lora r=8 alpha=16 targets=q_proj,v_proj as adapter";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        Opts o = Opts.of(NAME, args, Set.of("model", "r", "alpha", "dropout", "targets", "seed"), Set.of("rslora"));
        if (!o.positional().isEmpty()) {
            throw o.error("unexpected " + o.positional() + ": every argument is key=value");
        }
        LoadedModel m = Session.model(o, context, NAME);
        if (m.adapter().isPresent()) {
            throw o.error(m.name() + " already has an adapter (" + m.adapter().get() + "); load the model again for"
                    + " another");
        }
        int r = o.integer("r", 8);
        double alpha = o.number("alpha", 16);
        LoraConfig c = LoraConfig.defaults().withRank(r, alpha).withDropout(o.number("dropout", 0.05))
                .withTargets(TargetModules.parse(o.str("targets", "q_proj,v_proj"))).withRslora(o.flag("rslora"))
                .withBaseModel(m.name());
        LoraModel lora = LoraModel.attach(m.model(), c, o.integer("seed", 42));
        m.setAdapter(lora);
        return lora;
    }
}
