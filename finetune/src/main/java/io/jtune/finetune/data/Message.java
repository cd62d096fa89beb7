package io.jtune.finetune.data;

import java.util.Objects;
import java.util.Set;

/** One turn of a conversation: {@code system}, {@code user} or {@code assistant}, and its text. */
public record Message(String role, String content) {
    public static final Set<String> ROLES = Set.of("system", "user", "assistant");

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role '" + role + "' is not one of system, user, assistant");
        }
    }

    public static Message system(String content) {
        return new Message("system", content);
    }

    public static Message user(String content) {
        return new Message("user", content);
    }

    public static Message assistant(String content) {
        return new Message("assistant", content);
    }
}
