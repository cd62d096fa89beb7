package io.jtune.kernel.display;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry of {@link Renderer}s and the entry point that turns any value into a
 * {@link MimeBundle}.
 *
 * <p>The built-in renderers and any others on the kernel's class path are found once with
 * {@link ServiceLoader}; more can be added at run time with {@link #register(Renderer)}. For a
 * value, the supporting renderer with the highest {@link Renderer#priority()} wins, and among
 * equal priorities the one registered last. Every bundle returned here carries
 * {@code text/plain}.
 */
public final class Renderers {
    /** Metadata key, under {@code text/plain}, of the note left when a renderer failed. */
    public static final String RENDER_ERROR = "jtune.render_error";

    private record Entry(Renderer renderer, int priority, long order) {}

    private static final Comparator<Entry> BEST_FIRST =
            Comparator.comparingInt(Entry::priority).thenComparingLong(Entry::order).reversed();

    private static final AtomicLong ORDER = new AtomicLong();
    private static final Object LOCK = new Object();
    private static volatile List<Entry> entries = List.of();

    static {
        ServiceLoader<Renderer> loader = ServiceLoader.load(Renderer.class, Renderers.class.getClassLoader());
        Iterator<Renderer> it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                register(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // A provider whose class or dependencies cannot be loaded is skipped; the rest still work.
            }
        }
    }

    private Renderers() {}

    /** Adds {@code renderer}; it wins over every renderer of lower or equal priority added before it. */
    public static void register(Renderer renderer) {
        if (renderer == null) throw new NullPointerException("renderer");
        Entry entry = new Entry(renderer, renderer.priority(), ORDER.incrementAndGet());
        synchronized (LOCK) {
            List<Entry> next = new ArrayList<>(entries);
            next.add(entry);
            next.sort(BEST_FIRST);
            entries = List.copyOf(next);
        }
    }

    /** Removes {@code renderer} (compared by identity); returns whether it was registered. */
    public static boolean unregister(Renderer renderer) {
        synchronized (LOCK) {
            List<Entry> next = new ArrayList<>(entries);
            boolean removed = next.removeIf(e -> e.renderer() == renderer);
            entries = List.copyOf(next);
            return removed;
        }
    }

    /** The registered renderers, the one tried first first. */
    public static List<Renderer> renderers() {
        return entries.stream().map(Entry::renderer).toList();
    }

    /** The renderer that {@link #render(Object)} uses for {@code value}, or null when none supports it. */
    public static Renderer rendererFor(Object value) {
        if (value == null) return null;
        for (Entry e : entries) {
            try {
                if (e.renderer().supports(value)) return e.renderer();
            } catch (RuntimeException | LinkageError ignored) {
                // A renderer that cannot even answer supports() is treated as not supporting the value.
            }
        }
        return null;
    }

    /**
     * Renders {@code value} with the best renderer. Null renders as {@code text/plain "null"}; a
     * value no renderer supports, or whose renderer fails, renders as its {@code text/plain}
     * string (arrays element by element), and a failure leaves a note in the metadata of
     * {@code text/plain} under {@link #RENDER_ERROR}.
     */
    public static MimeBundle render(Object value) {
        return render(value, (Set<String>) null);
    }

    /** {@link #render(Object)}, telling the renderer which types were asked for when {@code wanted} is not null. */
    private static MimeBundle render(Object value, Set<String> wanted) {
        if (value == null) return MimeBundle.text("null");
        Renderer renderer = rendererFor(value);
        MimeBundle bundle = null;
        String error = null;
        if (renderer != null) {
            try {
                bundle = wanted == null ? renderer.render(value) : renderer.render(value, wanted);
                if (bundle == null) error = renderer.getClass().getName() + " returned no bundle";
            } catch (RuntimeException | LinkageError | AssertionError e) {
                error = renderer.getClass().getName() + " failed: " + e;
            }
        }
        if (bundle == null) bundle = new MimeBundle();
        if (!bundle.has(MimeBundle.TEXT_PLAIN)) bundle.put(MimeBundle.TEXT_PLAIN, plainText(value));
        if (error != null) bundle.putMetadata(MimeBundle.TEXT_PLAIN, Map.of(RENDER_ERROR, error));
        return bundle;
    }

    /**
     * Renders {@code value} and keeps only {@code mimeTypes} (and {@code text/plain}), as IJava's
     * {@code render(value, types...)}. A type the renderer cannot produce is left out, except
     * that a {@link CharSequence} value becomes the content of each requested text-like type
     * ({@code text/*}, JavaScript, JSON, XML, SVG), so {@code render("<b>hi</b>", "text/html")}
     * shows HTML. The renderer is told the types (see {@link Renderer#render(Object, Set)}), so
     * that it may make a type only on request. With no types given it is {@link #render(Object)}.
     */
    public static MimeBundle render(Object value, String... mimeTypes) {
        if (mimeTypes == null || mimeTypes.length == 0) return render(value);
        Set<String> wanted = new LinkedHashSet<>(Arrays.asList(mimeTypes));
        wanted.remove(null);
        MimeBundle out = render(value, Collections.unmodifiableSet(wanted)).only(wanted);
        if (value instanceof CharSequence text) {
            for (String type : mimeTypes) {
                if (type != null && !out.has(type) && isTextLike(type)) out.put(type, text.toString());
            }
        }
        return out;
    }

    /** Whether content of {@code mimeType} is text that a string can stand for. */
    static boolean isTextLike(String mimeType) {
        String t = mimeType.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("text/")
                || t.equals("application/javascript")
                || t.equals("application/json")
                || t.equals("application/xml")
                || t.equals("application/x-latex")
                || t.endsWith("+xml")
                || t.endsWith("+json");
    }

    /** {@code String.valueOf(value)}, with arrays shown element by element as {@link Arrays#deepToString}. */
    static String plainText(Object value) {
        try {
            if (value != null && value.getClass().isArray()) {
                String wrapped = Arrays.deepToString(new Object[] {value});
                return wrapped.substring(1, wrapped.length() - 1);
            }
            return String.valueOf(value);
        } catch (RuntimeException | LinkageError e) {
            return value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value))
                    + " (toString failed: " + e + ")";
        }
    }
}
