package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MagicRegistryTest {
    private final LineMagic line = (a, c) -> "line";
    private final CellMagic cell = (a, b, c) -> "cell";

    @Test
    void a_registered_magic_is_found_by_name_with_or_without_percent_signs() {
        MagicRegistry reg = new MagicRegistry().registerLine("foo", "Does foo", "%foo X", line);
        MagicSpec spec = reg.find("foo").orElseThrow();
        assertEquals("foo", spec.name());
        assertEquals("Does foo", spec.description());
        assertEquals("%foo X", spec.usage());
        assertSame(line, spec.line());
        assertTrue(spec.hasLine());
        assertFalse(spec.hasCell());
        assertTrue(reg.find("%foo").isPresent());
        assertTrue(reg.find("%%foo").isPresent());
        assertEquals(Optional.empty(), reg.find("bar"));
    }

    @Test
    void line_and_cell_forms_of_one_name_make_one_spec() {
        MagicRegistry reg = new MagicRegistry()
                .registerLine("time", "Times code", "%time CODE", line)
                .registerCell("time", "Times a cell", "%%time", cell);
        MagicSpec spec = reg.find("time").orElseThrow();
        assertSame(line, spec.line());
        assertSame(cell, spec.cell());
        assertEquals("Times code", spec.description());
        assertEquals("%time CODE | %%time", spec.usage());
        assertEquals(1, reg.all().size());
    }

    @Test
    void registering_the_same_form_again_replaces_it() {
        LineMagic other = (a, c) -> "other";
        MagicRegistry reg = new MagicRegistry()
                .registerLine("x", "Old", "%x", line)
                .registerLine("x", "New", "%x NEW", other);
        assertSame(other, reg.find("x").orElseThrow().line());
        assertEquals("New", reg.find("x").orElseThrow().description());
    }

    @Test
    void aliases_resolve_to_their_target_even_through_another_alias() {
        MagicRegistry reg = new MagicRegistry()
                .registerLine("maven", "Resolves", "%maven G:A:V", line)
                .alias("addMavenDependency", "maven")
                .alias("mvn", "addMavenDependency");
        assertEquals("maven", reg.find("addMavenDependency").orElseThrow().name());
        assertEquals("maven", reg.find("%mvn").orElseThrow().name());
        assertEquals(Map.of("addMavenDependency", "maven", "mvn", "maven"), reg.aliases());
        assertEquals(List.of("addMavenDependency", "mvn"), reg.aliasesOf("maven"));
        assertEquals(1, reg.all().size());
    }

    @Test
    void an_alias_needs_an_existing_target_and_a_free_name() {
        MagicRegistry reg = new MagicRegistry().registerLine("a", "A", "%a", line)
                .registerLine("b", "B", "%b", line);
        assertThrows(IllegalArgumentException.class, () -> reg.alias("c", "nothing"));
        assertThrows(IllegalArgumentException.class, () -> reg.alias("b", "a"));
    }

    @Test
    void registering_a_magic_under_an_alias_name_replaces_the_alias() {
        LineMagic own = (a, c) -> "own";
        MagicRegistry reg = new MagicRegistry().registerLine("a", "A", "%a", line)
                .alias("b", "a").registerLine("b", "B", "%b", own);
        assertSame(own, reg.find("b").orElseThrow().line());
        assertTrue(reg.aliases().isEmpty());
    }

    @Test
    void bad_names_and_missing_magics_are_refused() {
        MagicRegistry reg = new MagicRegistry();
        assertThrows(IllegalArgumentException.class, () -> reg.registerLine("%x", "", "", line));
        assertThrows(IllegalArgumentException.class, () -> reg.registerLine("a b", "", "", line));
        assertThrows(IllegalArgumentException.class, () -> reg.registerLine(" ", "", "", line));
        assertThrows(IllegalArgumentException.class, () -> reg.registerLine("x", "", "", null));
        assertThrows(IllegalArgumentException.class, () -> reg.registerCell("x", "", "", null));
    }

    @Test
    void a_blank_usage_defaults_to_the_bare_name() {
        MagicRegistry reg = new MagicRegistry().registerLine("x", "X", " ", line);
        assertEquals("%x", reg.find("x").orElseThrow().usage());
    }

    @Test
    void all_is_sorted_by_name() {
        MagicRegistry reg = new MagicRegistry().registerLine("zeta", "", "", line)
                .registerCell("alpha", "", "", cell).registerLine("mid", "", "", line);
        assertEquals(List.of("alpha", "mid", "zeta"),
                reg.all().stream().map(MagicSpec::name).toList());
    }

    @Test
    void suggestions_find_typos_case_slips_and_prefixes_but_not_strangers() {
        MagicRegistry reg = GeneralMagics.registry();
        assertEquals(Optional.of("classpath"), reg.suggest("classpath"));
        assertEquals(Optional.of("maven"), reg.suggest("mavne"));
        assertEquals(Optional.of("maven"), reg.suggest("Maven"));
        assertEquals(Optional.of("lsmagic"), reg.suggest("lsmagics"));
        assertEquals(Optional.of("classpath"), reg.suggest("class"));
        assertEquals(Optional.of("addMavenRepo"), reg.suggest("addmavenrepo"));
        assertEquals(Optional.empty(), reg.suggest("xyzzy"));
        assertEquals(Optional.empty(), reg.suggest("ab"));
    }

    @Test
    void the_builtins_are_all_registered_with_descriptions_and_usages() {
        MagicRegistry reg = GeneralMagics.registry();
        assertEquals(List.of("classpath", "help", "jars", "load", "loadFromPOM", "lsmagic", "maven", "mavenRepo",
                "time"), reg.all().stream().map(MagicSpec::name).toList());
        for (MagicSpec s : reg.all()) {
            assertFalse(s.description().isBlank(), s.name());
            assertTrue(s.usage().contains("%" + s.name()), s.name());
            assertFalse(s.description().contains("\n"), s.name());
        }
        assertTrue(reg.find("time").orElseThrow().hasCell());
        assertEquals("maven", reg.find("addMavenDependency").orElseThrow().name());
        assertEquals("maven", reg.find("addMavenDependencies").orElseThrow().name());
        assertEquals("mavenRepo", reg.find("addMavenRepo").orElseThrow().name());
    }

    @Test
    void concurrent_registration_and_lookup_lose_nothing() throws Exception {
        MagicRegistry reg = new MagicRegistry();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        reg.registerLine("m" + thread + "_" + i, "", "", line);
                        reg.find("m0_0");
                        reg.all();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(800, reg.all().size());
    }
}
