package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelpAndLsMagicTest {
    private final MagicRegistry reg = GeneralMagics.registry();
    private final RecordingContext ctx = new RecordingContext(reg, Path.of("."));

    @Test
    void lsmagic_lists_line_magics_cell_magics_and_aliases() throws MagicException {
        String text = (String) MagicInvoker.runLine(reg, "lsmagic", "", ctx);
        assertTrue(text.startsWith("Line magics:\n"), text);
        assertTrue(text.contains("\n  %classpath  "), text);
        assertTrue(text.contains("\n  %maven  "), text);
        assertTrue(text.contains(MavenMagic.DESCRIPTION), text);
        assertTrue(text.contains("Cell magics:\n  %%loadFromPOM  "), text);
        assertTrue(text.contains("\n  %%time  "), text);
        assertTrue(text.contains("Aliases:\n"), text);
        assertTrue(text.contains("  %addMavenDependency -> %maven\n"), text);
        assertTrue(text.contains("  %addMavenRepo -> %mavenRepo\n"), text);
        assertTrue(text.indexOf("%classpath") < text.indexOf("%time"), text);
    }

    @Test
    void lsmagic_aligns_descriptions_in_one_column() {
        String text = LsMagic.listing(reg);
        int column = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("  %") && !line.contains("->")) {
                int at = line.indexOf(' ', 3);
                while (line.charAt(at) == ' ') {
                    at++;
                }
                if (column < 0) {
                    column = at;
                }
                assertEquals(column, at, line);
            }
        }
    }

    @Test
    void help_for_a_name_gives_description_usage_and_aliases() throws MagicException {
        String text = (String) MagicInvoker.runLine(reg, "help", "maven", ctx);
        assertEquals("%maven (line magic): " + MavenMagic.DESCRIPTION + "\nUsage: " + MavenMagic.USAGE
                + "\nAliases: %addMavenDependencies, %addMavenDependency", text);
    }

    @Test
    void help_accepts_percent_signs_and_aliases() throws MagicException {
        String text = (String) MagicInvoker.runLine(reg, "help", "%addMavenRepo", ctx);
        assertTrue(text.startsWith("%addMavenRepo is another name for %mavenRepo.\n"), text);
        assertTrue(text.contains("Usage: " + MavenRepoMagic.USAGE), text);
        String time = (String) MagicInvoker.runLine(reg, "help", "%%time", ctx);
        assertTrue(time.startsWith("%time (line and cell magic): "), time);
    }

    @Test
    void help_alone_gives_an_overview() throws MagicException {
        String text = (String) MagicInvoker.runLine(reg, "help", "", ctx);
        assertTrue(text.contains("Line magics: %classpath %help %jars %load %loadFromPOM %lsmagic %maven"
                + " %mavenRepo %time"), text);
        assertTrue(text.contains("Cell magics: %%loadFromPOM %%time"), text);
        assertTrue(text.contains("%help NAME"), text);
        assertTrue(text.contains("as VAR"), text);
    }

    @Test
    void help_for_an_unknown_name_suggests_a_close_one() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "help", "lod", ctx));
        assertEquals("Failed to run %help: Unknown magic %lod. Did you mean %load?"
                + " (%lsmagic lists them)\nUsage: " + HelpMagic.USAGE, e.getMessage());
    }
}
