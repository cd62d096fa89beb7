package io.jtune.kernel.magic;

/** A {@code %%name args} magic that receives the rest of the cell as {@code body}. */
@FunctionalInterface
public interface CellMagic {
    Object run(MagicArgs args, String body, MagicContext context) throws Exception;
}
