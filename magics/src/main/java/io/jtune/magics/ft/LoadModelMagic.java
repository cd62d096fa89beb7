package io.jtune.magics.ft;

import io.jtune.finetune.model.LoadedModel;
import io.jtune.finetune.quant.Quantization;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import java.util.Set;

/** {@code %load_model SOURCE [quant=nf4] as NAME}: a model and its tokenizer, summarised. */
public final class LoadModelMagic implements LineMagic {
    public static final String NAME = "load_model";
    public static final String DESCRIPTION = "Load a model and its tokenizer: a folder, a Hub id, or base (the built-in base)";
    public static final String USAGE = "%load_model PATH|HUB_ID|base [quant=none|nf4] [device=cpu] as NAME";
    public static final String EXAMPLE = "%load_model base quant=nf4 as model";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        Opts o = Opts.of(NAME, args, Set.of("quant", "device"), Set.of());
        if (o.positional().size() != 1) {
            throw o.error("give one model: a folder, a Hub id (org/name) or base");
        }
        String device = o.choice("device", "cpu", "cpu", "gpu:0");
        if (!device.equals("cpu")) {
            throw o.error("device=" + device + ": this build runs on the CPU (DJL's CUDA engine is not on the class path)");
        }
        Quantization q = Quantization.parse(o.choice("quant", "none", "none", "nf4"));
        String source = o.positional().get(0);
        // a folder relative to the notebook when there is one; else base, a cache entry or a Hub id
        java.nio.file.Path local = context.workingDirectory().resolve(source);
        String path = java.nio.file.Files.isDirectory(local) ? local.toString() : source;
        LoadedModel m = LoadedModel.load(path, q);
        Session.loaded(m);
        return m;
    }
}
