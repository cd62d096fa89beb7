package io.jtune.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtune.kernel.protocol.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelspecInstallerTest {
    @TempDir
    Path prefix;

    @Test
    void installWritesKernelJsonAndLogosUnderThePrefix() throws Exception {
        System.setProperty("jtune.launcher", "/opt/jtune/jtune");
        try {
            assertEquals(prefix.resolve("share/jupyter/kernels/jt-test"), KernelspecInstaller.install(prefix, "jt-test", KernelspecInstaller.DEFAULT_JAVA_OPTS));
        } finally {
            System.clearProperty("jtune.launcher");
        }
        Path dir = prefix.resolve("share/jupyter/kernels/jt-test");
        JsonNode spec = Json.MAPPER.readTree(dir.resolve("kernel.json").toFile());
        assertEquals("/opt/jtune/jtune", spec.path("argv").get(0).asText());
        assertEquals("kernel", spec.path("argv").get(1).asText());
        assertEquals("{connection_file}", spec.path("argv").get(2).asText());
        assertEquals("Java (jtune)", spec.path("display_name").asText());
        assertEquals("java", spec.path("language").asText());
        assertEquals("message", spec.path("interrupt_mode").asText());
        assertEquals("5.4", spec.path("kernel_protocol_version").asText());
        assertTrue(spec.path("env").path("JTUNE_JAVA_OPTS").asText().contains("-Dai.djl.offline=true"));
        BufferedImage big = ImageIO.read(dir.resolve("logo-64x64.png").toFile());
        BufferedImage small = ImageIO.read(dir.resolve("logo-32x32.png").toFile());
        assertEquals(64, big.getWidth());
        assertEquals(32, small.getHeight());

        assertEquals(Optional.of(dir), KernelspecInstaller.uninstall(prefix, "jt-test"));
        assertFalse(Files.exists(dir));
        assertEquals(Optional.empty(), KernelspecInstaller.uninstall(prefix, "jt-test"));
    }

    @Test
    void aBadNameOrAMissingLauncherIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> KernelspecInstaller.install(prefix, "a b", ""));
        System.clearProperty("jtune.launcher");
        assertThrows(IllegalStateException.class, () -> KernelspecInstaller.install(prefix, "ok", ""));
    }

    @Test
    void theLauncherDefaultsToTheKernelspecOptionsWithTheirMemoryLimits() throws Exception {
        java.nio.file.Path launcher = java.nio.file.Path.of("..", "jtune");
        String script = java.nio.file.Files.readString(launcher);
        assertTrue(script.contains("${JTUNE_JAVA_OPTS:-" + KernelspecInstaller.DEFAULT_JAVA_OPTS + "}"),
                "./jtune and kernel.json start the kernel with the same default options");
        assertTrue(KernelspecInstaller.DEFAULT_JAVA_OPTS.contains("-XX:MaxRAMPercentage=25")
                && KernelspecInstaller.DEFAULT_JAVA_OPTS.contains("-XX:ErgoHeapSizeLimit="), "a deliberate heap limit");
    }
}
