package io.jtune.kernel.display;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A PNG image to show as {@code image/png}. The bytes are checked to be PNG (signature and
 * header chunk) and copied, so the record cannot be changed after it is made.
 *
 * @param png the encoded PNG file
 */
public record Image(byte[] png) {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    public Image {
        Objects.requireNonNull(png, "png");
        if (!isPng(png)) {
            throw new IllegalArgumentException("not a PNG image (" + png.length + " bytes without a PNG signature and IHDR chunk)");
        }
        png = png.clone();
    }

    /** Encodes {@code image} (a {@link java.awt.image.BufferedImage}, for example) as PNG. */
    public static Image of(RenderedImage image) {
        Objects.requireNonNull(image, "image");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalArgumentException("ImageIO has no PNG writer for " + image.getClass().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the image as PNG", e);
        }
        return new Image(out.toByteArray());
    }

    /** Whether {@code bytes} start with the PNG signature followed by the IHDR chunk. */
    public static boolean isPng(byte[] bytes) {
        return bytes != null
                && bytes.length >= 24
                && Arrays.equals(bytes, 0, 8, SIGNATURE, 0, 8)
                && bytes[12] == 'I' && bytes[13] == 'H' && bytes[14] == 'D' && bytes[15] == 'R';
    }

    /** A copy of the PNG bytes. */
    @Override
    public byte[] png() {
        return png.clone();
    }

    /** Width in pixels, from the PNG header. */
    public int width() {
        return ByteBuffer.wrap(png, 16, 4).getInt();
    }

    /** Height in pixels, from the PNG header. */
    public int height() {
        return ByteBuffer.wrap(png, 20, 4).getInt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image other && Arrays.equals(png, other.png);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(png);
    }

    @Override
    public String toString() {
        return "PNG image " + width() + "x" + height() + " (" + png.length + " bytes)";
    }
}
