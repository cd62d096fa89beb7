package io.jtune.magics;

import io.jtune.kernel.magic.MagicProvider;
import io.jtune.kernel.magic.MagicRegistry;

/**
 * The fine-tuning magics this module contributes to the kernel (listed in
 * {@code META-INF/services/io.jtune.kernel.magic.MagicProvider}): {@code %engine}.
 */
public final class FineTuneMagics implements MagicProvider {
    @Override
    public void register(MagicRegistry registry) {
        registry.registerLine("engine", EngineMagic.DESCRIPTION, EngineMagic.USAGE, new EngineMagic());
    }
}
