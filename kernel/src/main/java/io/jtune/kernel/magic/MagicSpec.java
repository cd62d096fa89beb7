package io.jtune.kernel.magic;

/**
 * A registered magic. A name may have a line form ({@code %name args}), a cell form
 * ({@code %%name args} on a cell's first line) or both; the missing form is null.
 *
 * @param name the name without {@code %}
 * @param description one line saying what it does
 * @param usage how to call it, for example {@code %load FILE.jsh}
 * @param line the line form, or null
 * @param cell the cell form, or null
 */
public record MagicSpec(String name, String description, String usage, LineMagic line,
        CellMagic cell) {

    public MagicSpec {
        MagicNames.check(name);
        description = description == null ? "" : description.strip();
        usage = usage == null || usage.isBlank() ? "%" + name : usage.strip();
        if (line == null && cell == null) {
            throw new IllegalArgumentException("%" + name + " needs a line or a cell form");
        }
    }

    /** Whether it can be called as {@code %name}. */
    public boolean hasLine() {
        return line != null;
    }

    /** Whether it can be called as {@code %%name}. */
    public boolean hasCell() {
        return cell != null;
    }
}
