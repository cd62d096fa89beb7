package io.jtune.kernel.magic;

import java.nio.file.Path;
import java.util.List;

/**
 * What one requested coordinate resolved to.
 *
 * @param coordinate the coordinate as requested
 * @param jars its jar and the jars of its runtime dependencies, in resolution order
 */
public record MavenResolution(String coordinate, List<Path> jars) {

    public MavenResolution {
        jars = List.copyOf(jars);
    }
}
