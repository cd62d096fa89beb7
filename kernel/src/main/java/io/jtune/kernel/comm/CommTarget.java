package io.jtune.kernel.comm;

import java.util.Map;

/** Accepts comms that the front end opens for one target name. */
@FunctionalInterface
public interface CommTarget {
    void opened(Comm comm, Map<String, Object> data);
}
