package io.jtune.kernel.magic;

import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.eclipse.aether.repository.Authentication;
import org.eclipse.aether.repository.AuthenticationSelector;
import org.eclipse.aether.repository.MirrorSelector;
import org.eclipse.aether.repository.ProxySelector;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

/** settings.xml's mirrors, proxies and servers as Maven Resolver selectors. */
final class MavenSettingsSelectors {
    private MavenSettingsSelectors() {}

    /** {@code <mirrors>}: {@code mirrorOf} may be an id, a list, {@code *}, {@code external:*}, {@code !id}. */
    static MirrorSelector mirrors(Settings settings) {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (Mirror m : settings.getMirrors()) {
            selector.add(m.getId(), m.getUrl(), m.getLayout(), false, m.isBlocked(),
                    m.getMirrorOf(), m.getMirrorOfLayouts());
        }
        return selector;
    }

    /** The active {@code <proxies>}, with their credentials and non-proxy hosts. */
    static ProxySelector proxies(Settings settings) {
        DefaultProxySelector selector = new DefaultProxySelector();
        for (Proxy p : settings.getProxies()) {
            if (!p.isActive()) {
                continue;
            }
            Authentication auth = p.getUsername() == null ? null : new AuthenticationBuilder()
                    .addUsername(p.getUsername()).addPassword(p.getPassword()).build();
            selector.add(new org.eclipse.aether.repository.Proxy(p.getProtocol(), p.getHost(),
                    p.getPort(), auth), p.getNonProxyHosts());
        }
        return selector;
    }

    /** {@code <servers>} credentials, by repository (or mirror) id. */
    static AuthenticationSelector authentication(Settings settings) {
        DefaultAuthenticationSelector selector = new DefaultAuthenticationSelector();
        for (Server s : settings.getServers()) {
            AuthenticationBuilder auth = new AuthenticationBuilder()
                    .addUsername(s.getUsername()).addPassword(s.getPassword());
            if (s.getPrivateKey() != null) {
                auth.addPrivateKey(s.getPrivateKey(), s.getPassphrase());
            }
            selector.add(s.getId(), auth.build());
        }
        return selector;
    }
}
