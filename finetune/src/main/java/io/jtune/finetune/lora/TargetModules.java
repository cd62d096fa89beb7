package io.jtune.finetune.lora;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which linear layers get an adapter (PEFT's {@code target_modules}), matched against Hugging Face
 * module names such as {@code model.layers.0.self_attn.q_proj}, as PEFT matches them:
 * <ul>
 *   <li>a list of names: a module matches when its name equals one of them or ends with
 *       {@code "." + name} ({@code q_proj} matches every layer's query projection);</li>
 *   <li>a regular expression: it must match the whole module name;</li>
 *   <li>{@code all-linear}: every projection of the decoder layers, never the LM head.</li>
 * </ul>
 */
public sealed interface TargetModules {
    /** PEFT's value for every decoder linear layer. */
    String ALL_LINEAR = "all-linear";

    /** Whether module {@code name} gets an adapter; {@code lmHead} is true for the model's output layer. */
    boolean matches(String name, boolean lmHead);

    /**
     * Parses what a user writes: {@code all-linear}; a comma-separated list of names
     * ({@code q_proj,v_proj}); or, when it holds a regex character ({@code * ( [ | ^ $ ? + \}), a
     * regular expression.
     */
    static TargetModules parse(String text) {
        String t = Objects.requireNonNull(text, "targets").strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("targets is empty: give module names (q_proj,v_proj), a regex, or "
                    + ALL_LINEAR);
        }
        if (t.equals(ALL_LINEAR)) {
            return new AllLinear();
        }
        if (t.chars().anyMatch(c -> "*()[]|^$?+\\".indexOf(c) >= 0)) {
            return regex(t);
        }
        return names(List.of(t.split("\\s*,\\s*")));
    }

    static TargetModules names(Collection<String> names) {
        return new Names(List.copyOf(names));
    }

    static TargetModules regex(String regex) {
        try {
            return new Regex(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("targets '" + regex + "' is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }

    /** Module names, each matching itself or a dotted suffix. */
    record Names(List<String> names) implements TargetModules {
        public Names {
            names = List.copyOf(names);
            for (String n : names) {
                if (n.isBlank()) {
                    throw new IllegalArgumentException("targets holds an empty module name: " + names);
                }
            }
        }

        @Override
        public boolean matches(String name, boolean lmHead) {
            for (String n : names) {
                if (name.equals(n) || name.endsWith("." + n)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return String.join(",", names);
        }
    }

    /** A regular expression over whole module names. */
    record Regex(Pattern pattern) implements TargetModules {
        @Override
        public boolean matches(String name, boolean lmHead) {
            return pattern.matcher(name).matches();
        }

        @Override
        public String toString() {
            return pattern.pattern();
        }
    }

    /** Every linear layer except the LM head. */
    record AllLinear() implements TargetModules {
        @Override
        public boolean matches(String name, boolean lmHead) {
            return !lmHead;
        }

        @Override
        public String toString() {
            return ALL_LINEAR;
        }
    }
}
