package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import java.util.List;

/**
 * The alpaca instruction layout: a preamble, {@code ### Instruction:}, an optional
 * {@code ### Input:} (only when the input is not blank), and {@code ### Response:} followed by the
 * response. Fields {@code instruction}, {@code input}, {@code output} are used when present;
 * otherwise the first user turn is the instruction and the last assistant turn the response.
 */
public final class AlpacaFormat implements PromptFormat {
    /** Preamble when there is an input. */
    public static final String PREAMBLE_WITH_INPUT = "Below is an instruction that describes a task, paired with"
            + " an input that gives further context. Write a response that appropriately completes the request.\n\n";
    /** Preamble when there is no input. */
    public static final String PREAMBLE = "Below is an instruction that describes a task."
            + " Write a response that appropriately completes the request.\n\n";

    AlpacaFormat() {}

    @Override
    public FormattedExample format(Example example) {
        String instruction = example.fields().get("instruction");
        String input = example.fields().getOrDefault("input", "");
        String output = example.fields().get("output");
        List<Message> messages = example.messages();
        if (instruction == null) {
            instruction = messages.stream().filter(m -> m.role().equals("user")).map(Message::content).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(example.source()
                            + ": alpaca format needs an 'instruction' field or a user turn"));
        }
        if (output == null) {
            for (int i = messages.size() - 1; i >= 0 && output == null; i--) {
                if (messages.get(i).role().equals("assistant")) {
                    output = messages.get(i).content();
                }
            }
            if (output == null) {
                throw new IllegalArgumentException(example.source()
                        + ": alpaca format needs an 'output' field or an assistant turn");
            }
        }
        boolean hasInput = !input.isBlank();
        StringBuilder prompt = new StringBuilder(256 + instruction.length() + input.length());
        prompt.append(hasInput ? PREAMBLE_WITH_INPUT : PREAMBLE).append("### Instruction:\n").append(instruction);
        if (hasInput) {
            prompt.append("\n\n### Input:\n").append(input);
        }
        prompt.append("\n\n### Response:\n");
        return FormattedExample.builder().prompt(prompt.toString()).response(output).build(example.source());
    }

    @Override
    public String describe() {
        return "alpaca";
    }
}
