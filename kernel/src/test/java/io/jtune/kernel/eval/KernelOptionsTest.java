package io.jtune.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelOptionsTest {
    @TempDir
    Path dir;

    @Test
    void jtuneVariablesSetClassPathCompilerOptionsStartupCodeAndTimeLimit() throws IOException {
        Path script = Files.writeString(dir.resolve("start.jsh"), "int fromFile = 1;");
        EvaluatorOptions o = KernelOptions.from(Map.of(
                "JTUNE_CLASSPATH", dir + "/a.jar:" + dir + "/classes",
                "JTUNE_COMPILER_OPTS", "--enable-preview  --release 17",
                "JTUNE_STARTUP_SCRIPTS_PATH", script.toString(),
                "JTUNE_STARTUP_SCRIPT", "int inline = 2;",
                "JTUNE_TIMEOUT", "30 SECONDS"));
        assertEquals(List.of(dir.resolve("a.jar"), dir.resolve("classes")), o.classpath());
        assertEquals(List.of("--enable-preview", "--release", "17"), o.compilerOptions());
        assertEquals(List.of("int fromFile = 1;", "int inline = 2;"), o.startupSnippets());
        assertEquals(Duration.ofSeconds(30), o.timeout());
    }

    @Test
    void jjavaAndIjavaNamesAreReadWhenNoJtuneNameIsSet() throws IOException {
        EvaluatorOptions o = KernelOptions.from(Map.of(
                "JJAVA_COMPILER_OPTS", "-Xlint", "IJAVA_COMPILER_OPTS", "-ignored",
                "IJAVA_TIMEOUT", "1500", "JTUNE_STARTUP_SCRIPT", "int a;", "JJAVA_STARTUP_SCRIPT", "int b;"));
        assertEquals(List.of("-Xlint"), o.compilerOptions());
        assertEquals(Duration.ofMillis(1500), o.timeout());
        assertEquals(List.of("int a;"), o.startupSnippets(), "the JTUNE_ name wins");
    }

    @Test
    void timeLimitsReadAsJjavaWritesThemAndBelowOneMeansNone() throws IOException {
        assertEquals(Duration.ZERO, KernelOptions.timeout("T", null));
        assertEquals(Duration.ZERO, KernelOptions.timeout("T", "-1"));
        assertEquals(Duration.ZERO, KernelOptions.timeout("T", "0"));
        assertEquals(Duration.ofMillis(250), KernelOptions.timeout("T", "250"));
        assertEquals(Duration.ofMillis(500), KernelOptions.timeout("T", "500ms"));
        assertEquals(Duration.ofSeconds(10), KernelOptions.timeout("T", "10s"));
        assertEquals(Duration.ofMinutes(2), KernelOptions.timeout("T", "2 minutes"));
        assertEquals(Duration.ofHours(1), KernelOptions.timeout("T", "1 HOURS"));
        IOException bad = assertThrows(IOException.class, () -> KernelOptions.timeout("JTUNE_TIMEOUT", "soon"));
        assertTrue(bad.getMessage().startsWith("JTUNE_TIMEOUT=soon: not a duration"), bad.getMessage());
        IOException unit = assertThrows(IOException.class, () -> KernelOptions.timeout("JTUNE_TIMEOUT", "3 fortnights"));
        assertTrue(unit.getMessage().contains("unknown unit 'fortnights'"), unit.getMessage());
    }

    @Test
    void aMissingStartupScriptIsNamedWithTheVariableThatGaveIt() {
        IOException e = assertThrows(IOException.class,
                () -> KernelOptions.from(Map.of("IJAVA_STARTUP_SCRIPTS_PATH", dir + "/nope.jsh")));
        assertTrue(e.getMessage().startsWith("IJAVA_STARTUP_SCRIPTS_PATH: "), e.getMessage());
    }
}
