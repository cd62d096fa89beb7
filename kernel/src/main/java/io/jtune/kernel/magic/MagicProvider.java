package io.jtune.kernel.magic;

/**
 * Contributes magics to the kernel. Providers are found with {@link java.util.ServiceLoader}: a
 * module lists its provider in {@code META-INF/services/io.jtune.kernel.magic.MagicProvider}, and
 * {@link MagicRegistry#discover()} registers every provider on the class path into one registry.
 * A name (or alias) two providers both register is an error naming both.
 */
public interface MagicProvider {
    /** Registers this provider's magics and aliases into {@code registry}, which starts empty. */
    void register(MagicRegistry registry);
}
