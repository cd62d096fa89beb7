package io.jtune.kernel.magic;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXParseException;

/**
 * Reads what {@code %loadFromPOM} needs from a {@code pom.xml}, or from loose {@code <dependency>}
 * and {@code <repository>} elements pasted from a README: the dependencies with their scopes and
 * exclusions, {@code dependencyManagement} (BOM imports included), the repositories, and the
 * properties that {@code ${...}} in them refer to. Plugins, profiles and modules are not read.
 */
final class PomReader {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern XML_DECLARATION = Pattern.compile("^\\s*<\\?xml[^>]*\\?>");

    /** A {@code <dependency>}; {@code version} may be null when dependencyManagement gives it. */
    record PomDependency(String groupId, String artifactId, String version, String type, String classifier,
            String scope, boolean optional, String systemPath, List<String> exclusions) {

        /** {@code groupId:artifactId}. */
        String key() {
            return groupId + ":" + artifactId;
        }

        /** {@code group:artifact[:type[:classifier]]:version} for Maven Resolver. */
        String coordinate(String resolvedVersion) {
            StringBuilder c = new StringBuilder(groupId).append(':').append(artifactId);
            if (!classifier.isEmpty()) {
                c.append(':').append(type).append(':').append(classifier);
            } else if (!type.equals("jar")) {
                c.append(':').append(type);
            }
            return c.append(':').append(resolvedVersion).toString();
        }
    }

    /** What was read; {@code parent} is {@code group:artifact:version} or null. */
    record Pom(List<PomDependency> dependencies, List<PomDependency> managed, List<MavenRepo> repositories,
            String parent) {}

    private final String source;
    private final int lineOffset;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private PomReader(String source, int lineOffset) {
        this.source = source;
        this.lineOffset = lineOffset;
    }

    /**
     * Reads {@code xml}: a whole {@code <project>}, or fragments ({@code <dependency>},
     * {@code <dependencies>}, {@code <repository>}, {@code <repositories>}, {@code <properties>},
     * {@code <dependencyManagement>}) one after another.
     *
     * @param source names the text in messages (a file name, or "cell")
     * @param lineOffset added to line numbers in messages (1 for a cell body under its magic line)
     * @throws MagicException naming {@code source} and the line, for XML that does not parse, a
     *     dependency without groupId or artifactId, or a {@code ${property}} that is not defined
     */
    static Pom read(String xml, String source, int lineOffset) throws MagicException {
        return new PomReader(source, lineOffset).parse(xml);
    }

    private Pom parse(String xml) throws MagicException {
        String body = XML_DECLARATION.matcher(xml).replaceFirst("");
        Element root = document("<jtune-fragment>" + body + "</jtune-fragment>")
                .getDocumentElement();
        List<Element> top = children(root);
        Element project = top.size() == 1 && name(top.get(0)).equals("project") ? top.get(0) : root;
        for (String field : List.of("groupId", "artifactId", "version")) {
            child(project, field).ifPresent(e -> properties.put("project." + field, text(e)));
        }
        Optional<Element> parent = child(project, "parent");
        String parentCoordinate = null;
        if (parent.isPresent()) {
            String g = childText(parent.get(), "groupId");
            String a = childText(parent.get(), "artifactId");
            String v = childText(parent.get(), "version");
            properties.putIfAbsent("project.groupId", g);
            properties.putIfAbsent("project.version", v);
            properties.put("project.parent.groupId", g);
            properties.put("project.parent.version", v);
            parentCoordinate = g + ":" + a + ":" + v;
        }
        new LinkedHashMap<>(properties).forEach((k, v) -> properties.put(k.replaceFirst("^project\\.", "pom."), v));
        for (Element props : elements(project, "properties")) {
            for (Element p : children(props)) {
                properties.put(name(p), text(p));
            }
        }
        List<PomDependency> deps = new ArrayList<>();
        for (Element d : elements(project, "dependency")) {
            deps.add(dependency(d));
        }
        for (Element list : elements(project, "dependencies")) {
            for (Element d : elements(list, "dependency")) {
                deps.add(dependency(d));
            }
        }
        List<PomDependency> managed = new ArrayList<>();
        for (Element dm : elements(project, "dependencyManagement")) {
            for (Element list : elements(dm, "dependencies")) {
                for (Element d : elements(list, "dependency")) {
                    managed.add(dependency(d));
                }
            }
        }
        List<MavenRepo> repos = new ArrayList<>();
        List<Element> repoElements = new ArrayList<>(elements(project, "repository"));
        for (Element list : elements(project, "repositories")) {
            repoElements.addAll(elements(list, "repository"));
        }
        for (Element r : repoElements) {
            String url = resolve(childText(r, "url"), r);
            if (url.isEmpty()) {
                throw error(r, "a <repository> needs a <url>");
            }
            String id = resolve(childText(r, "id"), r);
            repos.add(new MavenRepo(id.isEmpty() ? "repo-" + (repos.size() + 1) : id, url));
        }
        return new Pom(deps, managed, repos, parentCoordinate == null ? null : resolve(parentCoordinate, project));
    }

