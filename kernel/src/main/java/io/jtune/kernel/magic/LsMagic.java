package io.jtune.kernel.magic;

import java.util.Collection;
import java.util.Map;

/** {@code %lsmagic}: lists line and cell magics with their descriptions, then the aliases. */
public final class LsMagic implements LineMagic {
    public static final String DESCRIPTION = "List the line and cell magics";
    public static final String USAGE = "%lsmagic";

    @Override
    public Object run(MagicArgs args, MagicContext context) {
        return listing(context.registry());
    }

    /** The listing as text, one magic a line. */
    public static String listing(MagicRegistry registry) {
        Collection<MagicSpec> specs = registry.all();
        Map<String, String> aliases = registry.aliases();
        int width = 0;
        for (MagicSpec s : specs) {
            width = Math.max(width, s.name().length() + 2);
        }
        StringBuilder out = new StringBuilder("Line magics:\n");
        for (MagicSpec s : specs) {
            if (s.hasLine()) {
                row(out, "%" + s.name(), s.description(), width);
            }
        }
        out.append("Cell magics:\n");
        boolean anyCell = false;
        for (MagicSpec s : specs) {
            if (s.hasCell()) {
                row(out, "%%" + s.name(), s.description(), width);
                anyCell = true;
            }
        }
        if (!anyCell) {
            out.append("  (none)\n");
        }
        if (!aliases.isEmpty()) {
            out.append("Aliases:\n");
            aliases.forEach((a, t) -> out.append("  %").append(a).append(" -> %").append(t)
                    .append('\n'));
        }
        out.append("%help NAME shows how to use one.");
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String description, int width) {
        out.append("  ").append(name);
        out.append(" ".repeat(Math.max(1, width - name.length() + 2)));
        out.append(description).append('\n');
    }
}
