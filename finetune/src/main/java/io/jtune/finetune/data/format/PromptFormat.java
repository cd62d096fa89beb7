package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.tokenize.Tokenizer;

/**
 * Renders an {@link Example} as training text split into prompt and response segments.
 *
 * <ul>
 *   <li>{@link #alpaca()}: the alpaca instruction layout over the fields {@code instruction},
 *       optional {@code input}, and {@code output} (falling back to the conversation's turns);
 *   <li>{@link #chat(Tokenizer)}: the model's own chat template; every assistant turn is a
 *       response segment;
 *   <li>{@link #template(String)}: a user template with {@code {field}} placeholders filled from
 *       {@link Example#fields()} and one {@code {response}} marking where the response goes.
 * </ul>
 */
public sealed interface PromptFormat permits AlpacaFormat, ChatTemplateFormat, UserTemplateFormat {

    /** The example as text with prompt and response segments. */
    FormattedExample format(Example example);

    /** A short description for the prepared dataset's metadata, e.g. {@code alpaca}. */
    String describe();

    /** The alpaca layout. */
    static PromptFormat alpaca() {
        return new AlpacaFormat();
    }

    /** The model's chat template when it has one, else alpaca: what training and evaluation use by default. */
    static PromptFormat auto(Tokenizer tokenizer) {
        return tokenizer.chatTemplate().isPresent() ? chat(tokenizer) : alpaca();
    }

    /**
     * {@code auto}, {@code chat} or {@code alpaca} (any case).
     *
     * @throws IllegalArgumentException for another name
     */
    static PromptFormat named(String name, Tokenizer tokenizer) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> auto(tokenizer);
            case "chat" -> chat(tokenizer);
            case "alpaca" -> alpaca();
            default -> throw new IllegalArgumentException(name + " is not one of auto, chat, alpaca");
        };
    }

    /** The chat template of {@code tokenizer}'s model. */
    static PromptFormat chat(Tokenizer tokenizer) {
        return new ChatTemplateFormat(tokenizer);
    }

    /**
     * A user template such as {@code "Q: {question}\nA: {response}"}.
     *
     * @throws IllegalArgumentException when the template has no {@code {response}}, or more than one
     */
    static PromptFormat template(String template) {
        return new UserTemplateFormat(template);
    }
}
