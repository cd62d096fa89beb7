package io.jtune.kernel.magic;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.xml.parsers.SAXParserFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.helpers.DefaultHandler;

/** Puts the line each element starts on into the DOM (user data {@link #KEY}), for messages that name a line. */
final class ElementLines {
    static final String KEY = "jtune.line";

    private ElementLines() {}

    /** Marks the elements of {@code doc}, which was parsed from {@code xml}; does nothing if reading the lines fails. */
    static void mark(Document doc, String xml) {
        List<Integer> lines = new ArrayList<>();
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.newSAXParser().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), new DefaultHandler() {
                private Locator locator;

                @Override
                public void setDocumentLocator(Locator locator) {
                    this.locator = locator;
                }

                @Override
                public void startElement(String uri, String localName, String qName, Attributes attributes) {
                    lines.add(locator == null ? -1 : locator.getLineNumber());
                }
            });
        } catch (Exception e) {
            return;
        }
        assign(doc.getDocumentElement(), lines.iterator());
    }

    /** Document order is the order SAX reports start tags in. */
    private static void assign(Element e, Iterator<Integer> lines) {
        if (!lines.hasNext()) {
            return;
        }
        int line = lines.next();
        if (line > 0) {
            e.setUserData(KEY, line, null);
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                assign(child, lines);
            }
        }
    }
}
