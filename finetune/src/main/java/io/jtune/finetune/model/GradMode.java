package io.jtune.finetune.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Sets autograd recording on this thread until closed, then puts back what was there ({@code
 * try (var off = GradMode.off()) { ... }}, as {@code torch.no_grad()}). Grad mode is per thread and a
 * new thread starts with it on, so a cell's thread would record unless told otherwise. Off: for
 * in-place updates of parameters that require gradients (PyTorch refuses them while recording) and
 * for evaluation; on: to record a recomputed layer inside a pass that had it off.
 */
public final class GradMode implements AutoCloseable {
    private final boolean previous;

    private GradMode(boolean on) {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(on);
    }

    /** Recording off until closed. */
    public static GradMode off() {
        return new GradMode(false);
    }

    /** Recording on until closed. */
    public static GradMode on() {
        return new GradMode(true);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
