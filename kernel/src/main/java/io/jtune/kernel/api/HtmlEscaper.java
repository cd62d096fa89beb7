package io.jtune.kernel.api;

/**
 * Escapes text for HTML element content and attribute values: the one escaper of the kernel's
 * renderers, the magics' renderers and cells that build HTML ({@code html("<b>" +
 * HtmlEscaper.escape(name) + "</b>")}).
 */
public final class HtmlEscaper {
    private HtmlEscaper() {}

    /** {@code text} with {@code < > & " '} as entities; null gives the empty string. */
    public static String escape(String text) {
        if (text == null) return "";
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
