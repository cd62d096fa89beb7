package io.jtune.magics.ft;

import io.jtune.finetune.export.Export;
import io.jtune.finetune.export.ExportDtype;
import io.jtune.finetune.export.Merger;
import io.jtune.finetune.io.gguf.GgmlType;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.LoadedModel;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code %merge out=PATH ...}: merges the adapter for good and writes a Hugging Face folder and/or GGUF. */
public final class MergeMagic implements LineMagic {
    public static final String NAME = "merge";
    public static final String DESCRIPTION = "Merge the LoRA adapter into the model and export it (Hugging Face folder, GGUF, Modelfile)";
    public static final String USAGE = "%merge out=PATH [model=NAME] [dtype=f32|f16|bf16] [format=hf,gguf]"
            + " [gguf_type=f32|f16|q8_0|q4_0] [name=NAME] as NAME";
    public static final String EXAMPLE = "%merge out=out/legal format=hf,gguf gguf_type=q8_0";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        Opts o = Opts.of(NAME, args, Set.of("out", "model", "dtype", "format", "gguf_type", "name"), Set.of());
        if (!o.positional().isEmpty()) {
            throw o.error("unexpected " + o.positional() + ": every argument is key=value");
        }
        Path out = context.workingDirectory().resolve(o.required("out", "PATH (the folder to write)"));
        LoadedModel m = Session.model(o, context, NAME);
        List<String> formats = Arrays.stream(o.str("format", "hf").split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .toList();
        if (!List.of("hf", "gguf").containsAll(formats)) {
            throw o.error("format=" + o.str("format", "") + ": give hf, gguf or hf,gguf");
        }
        ExportDtype dtype;
        GgmlType ggufType;
        try {
            dtype = ExportDtype.parse(o.str("dtype", "f32"));
            ggufType = GgmlType.parse(o.str("gguf_type", "f32"));
        } catch (IllegalArgumentException e) {
            throw o.error(e.getMessage());
        }
        List<String> notes = new ArrayList<>();
        if (m.adapter().isPresent()) {
            LoraModel lora = m.adapter().get();
            notes.addAll(Merger.merge(lora).notes());
            m.setAdapter(null);
            context.out().println("merged the adapter into " + m.name() + " for good (load the model again to train another)");
        } else {
            Merger.dequantize(m.model());
        }
        String name = o.str("name", out.getFileName().toString());
        return Export.write(m.model(), m.tokenizer(), m.dir(), out,
                new Export.Options(new java.util.LinkedHashSet<>(formats), dtype, ggufType, name), notes);
    }
}
