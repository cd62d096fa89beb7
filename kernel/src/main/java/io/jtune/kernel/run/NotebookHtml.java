package io.jtune.kernel.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.kernel.api.HtmlEscaper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A self-contained HTML page of an executed notebook, for reading it without Jupyter: markdown
 * cells (headings, paragraphs, lists, code, bold and italics, links), code cells with their source
 * and outputs (HTML as is, PNG and SVG images inline, text and errors as preformatted text).
 */
public final class NotebookHtml {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)");

    private NotebookHtml() {
    }

    public static void write(Path ipynb, Path html) throws IOException {
        JsonNode nb = new ObjectMapper().readTree(ipynb.toFile());
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(HtmlEscaper.escape(ipynb.getFileName().toString())).append("</title><style>")
                .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.45}")
                .append("pre{background:#f6f8fa;padding:.6em;overflow-x:auto}pre.src{border-left:3px solid #4a7}")
                .append("pre.err{background:#fdd}table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;")
                .append("padding:2px 6px}.out{margin:.3em 0 1.2em 1em}</style></head><body>\n");
        for (JsonNode cell : nb.path("cells")) {
            String src = text(cell.path("source"));
            if (cell.path("cell_type").asText().equals("markdown")) {
                b.append(markdown(src));
                continue;
            }
            b.append("<pre class=\"src\">").append(HtmlEscaper.escape(src)).append("</pre>\n<div class=\"out\">");
            for (JsonNode o : cell.path("outputs")) {
                switch (o.path("output_type").asText()) {
                    case "stream" -> b.append("<pre>").append(HtmlEscaper.escape(text(o.path("text")))).append("</pre>");
                    case "error" -> b.append("<pre class=\"err\">").append(HtmlEscaper.escape(o.path("ename").asText() + ": "
                            + o.path("evalue").asText() + "\n" + ANSI.matcher(text(o.path("traceback"))).replaceAll("")))
                            .append("</pre>");
                    default -> b.append(data(o.path("data")));
                }
            }
            b.append("</div>\n");
        }
        b.append("</body></html>\n");
        Files.writeString(html, b, StandardCharsets.UTF_8);
    }

    private static String data(JsonNode d) {
        if (d.has("text/html")) {
            return text(d.get("text/html"));
        }
        if (d.has("image/png")) {
            return "<img src=\"data:image/png;base64," + text(d.get("image/png")).replace("\n", "") + "\">";
        }
        if (d.has("image/svg+xml")) {
            return text(d.get("image/svg+xml"));
        }
        return d.has("text/plain") ? "<pre>" + HtmlEscaper.escape(text(d.get("text/plain"))) + "</pre>" : "";
    }

    /** nbformat keeps multi-line strings as a string or a list of lines. */
    private static String text(JsonNode n) {
        if (n.isArray()) {
            StringBuilder b = new StringBuilder();
            n.forEach(x -> b.append(x.asText()));
            return b.toString();
        }
        return n.asText("");
    }

    /** Enough Markdown for notebook prose: headings, paragraphs, bullet lists, fenced code, inline marks. */
    static String markdown(String md) {
        StringBuilder out = new StringBuilder();
        boolean list = false;
        boolean code = false;
        StringBuilder para = new StringBuilder();
        for (String line : (md + "\n").split("\n", -1)) {
            if (line.startsWith("```")) {
                flush(out, para);
                if (list) {
                    out.append("</ul>\n");
                    list = false;
                }
                out.append(code ? "</pre>\n" : "<pre>");
                code = !code;
                continue;
            }
            if (code) {
                out.append(HtmlEscaper.escape(line)).append('\n');
                continue;
            }
            Matcher h = HEADING.matcher(line);
            boolean item = line.matches("^\\s*[-*]\\s+.*");
            if (line.isBlank() || h.matches() || item) {
                flush(out, para);
            }
            if (list && !item && !line.isBlank() && !line.startsWith("  ")) {
                out.append("</ul>\n");
                list = false;
            }
            if (h.matches()) {
                int level = h.group(1).length();
                out.append("<h").append(level).append('>').append(inline(h.group(2))).append("</h").append(level).append(">\n");
            } else if (item) {
                if (!list) {
                    out.append("<ul>\n");
                    list = true;
                }
                out.append("<li>").append(inline(line.replaceFirst("^\\s*[-*]\\s+", ""))).append("</li>\n");
            } else if (!line.isBlank()) {
                para.append(para.length() > 0 ? " " : "").append(line.strip());
            }
        }
        flush(out, para);
        if (list) {
            out.append("</ul>\n");
        }
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder para) {
        if (para.length() > 0) {
            out.append("<p>").append(inline(para.toString())).append("</p>\n");
            para.setLength(0);
        }
    }

    private static String inline(String s) {
        String e = HtmlEscaper.escape(s);
        e = e.replaceAll("`([^`]+)`", "<code>$1</code>");
        e = e.replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>");
        e = e.replaceAll("(?<![*\\w])\\*([^*]+)\\*(?![*\\w])", "<i>$1</i>");
        return e.replaceAll("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)", "<a href=\"$2\">$1</a>");
    }
}
