package io.jtune.kernel.magic;

/** Gives {@code %maven} and {@code %mavenRepo} the resolver they share. */
@FunctionalInterface
public interface MavenResolverSource {
    /** The resolver; may read settings.xml the first time. */
    MavenResolver get() throws MagicException;

    /**
     * A source that calls {@code factory} on first use and keeps its resolver; a failure is not
     * kept, so a fixed settings.xml is picked up by the next call.
     */
    static MavenResolverSource lazy(MavenResolverSource factory) {
        return new MemoizedResolverSource(factory);
    }

    /** A source that always gives {@code resolver}. */
    static MavenResolverSource of(MavenResolver resolver) {
        return () -> resolver;
    }
}
