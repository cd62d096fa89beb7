package io.jtune.magics.ft;

import java.util.List;

/**
 * One example as training sees it: each token's text and whether its label is kept (trained on)
 * or masked, so that a masking mistake (training on the prompt, or on nothing) is seen before
 * training. What {@code %data tokens} binds.
 */
public record LabeledTokens(String source, List<String> tokens, List<Boolean> trained) {
    public LabeledTokens {
        tokens = List.copyOf(tokens);
        trained = List.copyOf(trained);
        if (tokens.size() != trained.size()) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + trained.size() + " labels");
        }
    }

    public long trainedCount() {
        return trained.stream().filter(b -> b).count();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format("%s: %d tokens, %d trained on (marked [[...]])%n", source,
                tokens.size(), trainedCount()));
        boolean open = false;
        for (int i = 0; i < tokens.size(); i++) {
            if (trained.get(i) != open) {
                b.append(open ? "]]" : "[[");
                open = trained.get(i);
            }
            b.append(tokens.get(i));
        }
        return b.append(open ? "]]" : "").toString();
    }
}
