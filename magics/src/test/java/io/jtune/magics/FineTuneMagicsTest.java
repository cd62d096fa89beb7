package io.jtune.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.engine.EngineInfo;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import io.jtune.kernel.magic.HelpMagic;
import io.jtune.kernel.magic.LsMagic;
import io.jtune.kernel.magic.MagicArgs;
import io.jtune.kernel.magic.MagicException;
import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.magics.render.EngineInfoRenderer;
import org.junit.jupiter.api.Test;

class FineTuneMagicsTest {
    private final MagicRegistry reg = MagicRegistry.discover();

    @Test
    void theDistributionsRegistryHasTheGeneralMagicsAndEngine() {
        assertTrue(reg.find("maven").isPresent());
        assertEquals(EngineMagic.DESCRIPTION, reg.find("engine").orElseThrow().description());
        assertTrue(LsMagic.listing(reg).contains("%engine"), LsMagic.listing(reg));
        assertTrue(HelpMagic.overview(reg).contains("%engine"));
    }

    @Test
    void engineReturnsTheEngineFactsAndTheyRenderAsATable() throws Exception {
        Object result = new EngineMagic().run(MagicArgs.parse(""), null);
        EngineInfo info = assertInstanceOf(EngineInfo.class, result);
        MimeBundle bundle = Renderers.render(info);
        assertInstanceOf(EngineInfoRenderer.class, Renderers.rendererFor(info));
        assertEquals(info.text(), bundle.get(MimeBundle.TEXT_PLAIN));
        String html = (String) bundle.get(MimeBundle.TEXT_HTML);
        assertTrue(html.contains("<th style=\"text-align:left\">DJL</th><td>" + info.djlVersion() + "</td>"), html);
        assertTrue(html.contains(info.pytorchVersion()), html);
    }

    @Test
    void engineTakesNoArguments() {
        assertThrows(MagicException.class, () -> new EngineMagic().run(MagicArgs.parse("gpu"), null));
    }
}
