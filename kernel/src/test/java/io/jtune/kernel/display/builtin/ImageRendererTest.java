package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.Image;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageRendererTest {
    private static BufferedImage redSquare(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static BufferedImage decode(MimeBundle b) throws Exception {
        byte[] png = Base64.getDecoder().decode((String) b.get(MimeBundle.IMAGE_PNG));
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void bufferedImageRendersAsPngWithSize() throws Exception {
        MimeBundle b = Renderers.render(redSquare(30, 20));
        BufferedImage back = decode(b);
        assertEquals(30, back.getWidth());
        assertEquals(20, back.getHeight());
        assertEquals(Color.RED.getRGB(), back.getRGB(5, 5));
        assertEquals(Map.of("width", 30, "height", 20), b.metadata().get(MimeBundle.IMAGE_PNG));
        assertEquals("PNG image 30x20 (" + Image.of(redSquare(30, 20)).png().length + " bytes)", b.get(MimeBundle.TEXT_PLAIN));
    }

    @Test
    void imageRecordReadsItsSizeFromThePngHeader() throws Exception {
        Image image = Image.of(redSquare(7, 9));
        assertEquals(7, image.width());
        assertEquals(9, image.height());
        Image again = new Image(image.png());
        assertEquals(image, again);
        assertEquals(image.hashCode(), again.hashCode());
        MimeBundle b = Renderers.render(again);
        assertEquals(7, decode(b).getWidth());
        assertEquals(Map.of("width", 7, "height", 9), b.metadata().get(MimeBundle.IMAGE_PNG));
    }

    @Test
    void imageRecordCopiesItsBytes() {
        byte[] png = Image.of(redSquare(2, 2)).png();
        Image image = new Image(png);
        png[20] = 99;
        assertEquals(2, image.height());
        assertNotSame(image.png(), image.png());
        assertArrayEquals(image.png(), image.png());
    }

    @Test
    void bytesThatAreNotPngAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Image(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new Image("GIF89a and more bytes here!".getBytes()));
        assertThrows(NullPointerException.class, () -> new Image(null));
    }
}
