package io.jtune.kernel.magic;

/**
 * The kernel's general magics: {@code %lsmagic}, {@code %help}, {@code %classpath},
 * {@code %jars}, {@code %maven} (aliases {@code %addMavenDependency},
 * {@code %addMavenDependencies}), {@code %mavenRepo} (alias {@code %addMavenRepo}),
 * {@code %loadFromPOM}/{@code %%loadFromPOM}, {@code %load} and {@code %time}/{@code %%time}.
 */
public final class GeneralMagics implements MagicProvider {
    /** A registry of these magics alone, without the ones other modules contribute. */
    public static MagicRegistry registry() {
        return MagicRegistry.of(java.util.List.of(new GeneralMagics()));
    }

    @Override
    public void register(MagicRegistry registry) {
        MavenResolverSource maven = MavenResolverSource.lazy(MavenResolver::fromUserSettings);
        registry.registerLine("lsmagic", LsMagic.DESCRIPTION, LsMagic.USAGE, new LsMagic())
                .registerLine("help", HelpMagic.DESCRIPTION, HelpMagic.USAGE, new HelpMagic())
                .registerLine("classpath", ClasspathMagic.DESCRIPTION, ClasspathMagic.USAGE,
                        new ClasspathMagic())
                .registerLine("jars", JarsMagic.DESCRIPTION, JarsMagic.USAGE, new JarsMagic())
                .registerLine("maven", MavenMagic.DESCRIPTION, MavenMagic.USAGE,
                        new MavenMagic(maven))
                .alias("addMavenDependency", "maven")
                .alias("addMavenDependencies", "maven")
                .registerLine("mavenRepo", MavenRepoMagic.DESCRIPTION, MavenRepoMagic.USAGE,
                        new MavenRepoMagic(maven))
                .alias("addMavenRepo", "mavenRepo")
                .registerLine("loadFromPOM", LoadFromPomMagic.DESCRIPTION, LoadFromPomMagic.LINE_USAGE,
                        new LoadFromPomMagic(maven))
                .registerCell("loadFromPOM", LoadFromPomMagic.DESCRIPTION, LoadFromPomMagic.CELL_USAGE,
                        new LoadFromPomMagic(maven))
                .registerLine("load", LoadMagic.DESCRIPTION, LoadMagic.USAGE, new LoadMagic())
                .registerLine("time", TimeMagic.DESCRIPTION, TimeMagic.LINE_USAGE, new TimeMagic())
                .registerCell("time", TimeMagic.DESCRIPTION, TimeMagic.CELL_USAGE, new TimeMagic());
    }
}
