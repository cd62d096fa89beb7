package io.jtune.finetune.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns autograd recording off on this thread until closed, as {@code torch.no_grad()}: for
 * in-place updates of parameters that require gradients (PyTorch refuses them while recording)
 * and for evaluation (no graph is built). Grad mode is per thread, and a new thread starts with it
 * on, so a cell's thread would otherwise record.
 */
final class NoGrad implements AutoCloseable {
    private final boolean previous;

    NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
