package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.errorcategory.BasicTemplateErrorCategory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face chat template (the {@code chat_template} Jinja text of a
 * {@code tokenizer_config.json}), rendered byte for byte as {@code transformers}'
 * {@code apply_chat_template(..., tokenize=False)} renders it.
 *
 * <p>Rendering follows Hugging Face's Jinja2 environment: {@code trim_blocks} and
 * {@code lstrip_blocks} on, one trailing newline of the template dropped, {@code break} and
 * {@code continue}, a {@code tojson} filter without ASCII escaping, the globals
 * {@code raise_exception(message)}, {@code strftime_now(format)} and the sandbox's {@code range}
 * (refused beyond {@value Jinja2Globals#MAX_RANGE} items), macros that call themselves up to
 * {@value Jinja2Environment#MAX_MACRO_DEPTH} calls deep (then {@code RecursionError}), and the variables
 * {@code messages}, {@code add_generation_prompt}, {@code tools}, {@code documents} plus whatever
 * the caller passes (the special tokens: {@code bos_token}, {@code eos_token}, ...). Expressions
 * behave as in Python: string methods such as {@code .strip()} and {@code .startswith()},
 * {@code "%s" % x}, Python truth, and values printed as {@code str()} prints them.
 *
 * <p>Known differences from Jinja2, none met by the templates tested: Jinjava holds Python's
 * {@code None} and Jinja2's undefined alike as {@code null}, so a {@code None} value prints as the
 * empty string (Jinja2 prints {@code None}), a key whose value is {@code None} is not
 * {@code defined}, and an undefined value {@code is none}; arithmetic on an undefined value gives a
 * number rather than an error (reading an attribute or item of one raises {@code UndefinedError}
 * as in Jinja2); tuples print as lists; {@code loop.previtem}, {@code loop.nextitem} and {@code loop.cycle} are missing; a test
 * right after a filter ({@code x | length is odd}) needs parentheses; recursive loops are refused;
 * and methods that change a list or dict ({@code append}, {@code update}) work, where Hugging Face's
 * sandbox refuses them.
 *
 * <p>Instances are immutable and may render from several threads at once.
 */
public final class ChatTemplate {
    private final String source;
    private final String origin;
    private final String prepared;
    private final Jinja2Environment environment;

    /**
     * A template whose {@code strftime_now} reads the system clock.
     *
     * @throws ChatTemplateException when the template has a syntax error or names an unknown
     *     filter or test
     */
    public ChatTemplate(String source) {
        this(source, Clock.systemDefaultZone());
    }

    /**
     * A template whose {@code strftime_now} reads {@code clock} (in the clock's zone).
     *
     * @throws ChatTemplateException when the template has a syntax error or names an unknown
     *     filter or test
     */
    public ChatTemplate(String source, Clock clock) {
        this(source, clock, null);
    }

    /**
     * A template read from {@code origin} (a file, or a file and field), which every error other
     * than the template's own {@code raise_exception} names before its message.
     *
     * @param origin where the template came from, or null
     * @throws ChatTemplateException when the template has a syntax error or names an unknown
     *     filter or test
     */
    public ChatTemplate(String source, Clock clock, String origin) {
        this.source = Objects.requireNonNull(source, "source");
        this.origin = origin;
        this.environment = new Jinja2Environment(Objects.requireNonNull(clock, "clock"));
        Jinja2Source.Prepared prepared;
        try {
            prepared = Jinja2Source.prepare(source);
        } catch (ChatTemplateException e) {
            throw e.from(origin);
        }
        for (String filter : prepared.filters()) {
            if (environment.getGlobalContext().getFilter(filter) == null) {
                throw new ChatTemplateException("the chat template uses an unknown filter: " + filter,
                        "No filter named '" + filter + "'.", false, null).from(origin);
            }
        }
        for (String test : prepared.tests()) {
            if (environment.getGlobalContext().getExpTest(test) == null) {
                throw new ChatTemplateException("the chat template uses an unknown test: " + test,
                        "No test named '" + test + "'.", false, null).from(origin);
            }
        }
        this.prepared = prepared.template();
    }

    /** The template text as given. */
    public String source() {
        return source;
    }

    /** Renders {@code messages} with no variables besides {@code messages} and {@code add_generation_prompt}. */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders {@code messages}.
     *
     * @param messages the conversation: maps with {@code role} and {@code content}, and whatever
     *     else the template reads ({@code tool_calls}, ...)
     * @param addGenerationPrompt end with the header of an assistant turn
     * @param variables more template variables: special tokens ({@code bos_token}, ...),
     *     {@code tools}, {@code documents}, or a template's own options ({@code date_string}, ...)
     * @throws ChatTemplateException when the template calls {@code raise_exception} or fails
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        Map<String, Object> context = new HashMap<>();
        context.put("tools", null);
        context.put("documents", null);
        context.put("raise_exception", Jinja2Globals.DEFINED);
        context.put("strftime_now", Jinja2Globals.DEFINED);
        context.putAll(variables);
        context.put("messages", new ArrayList<>(messages));
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result;
        try {
            result = environment.renderForResult(prepared, context);
        } catch (StackOverflowError e) {
            throw new ChatTemplateException("the chat template failed: RecursionError: maximum recursion depth exceeded"
                    + " (the Java stack ran out)", "maximum recursion depth exceeded", false, null).from(origin);
        }
        for (TemplateError error : result.getErrors()) {
            Jinja2Globals.Raised raised = raised(error.getException());
            if (raised != null) {
                throw new ChatTemplateException("the chat template raised an exception: " + raised.getMessage(),
                        raised.getMessage(), true, null);
            }
        }
        // Jinja2 stops at the first error; Jinjava records it and renders on, so the first one counts
        for (TemplateError error : result.getErrors()) {
            Jinja2Error jinja2 = Jinja2Error.in(error.getException());
            if (jinja2 != null) {
                throw failure(error, jinja2.type() + ": " + jinja2.getMessage(), jinja2.getMessage(), jinja2);
            }
            if (error.getCategory() == BasicTemplateErrorCategory.CYCLE_DETECTED) {
                String name = error.getCategoryErrors() == null ? null : error.getCategoryErrors().get("name");
                throw failure(error, "RecursionError: maximum recursion depth exceeded (macro '" + name + "' nested more"
                        + " than " + Jinja2Environment.MAX_MACRO_DEPTH + " calls deep)", "maximum recursion depth"
                        + " exceeded", error.getException());
            }
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(error, error.getMessage(), error.getMessage(), error.getException());
            }
        }
        return result.getOutput();
    }

    private ChatTemplateException failure(TemplateError error, String message, String templateMessage,
            Throwable cause) {
        String where = error.getLineno() > 0 ? " (template line " + error.getLineno() + ")" : "";
        return new ChatTemplateException("the chat template failed" + where + ": " + message, templateMessage, false,
                cause).from(origin);
    }

    private static Jinja2Globals.Raised raised(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Jinja2Globals.Raised r) {
                return r;
            }
        }
        return null;
    }
}
