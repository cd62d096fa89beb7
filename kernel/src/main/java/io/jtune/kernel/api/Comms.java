package io.jtune.kernel.api;

import io.jtune.kernel.comm.Comm;
import io.jtune.kernel.comm.CommRegistry;
import io.jtune.kernel.comm.CommTarget;
import java.util.Map;

/**
 * Comms from notebook cells: a channel of messages between the kernel and a front-end widget.
 *
 * <pre>{@code
 * Comms.registerTarget("echo", (comm, data) -> comm.onMessage(msg -> comm.send(msg)));
 * Comm c = Comms.open("my_target", Map.of("hello", 1));   // kernel-side open
 * }</pre>
 */
public final class Comms {
    private Comms() {}

    /** Lets the front end open comms to {@code target}; {@code handler} gets each one opened. */
    public static void registerTarget(String target, CommTarget handler) {
        CommRegistry.registerTarget(target, handler);
    }

    public static void unregisterTarget(String target) {
        CommRegistry.unregisterTarget(target);
    }

    /** Opens a comm from the kernel side to a front-end target. */
    public static Comm open(String target, Map<String, Object> data) {
        return CommRegistry.open(target, data);
    }

    /** Open comms (id to target name), optionally only those of one target. */
    public static Map<String, String> list(String targetOrNull) {
        return CommRegistry.list(targetOrNull);
    }
}
