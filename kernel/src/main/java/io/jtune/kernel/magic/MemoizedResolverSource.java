package io.jtune.kernel.magic;

/** Keeps the first resolver its factory makes; see {@link MavenResolverSource#lazy}. */
final class MemoizedResolverSource implements MavenResolverSource {
    private final MavenResolverSource factory;
    private MavenResolver resolver;

    MemoizedResolverSource(MavenResolverSource factory) {
        this.factory = factory;
    }

    @Override
    public synchronized MavenResolver get() throws MagicException {
        if (resolver == null) {
            resolver = factory.get();
        }
        return resolver;
    }
}
