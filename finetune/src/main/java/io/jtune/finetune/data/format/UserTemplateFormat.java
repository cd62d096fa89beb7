package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user template: {@code {name}} placeholders are replaced by {@link Example#fields()}'s values
 * and {@code {response}} marks the response, taken from the field {@code response}, else
 * {@code output}, else {@code completion}, else the last assistant turn. Text before the response
 * is prompt; text after it is prompt too (not trained on). Doubled braces write literal braces.
 */
public final class UserTemplateFormat implements PromptFormat {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final String RESPONSE = "response";

    private final String template;
    /** Literal text and placeholder names alternate: even indexes literal, odd names. */
    private final List<String> parts = new ArrayList<>();

    UserTemplateFormat(String template) {
        this.template = template;
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder literal = new StringBuilder();
        int at = 0;
        int responses = 0;
        while (m.find()) {
            literal.append(template, at, m.start());
            at = m.end();
            if (m.group(1) == null) {
                literal.append(m.group().charAt(0));
                continue;
            }
            parts.add(literal.toString());
            literal.setLength(0);
            parts.add(m.group(1));
            if (m.group(1).equals(RESPONSE)) {
                responses++;
            }
        }
        literal.append(template, at, template.length());
        parts.add(literal.toString());
        if (responses != 1) {
            throw new IllegalArgumentException("the template must contain {response} exactly once, found "
                    + responses + ": " + template);
        }
    }

    @Override
    public FormattedExample format(Example example) {
        FormattedExample.Builder b = FormattedExample.builder();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (i % 2 == 0) {
                b.prompt(part);
            } else if (part.equals(RESPONSE)) {
                b.response(response(example));
            } else {
                String value = example.fields().get(part);
                if (value == null) {
                    throw new IllegalArgumentException(example.source() + ": the template needs field '" + part
                            + "' but the example has " + example.fields().keySet());
                }
                b.prompt(value);
            }
        }
        return b.build(example.source());
    }

    private static String response(Example example) {
        for (String key : List.of("response", "output", "completion")) {
            String v = example.fields().get(key);
            if (v != null) {
                return v;
            }
        }
        List<Message> messages = example.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("assistant")) {
                return messages.get(i).content();
            }
        }
        throw new IllegalArgumentException(example.source()
                + ": the template needs field 'response' (or 'output', 'completion', or an assistant turn)");
    }

    @Override
    public String describe() {
        return "template:" + template;
    }
}
