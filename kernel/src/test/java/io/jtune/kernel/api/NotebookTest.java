package io.jtune.kernel.api;

import io.jtune.kernel.display.DisplayContext;
import io.jtune.kernel.display.DisplaySink;
import io.jtune.kernel.display.Image;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import static io.jtune.kernel.api.Notebook.clearOutput;
import static io.jtune.kernel.api.Notebook.display;
import static io.jtune.kernel.api.Notebook.html;
import static io.jtune.kernel.api.Notebook.image;
import static io.jtune.kernel.api.Notebook.markdown;
import static io.jtune.kernel.api.Notebook.render;
import static io.jtune.kernel.api.Notebook.updateDisplay;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotebookTest {
    /** What a sink was asked to do, in order. */
    record Event(String kind, MimeBundle bundle, String id, boolean flag) {}

    static final class RecordingSink implements DisplaySink {
        final List<Event> events = new ArrayList<>();

        @Override
        public void display(MimeBundle bundle, String displayId, boolean update) {
            events.add(new Event(update ? "update" : "display", bundle, displayId, update));
        }

        @Override
        public void clearOutput(boolean wait) {
            events.add(new Event("clear", null, null, wait));
        }
    }

    private final RecordingSink sink = new RecordingSink();

    @BeforeEach
    void startCell() {
        DisplayContext.set(sink);
    }

    @AfterEach
    void endCell() {
        DisplayContext.set(null);
    }

    @Test
    void displayPublishesANewOutputWithAFreshId() {
        String id = display(html("<b>hi</b>"));
        assertDoesNotThrow(() -> UUID.fromString(id));
        assertEquals(1, sink.events.size());
        Event e = sink.events.get(0);
        assertEquals("display", e.kind());
        assertEquals(id, e.id());
        assertEquals("<b>hi</b>", e.bundle().get(MimeBundle.TEXT_HTML));
        assertEquals("hi", e.bundle().get(MimeBundle.TEXT_PLAIN));
        assertNotEquals(id, display("again"));
    }

    @Test
    void updateDisplayReplacesTheOutputUnderTheSameId() {
        String id = display(markdown("**working…**"));
        updateDisplay(id, html("<b>done</b>"));
        updateDisplay(id, "<i>plain</i>", MimeBundle.TEXT_HTML);
        assertEquals(List.of("display", "update", "update"), sink.events.stream().map(Event::kind).toList());
        assertTrue(sink.events.stream().allMatch(e -> e.id().equals(id)));
        assertEquals("<b>done</b>", sink.events.get(1).bundle().get(MimeBundle.TEXT_HTML));
        assertEquals("<i>plain</i>", sink.events.get(2).bundle().get(MimeBundle.TEXT_HTML));
    }

    @Test
    void updateDisplayNeedsAnId() {
        assertThrows(IllegalArgumentException.class, () -> updateDisplay(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> updateDisplay(" ", "x"));
        assertTrue(sink.events.isEmpty());
    }

    @Test
    void displayWithTypesKeepsOnlyThoseTypes() {
        display("<b>Bold</b>", MimeBundle.TEXT_HTML, MimeBundle.TEXT_MARKDOWN);
        MimeBundle b = sink.events.get(0).bundle();
        assertEquals(Set.of(MimeBundle.TEXT_PLAIN, MimeBundle.TEXT_HTML, MimeBundle.TEXT_MARKDOWN), b.data().keySet());
        display(html("<b>x</b>"), MimeBundle.TEXT_MARKDOWN);
        assertEquals(Set.of(MimeBundle.TEXT_PLAIN), sink.events.get(1).bundle().data().keySet());
    }

    @Test
    void clearOutputReachesTheSink() {
        clearOutput();
        clearOutput(true);
        assertEquals(List.of(new Event("clear", null, null, false), new Event("clear", null, null, true)), sink.events);
    }

    @Test
    void renderPublishesNothingAndItsBundleRendersAsItself() {
        MimeBundle b = render("alert(1)", "application/javascript");
        assertTrue(sink.events.isEmpty());
        MimeBundle shown = Renderers.render(b);
        assertEquals(b.data(), shown.data());
        assertEquals("alert(1)", shown.get("application/javascript"));
        assertEquals(Set.of(MimeBundle.TEXT_PLAIN), render(42).data().keySet());
    }

    @Test
    void imageHelpersMakePngImages() {
        Image fromAwt = image(new BufferedImage(4, 3, BufferedImage.TYPE_INT_ARGB));
        assertEquals(4, fromAwt.width());
        assertEquals(fromAwt, image(fromAwt.png()));
        display(fromAwt);
        assertTrue(sink.events.get(0).bundle().has(MimeBundle.IMAGE_PNG));
    }

    @Test
    void displayOutsideACellSaysNoCellIsRunning() {
        DisplayContext.set(null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> display("x"));
        assertTrue(e.getMessage().contains("cell"));
        assertThrows(IllegalStateException.class, () -> clearOutput());
        assertFalse(sink.events.iterator().hasNext());
    }
}
