package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.util.ScopeMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jinjava.de.odysseus.el.misc.LocalMessages;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstMethod;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstProperty;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.PropertyNotFoundException;

/**
 * Jinja2's default {@code Undefined} where it raises. Jinjava holds an undefined value and
 * {@code None} alike as {@code null} and lets {@code x.y.z} go on as {@code null}; Jinja2 prints
 * an undefined value as the empty string, but raises {@code UndefinedError} as soon as an
 * attribute or item of it is read, or a method of it called ({@code 'x' is undefined},
 * {@code 'dict object' has no attribute 'foo'}, {@code list object has no element 5},
 * {@code 'None' has no attribute 'y'}).
 *
 * <p>The expression nodes here tell the two nulls apart: each marks, on the rendering thread, the
 * node whose value it has just found undefined, with Jinja2's message; a node whose base came out
 * null raises when that base is the node last marked, and reads {@code None}'s attribute as
 * undefined otherwise. A variable is undefined when no scope holds its name; an attribute or
 * item when the dict lacks the key, the list the index, or the object the attribute.
 */
final class Jinja2Undefined {
    private static final ThreadLocal<Marked> LAST = new ThreadLocal<>();

    private record Marked(AstNode node, String message) {}

    private Jinja2Undefined() {}

    private static <T> T mark(AstNode node, T value, String undefinedMessage) {
        LAST.set(value == null && undefinedMessage != null ? new Marked(node, undefinedMessage) : null);
        return value;
    }

    /** Raises when {@code base}, which just evaluated to null, is undefined rather than None. */
    private static void raiseIfUndefined(AstNode base) {
        Marked m = LAST.get();
        if (m != null && m.node() == base) {
            LAST.remove();
            throw Jinja2Error.undefined(m.message());
        }
    }

    /** A variable; undefined when no scope of the current context holds the name. */
    static final class Identifier extends AstIdentifier {
        Identifier(String name, int index) {
            super(name, index);
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            Object value = super.eval(bindings, context);
            JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
            boolean known = value != null || interpreter == null || holds(interpreter.getContext(), getName());
            return mark(this, value, known ? null : "'" + getName() + "' is undefined");
        }

        /** Whether a scope holds {@code name}, None included (Jinjava's own check reads None as absent). */
        private static boolean holds(ScopeMap<String, Object> scopes, String name) {
            for (ScopeMap<String, Object> s = scopes; s != null; s = s.getParent()) {
                if (s.getScope().containsKey(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code base.name}. */
    static final class Dot extends AstDot {
        Dot(AstNode base, String property, boolean lvalue) {
            super(base, property, lvalue);
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            return read(this, prefix, () -> getProperty(bindings, context), strict, bindings, context);
        }
    }

    /** {@code base[key]}. */
    static final class Bracket extends AstBracket {
        Bracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
            super(base, property, lvalue, strict);
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            return read(this, prefix, () -> getProperty(bindings, context), strict, bindings, context);
        }
    }

    /** {@code base.name(args)}: raises when the base is undefined. */
    static final class Method extends AstMethod {
        private final AstNode base;

        Method(AstProperty property, AstParameters params) {
            super(property, params);
            this.base = (AstNode) property.getChild(0);
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            Object value = super.eval(bindings, context);
            if (value == null) {
                raiseIfUndefined(base);
            }
            return mark(this, value, null);
        }
    }

    /** What {@code AstProperty.eval} does, telling an undefined result from None. */
    private static Object read(AstNode self, AstNode prefix, Supplier<Object> property, boolean strict,
            Bindings bindings, ELContext context) {
        Object base = prefix.eval(bindings, context);
        if (base == null) {
            raiseIfUndefined(prefix);
            return mark(self, null, "'None' has no attribute " + PythonValues.repr(property.get()));
        }
        Object key = property.get();
        if (key == null && strict) {
            return mark(self, null, null);
        }
        context.setPropertyResolved(false);
        Object value = context.getELResolver().getValue(context, base, key);
        if (!context.isPropertyResolved()) {
            throw new PropertyNotFoundException(LocalMessages.get("error.property.property.notfound", key, base));
        }
        return mark(self, value, value == null ? missing(base, key) : null);
    }

    /** Jinja2's message when {@code base} has no {@code key}, or null when it holds None there. */
    private static String missing(Object base, Object key) {
        if (base instanceof Map<?, ?> map && map.containsKey(key)) {
            return null;
        }
        if (base instanceof List<?> list && key instanceof Number n) {
            long i = n.longValue() < 0 ? n.longValue() + list.size() : n.longValue();
            if (i >= 0 && i < list.size()) {
                return null;
            }
        }
        String type = typeName(base);
        return key instanceof String s
                ? "'" + type + " object' has no attribute " + PythonValues.repr(s)
                : type + " object has no element " + PythonValues.repr(key);
    }

    private static String typeName(Object value) {
        if (value instanceof Map<?, ?>) {
            return "dict";
        }
        if (value instanceof List<?>) {
            return "list";
        }
        if (value instanceof CharSequence) {
            return "str";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Double || value instanceof Float) {
            return "float";
        }
        if (value instanceof Number) {
            return "int";
        }
        return value.getClass().getSimpleName();
    }
}
