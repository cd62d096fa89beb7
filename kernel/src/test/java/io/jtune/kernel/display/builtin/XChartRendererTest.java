package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.PieChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class XChartRendererTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @AfterEach
    void restoreSvg() {
        XChartRenderer.setSvg(false);
    }

    private static XYChart lossCurve() {
        XYChart chart = new XYChartBuilder().width(600).height(400).title("loss").xAxisTitle("step").yAxisTitle("loss").build();
        chart.addSeries("train", new double[] {1, 2, 3, 4}, new double[] {2.0, 1.2, 0.8, 0.6});
        return chart;
    }

    @Test
    void runsHeadless() {
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void xyChartRendersAsPngOnlyWithADescription() throws Exception {
        MimeBundle b = Renderers.render(lossCurve());

        assertEquals(java.util.Set.of(MimeBundle.IMAGE_PNG, MimeBundle.TEXT_PLAIN), b.data().keySet());
        String base64 = (String) b.get(MimeBundle.IMAGE_PNG);
        assertFalse(base64.contains("\n") || base64.contains("\r"), "base64 without line breaks");
        byte[] png = Base64.getDecoder().decode(base64);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(600, decoded.getWidth());
        assertEquals(400, decoded.getHeight());
        assertEquals(Map.of("width", 600, "height", 400), b.metadata().get(MimeBundle.IMAGE_PNG));
        assertEquals("XYChart 'loss' (600x400)", b.get(MimeBundle.TEXT_PLAIN));
    }

    @Test
    void svgCanBeSwitchedOnForEveryChart() {
        XChartRenderer.setSvg(true);
        MimeBundle b = Renderers.render(lossCurve());
        assertTrue(b.has(MimeBundle.IMAGE_PNG));
        String svg = (String) b.get(MimeBundle.IMAGE_SVG);
        assertTrue(svg.contains("<svg"), () -> svg.substring(0, Math.min(200, svg.length())));
    }

    @Test
    void requestingPngAndSvgGivesBoth() {
        MimeBundle b = Renderers.render(lossCurve(), MimeBundle.IMAGE_PNG, MimeBundle.IMAGE_SVG);
        assertEquals(java.util.Set.of(MimeBundle.IMAGE_PNG, MimeBundle.IMAGE_SVG, MimeBundle.TEXT_PLAIN), b.data().keySet());
    }

    @Test
    void requestingOnlySvgDropsThePng() {
        MimeBundle b = Renderers.render(lossCurve(), MimeBundle.IMAGE_SVG);
        assertEquals(java.util.Set.of(MimeBundle.IMAGE_SVG, MimeBundle.TEXT_PLAIN), b.data().keySet());
        assertTrue(((String) b.get(MimeBundle.IMAGE_SVG)).contains("<svg"));
    }

    @Test
    void categoryAndPieChartsRenderToo() {
        CategoryChart bars = new CategoryChartBuilder().width(300).height(200).build();
        bars.addSeries("a", new double[] {1, 2}, new double[] {3, 4});
        MimeBundle b = Renderers.render(bars);
        assertTrue(b.has(MimeBundle.IMAGE_PNG));
        assertEquals("CategoryChart (300x200)", b.get(MimeBundle.TEXT_PLAIN));

        PieChart pie = new PieChartBuilder().width(200).height(200).title("share").build();
        pie.addSeries("x", 1);
        pie.addSeries("y", 2);
        MimeBundle p = Renderers.render(pie);
        byte[] png = Base64.getDecoder().decode((String) p.get(MimeBundle.IMAGE_PNG));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
        assertEquals("PieChart 'share' (200x200)", p.get(MimeBundle.TEXT_PLAIN));
    }
}
