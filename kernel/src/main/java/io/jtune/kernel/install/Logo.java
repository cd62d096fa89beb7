package io.jtune.kernel.install;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** The jtune logo, drawn rather than shipped: a rounded coffee-brown square with "jt". */
final class Logo {
    private static final Color BACKGROUND = new Color(0x6F, 0x3B, 0x1E);
    private static final Color ACCENT = new Color(0xF2, 0xA9, 0x3B);

    private Logo() {}

    static byte[] png(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            float arc = size * 0.3f;
            g.setColor(BACKGROUND);
            g.fill(new RoundRectangle2D.Float(0, 0, size, size, arc, arc));
            g.setColor(ACCENT);
            g.setStroke(new BasicStroke(Math.max(1f, size / 16f)));
            g.drawLine(size / 5, size * 4 / 5, size * 4 / 5, size * 4 / 5);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) (size * 0.55)));
            FontMetrics fm = g.getFontMetrics();
            String text = "jt";
            g.drawString(text, (size - fm.stringWidth(text)) / 2, (int) (size * 0.68));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String svg() {
        return """
                <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
                  <rect width="64" height="64" rx="10" fill="#6F3B1E"/>
                  <line x1="13" y1="51" x2="51" y2="51" stroke="#F2A93B" stroke-width="4"/>
                  <text x="32" y="44" font-family="sans-serif" font-weight="bold" font-size="35"
                        fill="#FFFFFF" text-anchor="middle">jt</text>
                </svg>
                """;
    }
}
