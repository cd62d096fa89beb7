package io.jtune.kernel.display;

import io.jtune.kernel.display.builtin.HtmlRenderer;
import io.jtune.kernel.display.builtin.ImageRenderer;
import io.jtune.kernel.display.builtin.MarkdownRenderer;
import io.jtune.kernel.display.builtin.MimeBundleRenderer;
import io.jtune.kernel.display.builtin.SvgRenderer;
import io.jtune.kernel.display.builtin.TablesawRenderer;
import io.jtune.kernel.display.builtin.TextRenderer;
import io.jtune.kernel.display.builtin.ThrowableRenderer;
import io.jtune.kernel.display.builtin.XChartRenderer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RenderersTest {
    /** A type only these tests render, so registered renderers cannot disturb other tests. */
    record Point(int x, int y) {}

    private final List<Renderer> registered = new ArrayList<>();

    private Renderer register(Renderer r) {
        Renderers.register(r);
        registered.add(r);
        return r;
    }

    @AfterEach
    void unregisterTestRenderers() {
        registered.forEach(Renderers::unregister);
    }

    private static Renderer renderer(Class<?> type, int priority, String mime, String content) {
        return new Renderer() {
            @Override public boolean supports(Object value) { return type.isInstance(value); }
            @Override public MimeBundle render(Object value) { return MimeBundle.of(mime, content); }
            @Override public int priority() { return priority; }
        };
    }

    @Test
    void builtInRenderersAreLoadedThroughTheServiceLoader() {
        Set<Class<?>> types = new java.util.HashSet<>();
        Renderers.renderers().forEach(r -> types.add(r.getClass()));
        assertTrue(types.containsAll(List.of(TextRenderer.class, MimeBundleRenderer.class, HtmlRenderer.class,
                MarkdownRenderer.class, SvgRenderer.class, ImageRenderer.class, ThrowableRenderer.class,
                TablesawRenderer.class, XChartRenderer.class)), types::toString);
    }

    @Test
    void nullRendersAsTheWordNull() {
        MimeBundle b = Renderers.render(null);
        assertEquals(Map.of(MimeBundle.TEXT_PLAIN, "null"), b.data());
    }

    @Test
    void valueWithoutRendererGetsItsToStringAsPlainText() {
        MimeBundle b = Renderers.render(new Point(1, 2));
        assertEquals(Map.of(MimeBundle.TEXT_PLAIN, "Point[x=1, y=2]"), b.data());
        assertEquals(Map.of(MimeBundle.TEXT_PLAIN, "42"), Renderers.render(42).data());
    }

    @Test
    void arraysRenderElementByElement() {
        assertEquals("[1, 2, 3]", Renderers.render(new int[] {1, 2, 3}).get(MimeBundle.TEXT_PLAIN));
        assertEquals("[[a, b], [c]]", Renderers.render(new String[][] {{"a", "b"}, {"c"}}).get(MimeBundle.TEXT_PLAIN));
        assertEquals("[[1.5], null]", Renderers.render(new double[][] {{1.5}, null}).get(MimeBundle.TEXT_PLAIN));
    }

    @Test
    void plainTextIsAddedWhenTheRendererLeavesItOut() {
        register(renderer(Point.class, 100, MimeBundle.TEXT_HTML, "<i>p</i>"));
        MimeBundle b = Renderers.render(new Point(3, 4));
        assertEquals("<i>p</i>", b.get(MimeBundle.TEXT_HTML));
        assertEquals("Point[x=3, y=4]", b.get(MimeBundle.TEXT_PLAIN));
    }

    @Test
    void userRendererWinsOverTheBuiltInOne() {
        register(renderer(Html.class, 100, MimeBundle.TEXT_MARKDOWN, "*mine*"));
        MimeBundle b = Renderers.render(new Html("<b>x</b>"));
        assertEquals("*mine*", b.get(MimeBundle.TEXT_MARKDOWN));
        assertFalse(b.has(MimeBundle.TEXT_HTML));
    }

    @Test
    void userRendererOfLowerPriorityThanABuiltInLoses() {
        register(renderer(Html.class, -1, MimeBundle.TEXT_MARKDOWN, "*mine*"));
        MimeBundle b = Renderers.render(new Html("<b>x</b>"));
        assertEquals("<b>x</b>", b.get(MimeBundle.TEXT_HTML));
        assertFalse(b.has(MimeBundle.TEXT_MARKDOWN));
    }

    @Test
    void laterRegistrationWinsAmongEqualPriorities() {
        register(renderer(Point.class, 100, MimeBundle.TEXT_HTML, "first"));
        Renderer second = register(renderer(Point.class, 100, MimeBundle.TEXT_HTML, "second"));
        assertEquals("second", Renderers.render(new Point(0, 0)).get(MimeBundle.TEXT_HTML));
        assertSame(second, Renderers.rendererFor(new Point(0, 0)));
        register(renderer(Point.class, 50, MimeBundle.TEXT_HTML, "third, but lower"));
        assertEquals("second", Renderers.render(new Point(0, 0)).get(MimeBundle.TEXT_HTML));
    }

    @Test
    void unregisteredRendererIsNoLongerUsed() {
        Renderer r = renderer(Point.class, 100, MimeBundle.TEXT_HTML, "gone");
        Renderers.register(r);
        assertTrue(Renderers.unregister(r));
        assertFalse(Renderers.unregister(r));
        assertFalse(Renderers.render(new Point(0, 0)).has(MimeBundle.TEXT_HTML));
    }

    @Test
    void rendererThatThrowsFallsBackToPlainTextWithANote() {
        register(new Renderer() {
            @Override public boolean supports(Object value) { return value instanceof Point; }
            @Override public MimeBundle render(Object value) { throw new IllegalStateException("boom"); }
        });
        MimeBundle b = Renderers.render(new Point(5, 6));
        assertEquals(Map.of(MimeBundle.TEXT_PLAIN, "Point[x=5, y=6]"), b.data());
        Map<?, ?> note = assertInstanceOf(Map.class, b.metadata().get(MimeBundle.TEXT_PLAIN));
        assertTrue(note.get(Renderers.RENDER_ERROR).toString().contains("IllegalStateException: boom"), note::toString);
    }

    @Test
    void rendererThatReturnsNullFallsBackToPlainText() {
        register(new Renderer() {
            @Override public boolean supports(Object value) { return value instanceof Point; }
            @Override public MimeBundle render(Object value) { return null; }
        });
        assertEquals(Map.of(MimeBundle.TEXT_PLAIN, "Point[x=7, y=8]"), Renderers.render(new Point(7, 8)).data());
    }

    @Test
    void rendererWhoseSupportsThrowsIsSkipped() {
        register(new Renderer() {
            @Override public boolean supports(Object value) { throw new UnsupportedOperationException(); }
            @Override public MimeBundle render(Object value) { return MimeBundle.text("never"); }
            @Override public int priority() { return 1000; }
        });
        assertEquals("<b>x</b>", Renderers.render(new Html("<b>x</b>")).get(MimeBundle.TEXT_HTML));
    }

    @Test
    void valueWhoseToStringThrowsStillGetsPlainText() {
        Object bad = new Object() {
            @Override public String toString() { throw new IllegalStateException("no"); }
        };
        String text = (String) Renderers.render(bad).get(MimeBundle.TEXT_PLAIN);
        assertTrue(text.contains("toString failed"), text);
    }

    @Test
    void requestedTypesKeepOnlyThoseAndPlainText() {
        MimeBundle b = Renderers.render(new Html("<b>x</b>"), MimeBundle.TEXT_MARKDOWN);
        assertEquals(Set.of(MimeBundle.TEXT_PLAIN), b.data().keySet());
        MimeBundle h = Renderers.render(new Html("<b>x</b>"), MimeBundle.TEXT_HTML);
        assertEquals(Set.of(MimeBundle.TEXT_PLAIN, MimeBundle.TEXT_HTML), h.data().keySet());
    }

    @Test
    void stringIsUsedAsContentOfEachRequestedTextType() {
        MimeBundle b = Renderers.render("<b>Bold</b>", MimeBundle.TEXT_HTML, MimeBundle.TEXT_MARKDOWN);
        assertEquals(Map.of(MimeBundle.TEXT_PLAIN, "<b>Bold</b>", MimeBundle.TEXT_HTML, "<b>Bold</b>",
                MimeBundle.TEXT_MARKDOWN, "<b>Bold</b>"), b.data());
        MimeBundle js = Renderers.render("alert(1)", "application/javascript");
        assertEquals("alert(1)", js.get("application/javascript"));
        assertEquals("alert(1)", js.get(MimeBundle.TEXT_PLAIN));
        MimeBundle sb = Renderers.render(new StringBuilder("<svg/>"), MimeBundle.IMAGE_SVG);
        assertEquals("<svg/>", sb.get(MimeBundle.IMAGE_SVG));
    }

    @Test
    void stringIsNotUsedForBinaryTypes() {
        MimeBundle b = Renderers.render("iVBOR", MimeBundle.IMAGE_PNG);
        assertEquals(Set.of(MimeBundle.TEXT_PLAIN), b.data().keySet());
    }

    @Test
    void noRequestedTypesMeansTheWholeBundle() {
        MimeBundle b = Renderers.render(new Html("<b>x</b>"), new String[0]);
        assertEquals(Set.of(MimeBundle.TEXT_PLAIN, MimeBundle.TEXT_HTML), b.data().keySet());
    }

    @Test
    void bundleRendersAsItselfWithoutBeingChanged() {
        MimeBundle original = MimeBundle.of(MimeBundle.TEXT_HTML, "<p>hi</p>").putMetadata(MimeBundle.TEXT_HTML, Map.of("isolated", true));
        MimeBundle shown = Renderers.render(original);
        assertNotSame(original, shown);
        assertEquals("<p>hi</p>", shown.get(MimeBundle.TEXT_HTML));
        assertEquals(Map.of("isolated", true), shown.metadata().get(MimeBundle.TEXT_HTML));
        assertTrue(shown.has(MimeBundle.TEXT_PLAIN));
        assertFalse(original.has(MimeBundle.TEXT_PLAIN));
        assertNull(original.get(MimeBundle.TEXT_PLAIN));
    }

    @Test
    void registrationFromManyThreadsKeepsEveryRenderer() throws InterruptedException {
        int before = Renderers.renderers().size();
        List<Thread> threads = new ArrayList<>();
        List<Renderer> made = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            threads.add(new Thread(() -> {
                for (int j = 0; j < 25; j++) {
                    Renderer r = renderer(Point.class, 1, MimeBundle.TEXT_HTML, "t");
                    made.add(r);
                    Renderers.register(r);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        registered.addAll(made);
        assertEquals(before + 200, Renderers.renderers().size());
    }
}
