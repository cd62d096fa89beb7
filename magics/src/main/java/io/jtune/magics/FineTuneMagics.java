package io.jtune.magics;

import io.jtune.kernel.magic.MagicProvider;
import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.magics.ft.DataMagic;
import io.jtune.magics.ft.EvalMagic;
import io.jtune.magics.ft.GenerateMagic;
import io.jtune.magics.ft.LoadModelMagic;
import io.jtune.magics.ft.LoraMagic;
import io.jtune.magics.ft.MergeMagic;
import io.jtune.magics.ft.Session;
import io.jtune.magics.ft.TrainMagic;

/**
 * The fine-tuning magics this module contributes to the kernel (listed in
 * {@code META-INF/services/io.jtune.kernel.magic.MagicProvider}): {@code %engine}, {@code %data},
 * {@code %load_model}, {@code %lora}, {@code %train}, {@code %eval}, {@code %generate} and
 * {@code %merge}.
 */
public final class FineTuneMagics implements MagicProvider {
    @Override
    public void register(MagicRegistry registry) {
        registry.registerLine("engine", EngineMagic.DESCRIPTION, EngineMagic.USAGE, new EngineMagic());
        registry.registerLine(DataMagic.NAME, DataMagic.DESCRIPTION, DataMagic.USAGE, Session.showingBound(new DataMagic()));
        registry.registerLine(LoadModelMagic.NAME, LoadModelMagic.DESCRIPTION, LoadModelMagic.USAGE, Session.showingBound(new LoadModelMagic()));
        registry.registerLine(LoraMagic.NAME, LoraMagic.DESCRIPTION, LoraMagic.USAGE, Session.showingBound(new LoraMagic()));
        registry.registerLine(TrainMagic.NAME, TrainMagic.DESCRIPTION, TrainMagic.USAGE, Session.showingBound(new TrainMagic()));
        registry.registerLine(EvalMagic.NAME, EvalMagic.DESCRIPTION, EvalMagic.USAGE, Session.showingBound(new EvalMagic()));
        registry.registerLine(GenerateMagic.NAME, GenerateMagic.DESCRIPTION, GenerateMagic.USAGE, new GenerateMagic());
        registry.registerLine(MergeMagic.NAME, MergeMagic.DESCRIPTION, MergeMagic.USAGE, Session.showingBound(new MergeMagic()));
    }
}
