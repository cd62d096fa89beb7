package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SwiGLU feed-forward (Shazeer 2020): down(silu(gate(x)) · up(x)), E to F to E. */
public final class Mlp {
    private final Linear gate;
    private final Linear up;
    private final Linear down;

    Mlp(Linear gate, Linear up, Linear down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    public Linear gateProj() {
        return gate;
    }

    public Linear upProj() {
        return up;
    }

    public Linear downProj() {
        return down;
    }

    /** x [B, T, E] to [B, T, E]. */
    NDArray forward(NDArray x) {
        NDArray g = gate.forward(x);                   // [B, T, F]
        NDArray silu = g.mul(Activation.sigmoid(g));   // silu(g) = g·σ(g), without a scalar operand
        return down.forward(silu.mul(up.forward(x)));
    }
}
