package io.jtune.finetune.tokenize.template;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Gives strings in a template Python's {@code str} methods ({@link PythonStrings}: {@code .strip()},
 * {@code .startswith()}, {@code .split()}, ...) and item access by code-point index ({@code s[0]},
 * {@code s[-1]}), which Jinjava would otherwise look up as Java members, and applies
 * {@link PythonSlice} keys to strings and lists. Anything else is left to the resolvers after this
 * one.
 */
final class PythonStringResolver extends ELResolver {
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        PythonSlice slice = PythonSlice.fromKey(property);
        if (slice != null) {
            context.setPropertyResolved(true);
            if (base instanceof String s) {
                return slice.apply(s);
            }
            List<Object> items = base instanceof Map ? null : PythonValues.asList(base);
            if (items == null) {
                throw new IllegalArgumentException("cannot slice " + PythonValues.repr(base));
            }
            return slice.apply(items);
        }
        Long index = index(property);
        if (base instanceof String s && index != null) {
            int[] codePoints = s.codePoints().toArray();
            long i = index;
            if (i < 0) {
                i += codePoints.length;
            }
            context.setPropertyResolved(true);
            if (i < 0 || i >= codePoints.length) {
                return null;
            }
            return Character.toString(codePoints[(int) i]);
        }
        return null;
    }

    /** An integer index: Jinjava passes {@code s[0]} as the property {@code "0"}. */
    private static Long index(Object property) {
        if (property instanceof Long || property instanceof Integer) {
            return ((Number) property).longValue();
        }
        if (property instanceof String p && p.matches("-?[0-9]{1,9}")) {
            return Long.parseLong(p);
        }
        return null;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || !(method instanceof String name) || !PythonStrings.METHODS.contains(name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = PythonStrings.call(s, name, args);
        context.setPropertyResolved(true);
        return result;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // Strings are immutable; other bases are left to the next resolver.
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
