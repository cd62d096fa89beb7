package io.jtune.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The kernel's packages form layers: no package depends, through any chain, on one that depends
 * on it. Dependencies are read from the compiled classes by the JDK's {@code jdeps}, so strings
 * and comments that name a package do not count, and every real reference does.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.jtune\\.kernel[\\w.]*)\\s+->\\s+(io\\.jtune\\.kernel[\\w.]*)\\s");

    @Test
    void kernelPackagesHaveNoCycle() throws Exception {
        Map<String, Set<String>> graph = dependencies();
        assertTrue(graph.containsKey("io.jtune.kernel.api"), "jdeps found the kernel's packages: " + graph.keySet());
        List<List<String>> cycles = new ArrayList<>();
        for (String p : graph.keySet()) {
            List<String> path = cycleThrough(p, graph);
            if (path != null && path.get(0).equals(p) && cycles.stream().noneMatch(c -> c.contains(p))) {
                cycles.add(path);
            }
        }
        assertEquals(List.of(), cycles, "package cycles (each from a package back to itself)");
    }

    private static Map<String, Set<String>> dependencies() throws Exception {
        Path classes = Path.of(io.jtune.kernel.magic.MagicRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:package", "-e", "io\\.jtune\\.kernel.*", classes.toString());
        assertEquals(0, rc, out.toString());
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
                graph.computeIfAbsent(m.group(2), k -> new TreeSet<>());
            }
        }
        return graph;
    }

    /** A path from {@code start} back to itself, or null. */
    private static List<String> cycleThrough(String start, Map<String, Set<String>> graph) {
        return search(start, start, graph, new ArrayList<>(List.of(start)), new TreeSet<>());
    }

    private static List<String> search(String start, String at, Map<String, Set<String>> graph,
            List<String> path, Set<String> seen) {
        for (String next : graph.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = search(start, next, graph, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }
}
