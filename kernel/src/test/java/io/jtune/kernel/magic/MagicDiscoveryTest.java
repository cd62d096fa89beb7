package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MagicDiscoveryTest {
    private final MagicRegistry reg = MagicRegistry.discover();
    private final RecordingContext ctx = new RecordingContext(reg, Path.of("."));

    @Test
    void discoveryFindsTheGeneralMagicsAndAContributedOne() {
        assertTrue(reg.find("maven").isPresent());
        assertTrue(reg.find("lsmagic").isPresent());
        assertEquals("greet", reg.find("hello").orElseThrow().name());
    }

    @Test
    void aContributedMagicRunsAndShowsInLsmagicAndHelp() throws MagicException {
        assertEquals("Hello, Ada!", MagicInvoker.runLine(reg, "greet", "Ada", ctx));
        String listing = (String) MagicInvoker.runLine(reg, "lsmagic", "", ctx);
        assertTrue(listing.contains("%greet") && listing.contains(GreetMagics.DESCRIPTION), listing);
        assertTrue(listing.contains("%hello -> %greet"), listing);
        String help = (String) MagicInvoker.runLine(reg, "help", "greet", ctx);
        assertTrue(help.startsWith("%greet (line magic): " + GreetMagics.DESCRIPTION), help);
        assertTrue(help.contains("Usage: %greet NAME"), help);
    }

    @Test
    void aNameTwoProvidersRegisterFailsNamingBoth() {
        MagicProvider second = r -> r.registerLine("time", "another %time", "%time", (a, c) -> null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MagicRegistry.of(List.of(new GeneralMagics(), second)));
        assertTrue(e.getMessage().contains("%time"), e.getMessage());
        assertTrue(e.getMessage().contains(GeneralMagics.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(second.getClass().getName()), e.getMessage());
    }

    @Test
    void anAliasCollidingWithAnotherProvidersNameFailsToo() {
        MagicProvider aliasing = r -> r.registerLine("greet2", "", "", (a, c) -> null).alias("jars", "greet2");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MagicRegistry.of(List.of(new GeneralMagics(), aliasing)));
        assertTrue(e.getMessage().contains("%jars"), e.getMessage());
    }
}
