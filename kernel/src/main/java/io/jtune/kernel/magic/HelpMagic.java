package io.jtune.kernel.magic;

import java.util.List;
import java.util.stream.Collectors;

/** {@code %help NAME}: what a magic does and how to call it; {@code %help} alone: an overview. */
public final class HelpMagic implements LineMagic {
    public static final String DESCRIPTION = "Explain a magic, or give an overview of them all";
    public static final String USAGE = "%help [NAME]";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws MagicException {
        MagicRegistry registry = context.registry();
        List<String> names = args.positional();
        if (names.isEmpty()) {
            return overview(registry);
        }
        if (names.size() > 1) {
            throw new MagicException("give one magic name, not " + names.size());
        }
        return describe(registry, names.get(0));
    }

    /** A short overview: how magics are written and the names of all of them. */
    public static String overview(MagicRegistry registry) {
        String lines = registry.all().stream().filter(MagicSpec::hasLine)
                .map(s -> "%" + s.name()).collect(Collectors.joining(" "));
        String cells = registry.all().stream().filter(MagicSpec::hasCell)
                .map(s -> "%%" + s.name()).collect(Collectors.joining(" "));
        return "Magics: %NAME ARGS is a line of its own; %%NAME ARGS starts a cell whose other"
                + " lines it receives.\nAdd 'as VAR' at the end to keep the result in a variable.\n"
                + "Line magics: " + (lines.isEmpty() ? "(none)" : lines) + "\n"
                + "Cell magics: " + (cells.isEmpty() ? "(none)" : cells) + "\n"
                + "%lsmagic describes each; %help NAME explains one.";
    }

    /**
     * Name, description, usage and aliases of {@code name}.
     *
     * @throws MagicException for an unknown name, suggesting a close one
     */
    public static String describe(MagicRegistry registry, String name) throws MagicException {
        String typed = MagicNames.strip(name);
        MagicSpec spec = registry.find(typed).orElseThrow(() -> new MagicException(
                "Unknown magic %" + typed + "."
                        + registry.suggest(typed).map(s -> " Did you mean %" + s + "?").orElse("")
                        + " (%lsmagic lists them)"));
        StringBuilder out = new StringBuilder();
        if (!spec.name().equals(typed)) {
            out.append('%').append(typed).append(" is another name for %").append(spec.name())
                    .append(".\n");
        }
        String forms = spec.hasLine() && spec.hasCell() ? "line and cell magic"
                : spec.hasLine() ? "line magic" : "cell magic";
        out.append(spec.hasLine() ? "%" : "%%").append(spec.name()).append(" (").append(forms)
                .append("): ").append(spec.description()).append('\n');
        out.append("Usage: ").append(spec.usage());
        List<String> aliases = registry.aliasesOf(spec.name());
        if (!aliases.isEmpty()) {
            out.append("\nAliases: ").append(aliases.stream().map(a -> "%" + a)
                    .collect(Collectors.joining(", ")));
        }
        return out.toString();
    }
}
