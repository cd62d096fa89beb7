package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadFromPomMagicTest {
    @TempDir
    Path dir;
    private TestMavenRepository repo;
    private MavenResolver resolver;
    private MagicRegistry reg;
    private RecordingContext ctx;

    @BeforeEach
    void setUp() throws IOException {
        repo = new TestMavenRepository(dir.resolve("repo"))
                .publish("org.demo:app:2.0", "org.demo:lib:1.1")
                .publish("org.demo:lib:1.1")
                .publish("org.demo:lib:1.2")
                .publish("org.demo:junk:1.0")
                .publish("org.demo:testkit:3.0");
        resolver = new MavenResolver(dir.resolve("local"), List.of(), null);
        MavenResolverSource source = MavenResolverSource.of(resolver);
        LoadFromPomMagic magic = new LoadFromPomMagic(source);
        reg = new MagicRegistry()
                .registerLine("loadFromPOM", LoadFromPomMagic.DESCRIPTION, LoadFromPomMagic.LINE_USAGE, magic)
                .registerCell("loadFromPOM", LoadFromPomMagic.DESCRIPTION, LoadFromPomMagic.CELL_USAGE, magic);
        ctx = new RecordingContext(reg, dir);
    }

    @AfterEach
    void close() {
        resolver.close();
    }

    private String jar(String artifact, String version) {
        return dir.resolve("local/org/demo/" + artifact + "/" + version + "/" + artifact + "-" + version + ".jar")
                .toAbsolutePath().normalize().toString();
    }

    private String project(String body) {
        return "<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>me</groupId><artifactId>nb</artifactId>"
                + "<version>1</version>\n" + body + "</project>\n";
    }

    @Test
    void aPomFileAddsItsCompileDependenciesWithPropertiesRepositoriesAndManagedVersions() throws Exception {
        Files.writeString(dir.resolve("pom.xml"), project("""
                  <properties><demo.version>2.0</demo.version></properties>
                  <repositories><repository><id>demo</id><url>%s</url></repository></repositories>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>org.demo</groupId><artifactId>lib</artifactId><version>1.2</version></dependency>
                  </dependencies></dependencyManagement>
                  <dependencies>
                    <dependency><groupId>org.demo</groupId><artifactId>app</artifactId><version>${demo.version}</version></dependency>
                    <dependency><groupId>org.demo</groupId><artifactId>testkit</artifactId><version>3.0</version><scope>test</scope></dependency>
                  </dependencies>
                """.formatted(repo.url())));
        Object result = MagicInvoker.runLine(reg, "loadFromPOM", "pom.xml", ctx);
        assertEquals(List.of(jar("app", "2.0"), jar("lib", "1.2")), result,
                "lib's version comes from dependencyManagement; the test scope is left out");
        assertTrue(ctx.printed().contains("Maven repository demo: " + repo.url()), ctx.printed());
        assertTrue(ctx.printed().contains("Resolved org.demo:app:2.0 (2 jars)"), ctx.printed());
        Object withTests = MagicInvoker.runLine(reg, "loadFromPOM", "pom.xml test", ctx);
        assertEquals(List.of(jar("testkit", "3.0")), withTests);
    }

    @Test
    void theCellMagicTakesLooseDependencyAndRepositoryElementsWithExclusions() throws Exception {
        String body = """
                <repository>
                  <id>demo</id>
                  <url>%s</url>
                </repository>
                <dependency>
                  <groupId>org.demo</groupId>
                  <artifactId>app</artifactId>
                  <version>2.0</version>
                  <exclusions><exclusion><groupId>org.demo</groupId><artifactId>lib</artifactId></exclusion></exclusions>
                </dependency>
                """.formatted(repo.url());
        Object result = MagicInvoker.runCell(reg, "loadFromPOM", "", body, ctx);
        assertEquals(List.of(jar("app", "2.0")), result);
        assertEquals(List.of(Path.of(jar("app", "2.0"))), ctx.classpath);
    }

    @Test
    void mistakesAreReportedWithTheFileAndLine() throws Exception {
        MagicException xml = assertThrows(MagicException.class,
                () -> MagicInvoker.runCell(reg, "loadFromPOM", "", "<dependency>\n<groupId>x</groupId>\n</dependenc>", ctx));
        assertTrue(xml.getMessage().contains("cell:4: not valid XML"), xml.getMessage());
        MagicException property = assertThrows(MagicException.class, () -> MagicInvoker.runCell(reg, "loadFromPOM", "",
                "<dependency>\n  <groupId>org.demo</groupId>\n  <artifactId>app</artifactId>\n"
                        + "  <version>${nope}</version>\n</dependency>", ctx));
        assertTrue(property.getMessage().contains("cell:2: <dependency>: ${nope} is not defined"), property.getMessage());
        MagicException noVersion = assertThrows(MagicException.class, () -> MagicInvoker.runCell(reg, "loadFromPOM", "",
                "<dependency><groupId>org.demo</groupId><artifactId>app</artifactId></dependency>", ctx));
        assertTrue(noVersion.getMessage().contains("org.demo:app has no <version>"), noVersion.getMessage());
        MagicException scope = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "loadFromPOM", "pom.xml weird", ctx));
        assertTrue(scope.getMessage().contains("unknown scope 'weird'"), scope.getMessage());
        MagicException missing = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "loadFromPOM", "nowhere/pom.xml", ctx));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        MagicException unresolvable = assertThrows(MagicException.class, () -> MagicInvoker.runCell(reg, "loadFromPOM",
                "", "<dependency><groupId>org.demo</groupId><artifactId>ghost</artifactId><version>9</version></dependency>",
                ctx));
        assertTrue(unresolvable.getMessage().contains("org.demo:ghost"), unresolvable.getMessage());
    }

    @Test
    void aSystemDependencyAddsItsJarAsItIs() throws Exception {
        Path lib = Files.write(dir.resolve("vendor.jar"), new byte[] {80, 75, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Files.writeString(dir.resolve("pom.xml"), project("""
                  <dependencies><dependency><groupId>v</groupId><artifactId>vendor</artifactId><version>1</version>
                    <scope>system</scope><systemPath>${project.basedir}/vendor.jar</systemPath></dependency></dependencies>
                """.replace("${project.basedir}", dir.toString())));
        assertEquals(List.of(lib.toString()), MagicInvoker.runLine(reg, "loadFromPOM", "pom.xml", ctx));
    }

    /** Writes a POM-only artifact (a BOM or a parent) with its sha1 into the test repository. */
    private void publishPom(String group, String artifact, String version, String managedBody) throws Exception {
        Path d = repo.root().resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
        Files.createDirectories(d);
        String pom = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>" + group + "</groupId><artifactId>" + artifact + "</artifactId><version>" + version
                + "</version><packaging>pom</packaging><dependencyManagement><dependencies>" + managedBody
                + "</dependencies></dependencyManagement></project>";
        byte[] bytes = pom.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = d.resolve(artifact + "-" + version + ".pom");
        Files.write(file, bytes);
        Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(bytes)));
    }

    @Test
    void versionsComeFromAnImportedBomOrTheParentPom() throws Exception {
        publishPom("org.demo", "bom", "1.0",
                "<dependency><groupId>org.demo</groupId><artifactId>lib</artifactId><version>1.2</version></dependency>");
        publishPom("org.demo", "parent", "5", "<dependency><groupId>org.demo</groupId><artifactId>junk</artifactId>"
                + "<version>1.0</version></dependency>");
        String repository = "<repositories><repository><id>demo</id><url>" + repo.url() + "</url></repository></repositories>";
        Files.writeString(dir.resolve("bom-pom.xml"), project(repository + """
                  <dependencyManagement><dependencies>
                    <dependency><groupId>org.demo</groupId><artifactId>bom</artifactId><version>1.0</version>
                      <type>pom</type><scope>import</scope></dependency>
                  </dependencies></dependencyManagement>
                  <dependencies><dependency><groupId>org.demo</groupId><artifactId>lib</artifactId></dependency></dependencies>
                """));
        assertEquals(List.of(jar("lib", "1.2")), MagicInvoker.runLine(reg, "loadFromPOM", "bom-pom.xml", ctx));
        Files.writeString(dir.resolve("child-pom.xml"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<parent><groupId>org.demo</groupId><artifactId>parent</artifactId><version>5</version></parent>"
                + "<artifactId>child</artifactId>" + repository
                + "<dependencies><dependency><groupId>org.demo</groupId><artifactId>junk</artifactId></dependency>"
                + "</dependencies></project>");
        assertEquals(List.of(jar("junk", "1.0")), MagicInvoker.runLine(reg, "loadFromPOM", "child-pom.xml", ctx));
    }
}
