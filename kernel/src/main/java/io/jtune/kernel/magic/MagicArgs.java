package io.jtune.kernel.magic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of a magic: the text after its name, split shell-like into words.
 *
 * <ul>
 *   <li>Words are separated by whitespace; {@code 'single'} quotes keep text literally,
 *       {@code "double"} quotes honour {@code \"}, {@code \\}, {@code \n} and {@code \t}.
 *   <li>{@code key=value} is an option; the value may be quoted: {@code prompt="a b"}.
 *   <li>{@code --flag} and {@code -f} are boolean flags; {@code --key=value} is an option.
 *       A lone {@code --} ends flags and options: every later word is positional.
 *   <li>A trailing {@code as NAME} (NAME a Java identifier) is removed and kept as
 *       {@link #bindName()}.
 *   <li>Quoted words are always positional: {@code "--x"} and {@code "a=b"} stay as they are.
 * </ul>
 *
 * <p>{@link #parse} reports an unterminated quote at once. {@link #lenient} never fails: it keeps
 * {@link #raw()} and {@link #bindName()} usable for magics that take code rather than words (as
 * {@code %time} does), and the word accessors throw an {@link IllegalArgumentException} carrying
 * the parse error when the text could not be split.
 */
public final class MagicArgs {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final Pattern TRAILING_AS =
            Pattern.compile("(?s)^(.*?)(?:^|\\s)as\\s+(\\S+)\\s*$");

    private final String raw;
    private final List<String> positional;
    private final Map<String, String> options;
    private final Set<String> flags;
    private final String bindName;
    private final String error;

    private MagicArgs(String raw, List<String> positional, Map<String, String> options,
            Set<String> flags, String bindName, String error) {
        this.raw = raw;
        this.positional = Collections.unmodifiableList(positional);
        this.options = Collections.unmodifiableMap(options);
        this.flags = Collections.unmodifiableSet(flags);
        this.bindName = bindName;
        this.error = error;
    }

    /**
     * Splits {@code rawArgs} (null counts as empty).
     *
     * @throws MagicException for an unterminated quote, naming the column where it opens
     */
    public static MagicArgs parse(String rawArgs) throws MagicException {
        String text = rawArgs == null ? "" : rawArgs;
        List<ArgToken> tokens = ArgTokenizer.tokenize(text);
        String bind = null;
        String kept = text.strip();
        int n = tokens.size();
        if (n >= 2) {
            ArgToken as = tokens.get(n - 2);
            ArgToken name = tokens.get(n - 1);
            if (!as.quoted() && as.text().equals("as") && !name.quoted()
                    && MagicNames.isJavaIdentifier(name.text())) {
                bind = name.text();
                kept = text.substring(0, as.start()).strip();
                tokens = tokens.subList(0, n - 2);
            }
        }
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        boolean onlyPositional = false;
        for (ArgToken t : tokens) {
            if (onlyPositional) {
                positional.add(t.text());
            } else if (!t.quoted() && t.text().equals("--")) {
                onlyPositional = true;
            } else if (!classify(t, options, flags)) {
                positional.add(t.text());
            }
        }
        return new MagicArgs(kept, positional, options, flags, bind, null);
    }

    /**
     * Like {@link #parse} but never fails: when the text cannot be split (an unterminated quote,
     * as in Java code like {@code '\''}), {@link #raw()} and {@link #bindName()} still work and
     * the word accessors throw an {@link IllegalArgumentException} with the parse error.
     */
    public static MagicArgs lenient(String rawArgs) {
        try {
            return parse(rawArgs);
        } catch (MagicException e) {
            String text = (rawArgs == null ? "" : rawArgs).strip();
            String bind = null;
            Matcher m = TRAILING_AS.matcher(text);
            if (m.matches() && MagicNames.isJavaIdentifier(m.group(2))) {
                bind = m.group(2);
                text = m.group(1).strip();
            }
            return new MagicArgs(text, List.of(), Map.of(), Set.of(), bind, e.getMessage());
        }
    }

    /**
     * Joins {@code words} into argument text that {@link #parse} splits back into the same words:
     * a word with whitespace or quotes (or an empty one) is quoted.
     */
    public static String join(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            if (out.length() > 0) {
                out.append(' ');
            }
            String word = w == null ? "null" : w;
            int eq = word.indexOf('=');
            if (!isPlain(word) && eq > 0 && KEY.matcher(word.substring(0, eq)).matches()) {
                out.append(word, 0, eq + 1).append(quoted(word.substring(eq + 1))); // stays an option
            } else {
                out.append(quoted(word));
            }
        }
        return out.toString();
    }

    private static boolean isPlain(String word) {
        return !word.isEmpty() && word.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"');
    }

    private static String quoted(String word) {
        if (isPlain(word)) {
            return word;
        }
        if (word.indexOf('\'') < 0) {
            return "'" + word + "'";
        }
        return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Adds {@code t} to options or flags; false when it is a positional word. */
    private static boolean classify(ArgToken t, Map<String, String> options, Set<String> flags) {
        String s = t.text();
        int dashes = t.startsUnquoted("--") ? 2
                : t.startsUnquoted("-") && s.length() > 1 && Character.isLetter(s.charAt(1)) ? 1
                : 0;
        int eq = t.unquotedEquals();
        if (eq > dashes) {
            String key = s.substring(dashes, eq);
            if (KEY.matcher(key).matches()) {
                options.put(key, s.substring(eq + 1));
                return true;
            }
            return false;
        }
        if (dashes > 0 && !t.quoted()) {
            String name = s.substring(dashes);
            if (KEY.matcher(name).matches()) {
                flags.add(name);
                return true;
            }
        }
        return false;
    }

    /**
     * The argument text without a trailing {@code as NAME}, stripped of surrounding whitespace;
     * quotes and escapes are left as typed.
     */
    public String raw() {
        return raw;
    }

    /** Whether there were no arguments at all (apart from {@code as NAME}). */
    public boolean isEmpty() {
        return raw.isEmpty();
    }

    /** Words that are neither options nor flags, in order. */
    public List<String> positional() {
        checkParsed();
        return positional;
    }

    /** {@code key=value} and {@code --key=value} options, in the order they were given. */
    public Map<String, String> options() {
        checkParsed();
        return options;
    }

    /** The value of option {@code key}, if given. */
    public Optional<String> option(String key) {
        checkParsed();
        return Optional.ofNullable(options.get(key));
    }

    /** Whether {@code --name} or {@code -name} was given ({@code name} without dashes). */
    public boolean flag(String name) {
        checkParsed();
        String n = name.startsWith("--") ? name.substring(2)
                : name.startsWith("-") ? name.substring(1) : name;
        return flags.contains(n);
    }

    /** All flags given, without dashes, in order. */
    public Set<String> flags() {
        checkParsed();
        return flags;
    }

    /** NAME of a trailing {@code as NAME}: the variable the magic's result is bound to. */
    public Optional<String> bindName() {
        return Optional.ofNullable(bindName);
    }

    /**
     * Option {@code key} as an int, {@code dflt} when absent.
     *
     * @throws MagicException when the value is not a whole number
     */
    public int intOption(String key, int dflt) throws MagicException {
        Optional<String> v = option(key);
        if (v.isEmpty()) {
            return dflt;
        }
        String s = v.get().strip().replace("_", "");
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            boolean decimal = isDecimal(s);
            throw new MagicException(key + "=" + v.get() + ": '" + v.get() + "' is not a "
                    + (decimal ? "whole number" : "number"), e);
        }
    }

    /**
     * Option {@code key} as a double, {@code dflt} when absent.
     *
     * @throws MagicException when the value is not a finite number
     */
    public double doubleOption(String key, double dflt) throws MagicException {
        Optional<String> v = option(key);
        if (v.isEmpty()) {
            return dflt;
        }
        String s = v.get().strip().replace("_", "");
        if (isDecimal(s)) {
            return Double.parseDouble(s);
        }
        throw new MagicException(key + "=" + v.get() + ": '" + v.get() + "' is not a number");
    }

    private static boolean isDecimal(String s) {
        return s.toLowerCase(Locale.ROOT)
                .matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?");
    }

    private void checkParsed() {
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
    }

    @Override
    public String toString() {
        if (error != null) {
            return "MagicArgs[raw=" + raw + ", error=" + error + "]";
        }
        return "MagicArgs[positional=" + positional + ", options=" + options + ", flags=" + flags
                + (bindName == null ? "" : ", as=" + bindName) + "]";
    }
}
