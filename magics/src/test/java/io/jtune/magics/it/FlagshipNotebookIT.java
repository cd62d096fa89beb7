package io.jtune.magics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The main job as the README gives it: the flagship notebook run headlessly by the launcher
 * ({@code ./jtune run}, what {@code ./jtune demo} does) on the built-in base. Every cell runs
 * without error, the progress bar and the loss chart are one output each, the verdict accuracy
 * after QLoRA is at least 80 % on the 500 held-out clauses, and the HTML page and the export exist.
 */
class FlagshipNotebookIT {
    private static final Pattern LIFT = Pattern.compile("verdict accuracy ([0-9.]+) % -> ([0-9.]+) %");

    @Test
    void theFlagshipRunsEndToEndWithAClearLift() throws Exception {
        Path repo = Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        Path out = repo.resolve("magics/target/flagship/legal-audit-assistant.ipynb");
        Path html = out.resolveSibling("legal-audit-assistant.html");
        Files.createDirectories(out.getParent());
        Path log = out.resolveSibling("run.log");
        Process p = new ProcessBuilder(repo.resolve("jtune").toString(), "run",
                repo.resolve("notebooks/legal-audit-assistant.ipynb").toString(), "--out", out.toString(), "--html",
                html.toString(), "--timeout", "900").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("the flagship notebook did not finish in 20 minutes:\n" + Files.readString(log));
        }
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("[FlagshipNotebookIT]\n" + printed);
        assertEquals(0, p.exitValue(), printed);
        JsonNode nb = new ObjectMapper().readTree(out.toFile());
        List<String> texts = new ArrayList<>();
        for (JsonNode cell : nb.path("cells")) {
            List<String> bars = new ArrayList<>();
            for (JsonNode o : cell.path("outputs")) {
                assertTrue(!o.path("output_type").asText().equals("error"), "a cell failed: " + o);
                String text = o.path("text").isMissingNode() ? join(o.path("data").path("text/plain")) : join(o.path("text"));
                texts.add(text);
                if (text.startsWith("step ")) {
                    bars.add(text);
                }
            }
            assertTrue(bars.size() <= 1, "one progress bar, updated in place: " + bars);
        }
        Matcher m = LIFT.matcher(String.join("\n", texts));
        assertTrue(m.find(), "the lift line is printed");
        double after = Double.parseDouble(m.group(2));
        assertTrue(after >= 80.0, "verdict accuracy after QLoRA " + after + " % (aim 80 %); before " + m.group(1) + " %");
        assertTrue(Files.size(html) > 10_000, "the HTML page");
        assertTrue(Files.isRegularFile(repo.resolve("notebooks/out/legal-audit-assistant/legal-audit-q8_0.gguf")));
    }

    private static String join(JsonNode n) {
        if (n.isArray()) {
            StringBuilder b = new StringBuilder();
            n.forEach(x -> b.append(x.asText()));
            return b.toString();
        }
        return n.asText("");
    }
}
