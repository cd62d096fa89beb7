package io.jtune.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.magic.MagicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/magics.md} is the full registry written out: the kernel's general magics and those
 * every module of the distribution contributes ({@link MagicRegistry#discover()}). This test keeps
 * the two equal. After adding or changing a magic, regenerate it with
 * {@code mvn -pl magics -am test -Dtest=MagicsDocTest -Dsurefire.failIfNoSpecifiedTests=false -Djtune.writeDocs=true}.
 */
class MagicsDocTest {
    private static final Path DOC = Path.of("..", "docs", "magics.md");

    static String render(MagicRegistry registry) {
        StringBuilder md = new StringBuilder();
        md.append("# Magics\n\n")
                .append("Generated from the magic registry: the kernel's magics and those the distribution's modules\n")
                .append("contribute (`MagicsDocTest` in the magics module checks it). In a notebook,\n")
                .append("`%lsmagic` lists them and `%help NAME` explains one. Any line magic takes `as NAME` to bind\n")
                .append("its result to a Java variable of the result's type.\n\n")
                .append("| magic | what it does | usage | aliases |\n|---|---|---|---|\n");
        for (MagicSpec spec : registry.all()) {
            List<String> aliases = registry.aliasesOf(spec.name());
            String forms = (spec.hasLine() ? "`%" + spec.name() + "`" : "")
                    + (spec.hasLine() && spec.hasCell() ? " " : "")
                    + (spec.hasCell() ? "`%%" + spec.name() + "`" : "");
            md.append("| ").append(forms)
                    .append(" | ").append(spec.description())
                    .append(" | `").append(spec.usage().replace("|", "\\|").replace("\n", "` `")).append('`')
                    .append(" | ").append(aliases.isEmpty() ? "" : "`%" + String.join("`, `%", aliases) + "`")
                    .append(" |\n");
        }
        return md.toString();
    }

    @Test
    void magicsDocumentMatchesTheRegistry() throws Exception {
        String expected = render(MagicRegistry.discover());
        if (Boolean.getBoolean("jtune.writeDocs")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(DOC, StandardCharsets.UTF_8),
                "docs/magics.md is out of date; regenerate it with -Djtune.writeDocs=true (see this test's javadoc)");
    }
}
