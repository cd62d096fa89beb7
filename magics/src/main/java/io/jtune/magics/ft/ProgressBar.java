package io.jtune.magics.ft;

import io.jtune.kernel.display.MimeBundle;
import java.util.Locale;

/** The progress bar %train and %eval show and update in place: an HTML progress element and the line as text. */
final class ProgressBar {
    private ProgressBar() {
    }

    static MimeBundle of(long done, long total, String text) {
        String html = String.format(Locale.ROOT, "<div><progress value=\"%d\" max=\"%d\" style=\"width:60%%\"></progress>"
                + " <code>%s</code></div>", done, total, io.jtune.kernel.api.HtmlEscaper.escape(text));
        return MimeBundle.of(MimeBundle.TEXT_HTML, html).put(MimeBundle.TEXT_PLAIN, text);
    }
}
