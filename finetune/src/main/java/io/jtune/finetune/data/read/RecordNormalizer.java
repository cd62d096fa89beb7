package io.jtune.finetune.data.read;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.ValidationProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Recognises a raw row and turns it into an {@link Example}, or lists what is wrong with it.
 *
 * <p>A column mapping ({@code target field <- source column}) is applied first. The row's shape is
 * then chosen by its keys, in this order:
 * <ul>
 *   <li>{@code messages}: an array of {@code {role, content}} objects, roles system/user/assistant;</li>
 *   <li>{@code conversations} (ShareGPT): an array of {@code {from, value}} objects, from
 *       human/user, gpt/assistant or system;</li>
 *   <li>{@code instruction} or {@code output} (Alpaca): {@code instruction} and {@code output}
 *       required, {@code input} optional; user = instruction, plus a blank line and the input when
 *       the input is not empty; assistant = output;</li>
 *   <li>{@code prompt} or {@code completion}: both required; user = prompt, assistant = completion.</li>
 * </ul>
 * Alpaca and prompt/completion rows may carry an optional {@code system} string. Required text
 * must be a non-blank string. A conversation may open with one system turn, then must alternate
 * user and assistant turns starting with user, and must end with an assistant turn. Keys not
 * named here are ignored.
 */
final class RecordNormalizer {
    /**
     * Either the example or the problems that kept it from being made, with the row's format (null
     * when the row was not recognised or its mapped columns are missing).
     */
    record Outcome(Example example, List<ValidationProblem> problems, RowFormat format) {
    }

    private static final Map<String, String> SHAREGPT_ROLES = Map.of(
            "human", "user", "user", "user", "gpt", "assistant", "assistant", "assistant", "system", "system");

    private static final Map<String, String> CHAT_ROLES = Map.of(
            "system", "system", "user", "user", "assistant", "assistant");

    private final Map<String, String> columnMapping;

    RecordNormalizer(Map<String, String> columnMapping) {
        this.columnMapping = Map.copyOf(columnMapping);
    }

    Outcome normalize(RawRecord record) {
        List<ValidationProblem> problems = new ArrayList<>();
        SourceRef ref = record.source();
        Map<String, Object> values = new LinkedHashMap<>(record.values());
        for (Map.Entry<String, String> e : new TreeMap<>(columnMapping).entrySet()) {
            if (!record.values().containsKey(e.getValue())) {
                problems.add(new ValidationProblem(ref, e.getKey(), "column '" + e.getValue()
                        + "' (mapped to " + e.getKey() + ") is missing; columns are " + new TreeSet<>(record.values().keySet())));
            } else {
                values.put(e.getKey(), record.values().get(e.getValue()));
            }
        }
        if (!problems.isEmpty()) {
            return new Outcome(null, problems, null);
        }
        RowFormat format = RowFormat.of(values);
        Example example = format == null ? null : switch (format) {
            case MESSAGES -> conversation(ref, values.get("messages"), "messages", "role", "content", CHAT_ROLES, problems);
            case SHAREGPT -> conversation(ref, values.get("conversations"), "conversations", "from", "value",
                    SHAREGPT_ROLES, problems);
            case ALPACA -> alpaca(ref, values, problems);
            case PROMPT_COMPLETION -> promptCompletion(ref, values, problems);
        };
        if (format == null) {
            problems.add(new ValidationProblem(ref, "", "unrecognised row with columns " + new TreeSet<>(values.keySet())
                    + ": expected instruction/output (alpaca), prompt/completion, messages or conversations (sharegpt);"
                    + " pass a column mapping for other names"));
        }
        return problems.isEmpty() ? new Outcome(example, List.of(), format) : new Outcome(null, problems, format);
    }

    private static Example alpaca(SourceRef ref, Map<String, Object> values, List<ValidationProblem> problems) {
        String instruction = required(ref, values, "instruction", problems);
        String input = optional(ref, values, "input", problems);
        String output = required(ref, values, "output", problems);
        String system = optional(ref, values, "system", problems);
        if (!problems.isEmpty()) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("instruction", instruction);
        fields.put("input", input == null ? "" : input);
        fields.put("output", output);
        List<Message> messages = new ArrayList<>();
        if (system != null && !system.isBlank()) {
            fields.put("system", system);
            messages.add(Message.system(system));
        }
        messages.add(Message.user(input == null || input.isEmpty() ? instruction : instruction + "\n\n" + input));
        messages.add(Message.assistant(output));
        return new Example(messages, fields, ref);
    }

