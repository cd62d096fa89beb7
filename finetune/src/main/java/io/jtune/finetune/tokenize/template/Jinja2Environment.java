package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import java.time.Clock;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * A Jinjava set up to render as Hugging Face's Jinja2 environment for chat templates does: no
 * re-rendering of values that contain template syntax, Python string methods and operators, Python
 * truth and printing, and Hugging Face's filters, tests and globals. Whitespace control is not
 * Jinjava's: templates come through {@link Jinja2Source}, which applies Jinja2's rules, so Jinjava's
 * own trimming stays off.
 */
final class Jinja2Environment extends Jinjava {
    /**
     * How deep a macro may call itself. Jinja2 has no limit of its own but runs out of Python's
     * stack: under the default recursion limit of 1,000 frames a macro that calls itself fails with
     * {@code RecursionError} at about 200 calls deep (198 measured with jinja2 3.1). Jinjava would
     * refuse any recursion, silently.
     */
    static final int MAX_MACRO_DEPTH = 200;

    private final ExpressionFactory expressionFactory =
            new ExpressionFactoryImpl(new TreeStore(new Jinja2SyntaxBuilder(), new Cache(256)), new PythonTypeConverter());

    Jinja2Environment(Clock clock) {
        super(config(clock));
        registerTag(new Jinja2IfTag());
        Jinja2Filters.all().forEach(this::registerFilter);
        Jinja2Tests.all().forEach(this::registerExpTest);
        Jinja2Globals.all().forEach(this::registerFunction);
    }

    private static JinjavaConfig config(Clock clock) {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        return JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withFailOnUnknownTokens(false)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(MAX_MACRO_DEPTH)
                .withElResolver(resolver)
                .withInterperterFactory(Jinja2Interpreter.factory(clock))
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withParseWhitespaceControlStrictly(true)
                        .withKeepNullableLoopValues(true)
                        .withIterateOverMapKeys(true)
                        .build())
                .build();
    }

    @Override
    public ExpressionFactory getExpressionFactory() {
        return expressionFactory;
    }
}
