package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.Html;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import java.util.regex.Pattern;

/** Built-in renderer of {@link Html}: {@code text/html}, with the text of the markup as {@code text/plain}. */
public final class HtmlRenderer implements Renderer {
    /** Longest {@code text/plain} summary, in characters. */
    static final int SUMMARY_LENGTH = 200;

    private static final Pattern SCRIPT_OR_STYLE =
            Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)<!--.*?-->|<[^>]*>");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    @Override
    public boolean supports(Object value) {
        return value instanceof Html;
    }

    @Override
    public MimeBundle render(Object value) {
        String html = ((Html) value).html();
        return MimeBundle.of(MimeBundle.TEXT_HTML, html).put(MimeBundle.TEXT_PLAIN, summary(html));
    }

    @Override
    public int priority() {
        return 0;
    }

    /** The text of {@code html}: tags dropped, common entities decoded, spaces collapsed, cut at {@link #SUMMARY_LENGTH}. */
    static String summary(String html) {
        String text = TAG.matcher(SCRIPT_OR_STYLE.matcher(html).replaceAll(" ")).replaceAll(" ");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
        text = SPACE.matcher(text).replaceAll(" ").strip();
        if (text.isEmpty()) return "[HTML, " + html.length() + " characters]";
        return text.length() > SUMMARY_LENGTH ? text.substring(0, SUMMARY_LENGTH - 1) + "…" : text;
    }
}