    private static Example promptCompletion(SourceRef ref, Map<String, Object> values, List<ValidationProblem> problems) {
        String prompt = required(ref, values, "prompt", problems);
        String completion = required(ref, values, "completion", problems);
        String system = optional(ref, values, "system", problems);
        if (!problems.isEmpty()) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("prompt", prompt);
        fields.put("completion", completion);
        List<Message> messages = new ArrayList<>();
        if (system != null && !system.isBlank()) {
            fields.put("system", system);
            messages.add(Message.system(system));
        }
        messages.add(Message.user(prompt));
        messages.add(Message.assistant(completion));
        return new Example(messages, fields, ref);
    }

    private static Example conversation(SourceRef ref, Object value, String name, String roleKey, String textKey,
                                        Map<String, String> roles, List<ValidationProblem> problems) {
        if (!(value instanceof List<?> turns)) {
            problems.add(new ValidationProblem(ref, name, name + " must be an array, got " + Values.typeName(value)));
            return null;
        }
        if (turns.isEmpty()) {
            problems.add(new ValidationProblem(ref, name, name + " is empty"));
            return null;
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            String at = name + "[" + i + "]";
            if (!(turns.get(i) instanceof Map<?, ?> turn)) {
                problems.add(new ValidationProblem(ref, at, "must be an object, got " + Values.typeName(turns.get(i))));
                continue;
            }
            Object role = turn.get(roleKey);
            Object text = turn.get(textKey);
            String mapped = null;
            if (!(role instanceof String r)) {
                problems.add(new ValidationProblem(ref, at + "." + roleKey, role == null && !turn.containsKey(roleKey)
                        ? "missing required field" : roleKey + " must be a string, got " + Values.typeName(role)));
            } else if ((mapped = roles.get(r)) == null) {
                problems.add(new ValidationProblem(ref, at + "." + roleKey, "unknown role '" + r + "' (expected "
                        + String.join(", ", new TreeSet<>(roles.keySet())) + ")"));
            }
            if (!(text instanceof String t)) {
                problems.add(new ValidationProblem(ref, at + "." + textKey, text == null && !turn.containsKey(textKey)
                        ? "missing required field" : textKey + " must be a string, got " + Values.typeName(text)));
            } else if (t.isBlank()) {
                problems.add(new ValidationProblem(ref, at + "." + textKey, textKey + " is empty"));
            } else if (mapped != null) {
                messages.add(new Message(mapped, t));
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        checkTurnOrder(ref, name, roleKey, messages, problems);
        return problems.isEmpty() ? new Example(messages, Map.of(), ref) : null;
    }

    private static void checkTurnOrder(SourceRef ref, String name, String roleKey, List<Message> messages,
                                       List<ValidationProblem> problems) {
        int first = messages.get(0).role().equals("system") ? 1 : 0;
        String expected = "user";
        for (int i = first; i < messages.size(); i++) {
            String role = messages.get(i).role();
            if (!role.equals(expected)) {
                problems.add(new ValidationProblem(ref, name + "[" + i + "]." + roleKey, role.equals("system")
                        ? "a system turn is only allowed first"
                        : "expected a " + expected + " turn, got " + role + " (turns must alternate user, assistant)"));
                return;
            }
            expected = expected.equals("user") ? "assistant" : "user";
        }
        if (messages.size() == first) {
            problems.add(new ValidationProblem(ref, name, "conversation has no user or assistant turn"));
        } else if (!messages.get(messages.size() - 1).role().equals("assistant")) {
            problems.add(new ValidationProblem(ref, name, messages.size() - first == 1
                    ? "conversation has no assistant turn" : "conversation must end with an assistant turn"));
        }
    }

    private static String required(SourceRef ref, Map<String, Object> values, String key, List<ValidationProblem> problems) {
        Object v = values.get(key);
        if (v == null) {
            problems.add(new ValidationProblem(ref, key, values.containsKey(key)
                    ? key + " must be a string, got null" : "missing required field"));
            return null;
        }
        if (!(v instanceof String s)) {
            problems.add(new ValidationProblem(ref, key, key + " must be a string, got " + Values.typeName(v)));
            return null;
        }
        if (s.isBlank()) {
            problems.add(new ValidationProblem(ref, key, key + " is empty"));
            return null;
        }
        return s;
    }

    private static String optional(SourceRef ref, Map<String, Object> values, String key, List<ValidationProblem> problems) {
        Object v = values.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        problems.add(new ValidationProblem(ref, key, key + " must be a string, got " + Values.typeName(v)));
        return null;
    }
}
