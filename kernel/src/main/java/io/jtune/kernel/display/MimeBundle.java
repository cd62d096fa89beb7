package io.jtune.kernel.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object rendered for Jupyter: MIME type to content, plus per-type metadata.
 *
 * <p>Content is a {@code String} for text types and base64 images, or any value that Jackson can
 * write as JSON for {@code application/json}-like types. Every bundle that leaves the kernel
 * carries {@code text/plain}; {@link Renderers} adds it where a renderer did not.
 */
public final class MimeBundle {
    public static final String TEXT_PLAIN = "text/plain";
    public static final String TEXT_HTML = "text/html";
    public static final String TEXT_MARKDOWN = "text/markdown";
    public static final String IMAGE_PNG = "image/png";
    public static final String IMAGE_SVG = "image/svg+xml";

    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    public static MimeBundle of(String mimeType, Object content) {
        return new MimeBundle().put(mimeType, content);
    }

    public static MimeBundle text(String text) {
        return of(TEXT_PLAIN, text);
    }

    public MimeBundle put(String mimeType, Object content) {
        data.put(mimeType, content);
        return this;
    }

    /** Metadata for one MIME type, for example {@code width}/{@code height} of an image. */
    public MimeBundle putMetadata(String mimeType, Object value) {
        metadata.put(mimeType, value);
        return this;
    }

    public boolean has(String mimeType) {
        return data.containsKey(mimeType);
    }

    public Object get(String mimeType) {
        return data.get(mimeType);
    }

    public Map<String, Object> data() {
        return Collections.unmodifiableMap(data);
    }

    public Map<String, Object> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** A copy that keeps only the given types (text/plain always stays when present). */
    public MimeBundle only(java.util.Collection<String> mimeTypes) {
        MimeBundle out = new MimeBundle();
        data.forEach((k, v) -> {
            if (k.equals(TEXT_PLAIN) || mimeTypes.contains(k)) {
                out.data.put(k, v);
                if (metadata.containsKey(k)) out.metadata.put(k, metadata.get(k));
            }
        });
        return out;
    }

    /** A copy of this bundle (data and metadata), so that callers may add types without changing it. */
    public MimeBundle copy() {
        MimeBundle out = new MimeBundle();
        out.data.putAll(data);
        out.metadata.putAll(metadata);
        return out;
    }

    @Override
    public String toString() {
        return "MimeBundle" + data.keySet();
    }
}
