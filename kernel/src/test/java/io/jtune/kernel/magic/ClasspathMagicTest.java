package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClasspathMagicTest {
    @TempDir
    Path dir;
    private final MagicRegistry reg = GeneralMagics.registry();
    private RecordingContext ctx;

    @BeforeEach
    void files() throws IOException {
        ctx = new RecordingContext(reg, dir);
        Files.createDirectories(dir.resolve("lib/sub"));
        Files.createDirectories(dir.resolve("classes/com/x"));
        Files.createDirectories(dir.resolve("empty"));
        for (String f : List.of("lib/a.jar", "lib/b.jar", "lib/notes.txt", "lib/sub/c.jar",
                "classes/com/x/Y.class", "d.zip", "readme.md")) {
            Files.writeString(dir.resolve(f), "x");
        }
    }

    private String abs(String relative) {
        return dir.resolve(relative).toAbsolutePath().normalize().toString();
    }

    private Object line(String name, String args) throws MagicException {
        return MagicInvoker.runLine(reg, name, args, ctx);
    }

    @Test
    void classpath_add_takes_paths_relative_to_the_working_directory() throws MagicException {
        assertEquals(List.of(abs("lib/a.jar")), line("classpath", "add lib/a.jar"));
        assertEquals(List.of(dir.resolve("lib/a.jar").toAbsolutePath().normalize()), ctx.classpath);
    }

    @Test
    void classpath_without_add_works_the_same() throws MagicException {
        assertEquals(List.of(abs("lib/a.jar"), abs("d.zip")), line("classpath", "lib/a.jar d.zip"));
    }

    @Test
    void a_glob_adds_every_matching_jar_in_order() throws MagicException {
        assertEquals(List.of(abs("lib/a.jar"), abs("lib/b.jar")), line("classpath", "add lib/*.jar"));
    }

    @Test
    void a_double_star_glob_crosses_folders() throws MagicException {
        assertEquals(List.of(abs("lib/a.jar"), abs("lib/b.jar"), abs("lib/sub/c.jar")),
                line("jars", "lib/**.jar"));
    }

    @Test
    void a_folder_with_jars_adds_each_jar() throws MagicException {
        assertEquals(List.of(abs("lib/a.jar"), abs("lib/b.jar")), line("classpath", "lib"));
    }

    @Test
    void a_folder_without_jars_is_added_as_a_class_folder() throws MagicException {
        assertEquals(List.of(abs("classes")), line("classpath", "add classes"));
    }

    @Test
    void an_absolute_path_is_taken_as_it_is() throws MagicException {
        assertEquals(List.of(abs("lib/b.jar")), line("classpath", "'" + abs("lib/b.jar") + "'"));
    }

    @Test
    void entries_already_on_the_class_path_are_not_added_twice() throws MagicException {
        line("classpath", "lib/a.jar");
        assertEquals(List.of(abs("lib/b.jar")), line("classpath", "lib/*.jar"));
        assertEquals(2, ctx.classpath.size());
        assertTrue(ctx.printed().contains("Already on the class path: " + abs("lib/a.jar")),
                ctx.printed());
    }

    @Test
    void a_missing_path_is_named_in_the_error() {
        MagicException e = assertThrows(MagicException.class,
                () -> line("classpath", "add lib/missing.jar"));
        assertTrue(e.getMessage().startsWith("Failed to run %classpath: No such file or folder:"
                + " lib/missing.jar"), e.getMessage());
        assertTrue(e.getMessage().contains("\nUsage: %classpath"), e.getMessage());
        assertTrue(ctx.classpath.isEmpty());
    }

    @Test
    void a_glob_that_matches_nothing_is_named_in_the_error() {
        MagicException e = assertThrows(MagicException.class, () -> line("jars", "lib/*.war"));
        assertTrue(e.getMessage().contains("Nothing matches lib/*.war"), e.getMessage());
        MagicException noFolder = assertThrows(MagicException.class, () -> line("jars", "nope/*.jar"));
        assertTrue(noFolder.getMessage().contains("Nothing matches nope/*.jar"), noFolder.getMessage());
    }

    @Test
    void a_file_that_is_not_a_jar_is_refused() {
        MagicException e = assertThrows(MagicException.class, () -> line("classpath", "readme.md"));
        assertTrue(e.getMessage().contains("readme.md is not a jar nor a folder"), e.getMessage());
    }

    @Test
    void classpath_with_no_arguments_lists_the_class_path() throws MagicException {
        assertTrue(((String) line("classpath", "")).contains("no added entries"));
        line("jars", "lib");
        String listing = (String) line("classpath", "");
        assertEquals("Class path (2 entries):\n  " + abs("lib/a.jar") + "\n  " + abs("lib/b.jar"),
                listing);
    }

    @Test
    void jars_adds_a_folder_s_jars_and_refuses_folders_without_any() {
        assertThrows(MagicException.class, () -> line("jars", "classes"));
        assertThrows(MagicException.class, () -> line("jars", "d.zip"));
        assertThrows(MagicException.class, () -> line("jars", ""));
        MagicException e = assertThrows(MagicException.class, () -> line("jars", "empty"));
        assertTrue(e.getMessage().contains("No jars in folder empty"), e.getMessage());
    }

    @Test
    void a_glob_skips_files_that_are_not_jars_and_opens_matching_folders() throws MagicException {
        assertEquals(List.of(abs("lib/a.jar"), abs("lib/b.jar"), abs("lib/sub/c.jar")),
                line("jars", "lib/*"));
    }

    @Test
    void the_result_can_be_bound_with_as() throws MagicException {
        line("jars", "lib/*.jar as deps");
        assertEquals(List.of(abs("lib/a.jar"), abs("lib/b.jar")), ctx.bindings.get("deps"));
    }

    @Test
    void options_are_refused_with_a_hint_about_quoting() {
        MagicException e = assertThrows(MagicException.class, () -> line("classpath", "a=b.jar"));
        assertTrue(e.getMessage().contains("quote a path"), e.getMessage());
    }
}
