package io.jtune.kernel.comm;

import java.util.Map;

/** How comms reach the front end; the kernel sends these on iopub. */
@FunctionalInterface
public interface CommSender {
    /**
     * Sends a {@code comm_open}, {@code comm_msg} or {@code comm_close}. {@code target} is set for
     * comm_open only.
     */
    void send(String msgType, String commId, String target, Map<String, Object> data);
}
