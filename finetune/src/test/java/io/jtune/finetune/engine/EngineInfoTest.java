package io.jtune.finetune.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineInfoTest {
    @Test
    void theCurrentEngineIsPyTorchOnAtLeastTheCpu() {
        EngineInfo info = EngineInfo.current();
        assertEquals("PyTorch", info.engine());
        assertFalse(info.djlVersion().isBlank());
        assertTrue(info.pytorchVersion().matches("\\d+\\.\\d+\\.\\d+.*"), info.pytorchVersion());
        assertFalse(info.devices().isEmpty());
        assertTrue(info.threads() > 0 && info.interopThreads() > 0, info.toString());
        String text = info.text();
        assertTrue(text.contains("DJL:          " + info.djlVersion()), text);
        assertTrue(text.contains("devices:      " + info.devices().get(0)), text);
    }

    @Test
    void theFlavourComesFromTheNativeLibrarysFolderName() {
        assertEquals("cpu", EngineInfo.flavour("/root/.djl.ai/pytorch/2.7.1-cpu-linux-x86_64", "2.7.1"));
        assertEquals("cu124", EngineInfo.flavour("/c/pytorch/2.7.1-cu124-linux-x86_64/lib", "2.7.1"));
        assertEquals("", EngineInfo.flavour("/usr/lib/libtorch", "2.7.1"));
        assertEquals("cpu", EngineInfo.flavour("/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64", "2.7.1"),
                "the build date DJL puts in the folder name is not the flavour");
        assertEquals("", EngineInfo.flavour(null, "2.7.1"));
    }
}
