package io.jtune.magics;

import io.jtune.finetune.engine.EngineInfo;
import io.jtune.kernel.magic.LineMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicContext;
import io.jtune.kernel.magic.MagicException;

/** {@code %engine}: the engine facts (DJL, PyTorch native library, devices, threads) as an {@link EngineInfo}. */
public final class EngineMagic implements LineMagic {
    public static final String DESCRIPTION = "Show the engine: DJL and PyTorch versions, native flavour, devices and threads";
    public static final String USAGE = "%engine";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws MagicException {
        if (!args.isEmpty()) {
            throw new MagicException("%engine takes no arguments");
        }
        return EngineInfo.current();
    }
}
