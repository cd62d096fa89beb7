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