    private PomDependency dependency(Element d) throws MagicException {
        String groupId = resolve(childText(d, "groupId"), d);
        String artifactId = resolve(childText(d, "artifactId"), d);
        if (groupId.isEmpty() || artifactId.isEmpty()) {
            throw error(d, "a <dependency> needs a <groupId> and an <artifactId>");
        }
        String version = resolve(childText(d, "version"), d);
        String type = resolve(childText(d, "type"), d);
        String scope = resolve(childText(d, "scope"), d);
        List<String> exclusions = new ArrayList<>();
        for (Element list : elements(d, "exclusions")) {
            for (Element x : elements(list, "exclusion")) {
                exclusions.add(resolve(childText(x, "groupId"), x) + ":" + resolve(childText(x, "artifactId"), x));
            }
        }
        return new PomDependency(groupId, artifactId, version.isEmpty() ? null : version,
                type.isEmpty() ? "jar" : type, resolve(childText(d, "classifier"), d),
                scope.isEmpty() ? "compile" : scope, "true".equals(resolve(childText(d, "optional"), d)),
                resolve(childText(d, "systemPath"), d), exclusions);
    }

    /** {@code text} with {@code ${name}} replaced from the properties, the system properties or {@code env.NAME}. */
    private String resolve(String text, Element where) throws MagicException {
        String current = text;
        for (int depth = 0; depth < 10 && current.contains("${"); depth++) {
            Matcher m = PROPERTY.matcher(current);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value = properties.get(name);
                if (value == null && name.startsWith("env.")) {
                    value = System.getenv(name.substring(4));
                }
                if (value == null) {
                    value = System.getProperty(name);
                }
                if (value == null) {
                    throw error(where, "${" + name + "} is not defined (add it to <properties>)");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            current = out.toString();
        }
        return current;
    }

    private Document document(String xml) throws MagicException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document doc = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            ElementLines.mark(doc, xml);
            return doc;
        } catch (SAXParseException e) {
            throw new MagicException(source + ":" + (e.getLineNumber() + lineOffset) + ": not valid XML: "
                    + e.getMessage(), e);
        } catch (Exception e) {
            throw new MagicException(source + ": cannot read the XML: " + e.getMessage(), e);
        }
    }

    private MagicException error(Element where, String what) {
        Object line = where.getUserData(ElementLines.KEY);
        return new MagicException(source + (line instanceof Integer n ? ":" + (n + lineOffset) : "") + ": <"
                + name(where) + ">: " + what);
    }

    private static String name(Node n) {
        String s = n.getNodeName();
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(colon + 1);
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                out.add(el);
            }
        }
        return out;
    }

    private static List<Element> elements(Element e, String name) {
        return children(e).stream().filter(c -> name(c).equals(name)).toList();
    }

    private static Optional<Element> child(Element e, String name) {
        return elements(e, name).stream().findFirst();
    }

    private static String childText(Element e, String name) {
        return child(e, name).map(PomReader::text).orElse("");
    }

    private static String text(Element e) {
        return e.getTextContent().strip();
    }
}
