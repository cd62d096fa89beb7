package io.jtune.kernel.eval;

import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands kernel objects to notebook variables: the evaluator parks a value here and evaluates
 * {@code Type name = (Type) Bindings.take(key);}. Public because cell code calls it.
 */
public final class Bindings {
    private static final Map<String, Object> PARKED = new ConcurrentHashMap<>();

    private Bindings() {}

    /** Removes and returns a parked value. */
    public static Object take(String key) {
        return unwrap(PARKED.remove(key));
    }

    static String park(Object value) {
        String key = UUID.randomUUID().toString();
        PARKED.put(key, value == null ? NULL : value);
        return key;
    }

    static Object unwrap(Object v) {
        return v == NULL ? null : v;
    }

    private static final Object NULL = new Object();

    /**
     * The Java source name of the most specific public type of {@code value} that a cell can name:
     * its class if public, else the first public interface or superclass met walking up.
     */
    static String typeName(Object value) {
        String raw = rawTypeName(value);
        return switch (raw) {
            case "java.util.List", "java.util.Set", "java.util.Collection", "java.util.ArrayList",
                    "java.util.LinkedList", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet" ->
                    elementType((java.util.Collection<?>) value).map(e -> raw + "<" + e + ">").orElse(raw);
            case "java.util.Map", "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap" -> {
                Map<?, ?> m = (Map<?, ?>) value;
                java.util.Optional<String> k = elementType(m.keySet());
                java.util.Optional<String> v = elementType(m.values());
                yield k.isPresent() && v.isPresent() ? raw + "<" + k.get() + ", " + v.get() + ">" : raw;
            }
            default -> raw;
        };
    }

    /**
     * The class shared by every element, when there is at least one, none is null, all have the same
     * class and a cell can name it (so a list of paths binds as {@code List<String>}).
     */
    private static java.util.Optional<String> elementType(java.util.Collection<?> items) {
        Class<?> shared = null;
        int seen = 0;
        for (Object o : items) {
            if (o == null || shared != null && o.getClass() != shared || ++seen > 10_000) {
                return java.util.Optional.empty();
            }
            shared = o.getClass();
        }
        if (shared == null || shared.getTypeParameters().length > 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(nameable(shared));
    }

    private static String rawTypeName(Object value) {
        if (value == null) {
            return "Object";
        }
        for (Class<?> c = value.getClass(); c != null; c = c.getSuperclass()) {
            String name = nameable(c);
            if (name != null && Modifier.isAbstract(c.getModifiers()) && !c.isArray()) {
                for (Class<?> i : c.getInterfaces()) {
                    String iname = i.getMethods().length == 0 ? null : nameable(i);
                    if (iname != null) {
                        return iname; // Map rather than AbstractMap
                    }
                }
            }
            if (name != null) {
                return name;
            }
            for (Class<?> i : c.getInterfaces()) {
                String iname = i.getMethods().length == 0 ? null : nameable(i); // skip markers (Serializable)
                if (iname != null) {
                    return iname; // e.g. List for the JDK's hidden immutable list classes
                }
            }
        }
        return "Object";
    }

    private static String nameable(Class<?> c) {
        if (c.isArray()) {
            String component = nameable(c.getComponentType());
            return component == null ? null : component + "[]";
        }
        if (c.isPrimitive()) {
            return c.getName();
        }
        if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()
                || c.isHidden()) {
            return null;
        }
        for (Class<?> e = c.getEnclosingClass(); e != null; e = e.getEnclosingClass()) {
            if (!Modifier.isPublic(e.getModifiers())) {
                return null;
            }
        }
        if (c.getPackageName().equals("REPL")) {
            return c.getSimpleName(); // a class declared in the notebook: cells name it simply
        }
        if (c.getModule().isNamed() && !c.getModule().isExported(c.getPackageName())) {
            return null;
        }
        return c.getCanonicalName();
    }
}
