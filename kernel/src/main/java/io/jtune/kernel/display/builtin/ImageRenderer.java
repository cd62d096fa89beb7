package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.Image;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import java.awt.image.RenderedImage;
import java.util.Base64;
import java.util.Map;

/**
 * Built-in renderer of {@link Image} and of AWT images ({@link java.awt.image.BufferedImage} and
 * other {@link RenderedImage}s): {@code image/png} as base64 without line breaks, with
 * {@code width} and {@code height} metadata.
 */
public final class ImageRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof Image || value instanceof RenderedImage;
    }

    @Override
    public MimeBundle render(Object value) {
        Image image = value instanceof Image i ? i : Image.of((RenderedImage) value);
        return png(image.png(), image.width(), image.height()).put(MimeBundle.TEXT_PLAIN, image.toString());
    }

    @Override
    public int priority() {
        return 0;
    }

    /** A bundle with {@code png} as base64 {@code image/png} and its size as metadata. */
    static MimeBundle png(byte[] png, int width, int height) {
        return MimeBundle.of(MimeBundle.IMAGE_PNG, Base64.getEncoder().encodeToString(png))
                .putMetadata(MimeBundle.IMAGE_PNG, Map.of("width", width, "height", height));
    }
}
