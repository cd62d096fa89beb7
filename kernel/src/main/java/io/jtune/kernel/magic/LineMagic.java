package io.jtune.kernel.magic;

/** A {@code %name args} magic. Its result, when not null, is shown or bound with {@code as NAME}. */
@FunctionalInterface
public interface LineMagic {
    Object run(MagicArgs args, MagicContext context) throws Exception;
}
