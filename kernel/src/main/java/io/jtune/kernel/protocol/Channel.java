package io.jtune.kernel.protocol;

/** The Jupyter channels a message travels on (heartbeat has no messages). */
public enum Channel {
    SHELL, CONTROL, IOPUB, STDIN
}
