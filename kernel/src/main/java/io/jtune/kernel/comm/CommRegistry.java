package io.jtune.kernel.comm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's comms: targets registered by cells, comms open in either direction, and the
 * sender the kernel installs. Cells use it through {@code io.jtune.kernel.api.Comms}; the kernel's
 * shell handlers feed it the front end's comm messages.
 */
public final class CommRegistry {
    private static final Map<String, CommTarget> TARGETS = new ConcurrentHashMap<>();
    private static final Map<String, Comm> OPEN = new ConcurrentHashMap<>();
    private static volatile CommSender sender = (type, id, target, data) -> {
        throw new IllegalStateException("comms need a running kernel (not available in headless runs)");
    };

    private CommRegistry() {}

    /** Installed by the kernel at start. */
    public static void setSender(CommSender s) {
        sender = s;
    }

    public static void registerTarget(String target, CommTarget handler) {
        TARGETS.put(target, handler);
    }

    public static void unregisterTarget(String target) {
        TARGETS.remove(target);
    }

    /** Opens a comm from the kernel side to a front-end target. */
    public static Comm open(String target, Map<String, Object> data) {
        Comm c = new Comm(UUID.randomUUID().toString().replace("-", ""), target, sender);
        OPEN.put(c.id(), c);
        sender.send("comm_open", c.id(), target, data);
        return c;
    }

    /** Open comms (id to target name), optionally only those of one target. */
    public static Map<String, String> list(String targetOrNull) {
        Map<String, String> out = new LinkedHashMap<>();
        OPEN.forEach((id, c) -> {
            if (targetOrNull == null || targetOrNull.equals(c.target())) {
                out.put(id, c.target());
            }
        });
        return out;
    }

    /**
     * A comm_open from the front end: true when a target took it; false when no target is
     * registered (the kernel then closes it, as the protocol asks).
     */
    public static boolean openedByFrontEnd(String id, String target, Map<String, Object> data) {
        CommTarget t = TARGETS.get(target);
        if (t == null) {
            return false;
        }
        Comm c = new Comm(id, target, sender);
        OPEN.put(id, c);
        t.opened(c, data);
        return true;
    }

    public static boolean messageFromFrontEnd(String id, Map<String, Object> data) {
        Comm c = OPEN.get(id);
        if (c == null) {
            return false;
        }
        c.received(data);
        return true;
    }

    public static boolean closedByFrontEnd(String id, Map<String, Object> data) {
        Comm c = OPEN.remove(id);
        if (c == null) {
            return false;
        }
        c.closedByFrontEnd(data);
        return true;
    }

    static void forget(String id) {
        OPEN.remove(id);
    }

    static Optional<Comm> find(String id) {
        return Optional.ofNullable(OPEN.get(id));
    }
}
