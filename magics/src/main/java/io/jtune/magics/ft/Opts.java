package io.jtune.magics.ft;

import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments of one fine-tuning magic, read strictly: every {@code key=} and flag must be one
 * the magic knows (an unknown one is an error naming it; the kernel adds the usage line), and a
 * value that does not parse says what was expected.
 */
final class Opts {
    private final String magic;
    private final MagicArgs args;

    private Opts(String magic, MagicArgs args) {
        this.magic = magic;
        this.args = args;
    }

    /** Refuses keys and flags outside {@code keys} / {@code flags}. */
    static Opts of(String magic, MagicArgs args, Set<String> keys, Set<String> flags) throws MagicException {
        for (String k : args.options().keySet()) {
            if (!keys.contains(k)) {
                throw new MagicException("%" + magic + ": unknown argument " + k + "=; known: " + new TreeSet<>(keys));
            }
        }
        for (String f : args.flags()) {
            if (!flags.contains(f)) {
                throw new MagicException("%" + magic + ": unknown flag " + f + "; known: " + new TreeSet<>(flags));
            }
        }
        return new Opts(magic, args);
    }

    MagicException error(String what) {
        return new MagicException("%" + magic + ": " + what);
    }

    String str(String key, String dflt) {
        return args.option(key).orElse(dflt);
    }

    String required(String key, String what) throws MagicException {
        return args.option(key).orElseThrow(() -> error("give " + key + "=" + what));
    }

    int integer(String key, int dflt) throws MagicException {
        String v = args.option(key).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(key + "=" + v + " is not a whole number");
        }
    }

    double number(String key, double dflt) throws MagicException {
        String v = args.option(key).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw error(key + "=" + v + " is not a number");
        }
    }

    boolean flag(String name) {
        return args.flag(name);
    }

    /** One of {@code choices} (case-insensitive), or {@code dflt}. */
    String choice(String key, String dflt, String... choices) throws MagicException {
        String v = args.option(key).orElse(dflt).toLowerCase(Locale.ROOT);
        for (String c : choices) {
            if (c.equals(v)) {
                return c;
            }
        }
        throw error(key + "=" + v + " is not one of " + String.join(", ", choices));
    }

    java.util.List<String> positional() {
        return args.positional();
    }

    String bindOr(String dflt) {
        return args.bindName().orElse(dflt);
    }
}
