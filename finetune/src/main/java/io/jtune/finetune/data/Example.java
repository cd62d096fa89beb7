package io.jtune.finetune.data;

import java.util.List;
import java.util.Map;

/**
 * One training example in canonical form: a conversation ({@code messages}, at least one user and
 * one assistant turn) plus the named fields it was written with ({@code instruction}, {@code input},
 * {@code output}, {@code prompt}, {@code completion}, or columns mapped by the user), which prompt
 * templates such as alpaca's refer to.
 */
public record Example(List<Message> messages, Map<String, String> fields, SourceRef source) {
    public Example {
        messages = List.copyOf(messages);
        fields = Map.copyOf(fields);
    }
}
