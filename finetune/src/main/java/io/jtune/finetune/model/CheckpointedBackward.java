package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Gradient checkpointing (Chen et al. 2016), as transformers' {@code gradient_checkpointing_enable}
 * does it per decoder layer: a forward pass without autograd keeps only each layer's input [B, T, E];
 * the backward pass then goes from the last layer to the first, recomputing one layer with autograd
 * from its saved input and backpropagating the gradient of its output into it (a vector-Jacobian
 * product), so that one layer's activations are alive at a time instead of all of them. The
 * gradients that reach the parameters are those of the plain backward pass, at the cost of a second
 * forward pass.
 *
 * <p>Each layer runs in its own child manager of the step's scope, closed as soon as the layer is
 * done: DJL puts an op's result in its first operand's manager, so without this the intermediates
 * would stay alive until the step ends and nothing would be saved.
 */
final class CheckpointedBackward {
    private CheckpointedBackward() {}

    /**
     * Backpropagates {@code loss(logits)} through the model with checkpointing, accumulating into
     * the gradients of every parameter that requires them.
     *
     * @return the loss value
     */
    static float run(CausalLm model, NDManager scope, ForwardInput in, Function<NDArray, NDArray> loss) {
        int b = in.batch();
        int t = in.length();
        NDArray ids = scope.create(CausalLm.flatten(in.ids()), new Shape(b, t));
        NDArray positions = scope.create(CausalLm.flatten(in.positions()), new Shape(b, t));
        NDArray mask = AttentionMask.build(scope, in.keyMask(), in.segments(), 0, t);
        List<NDArray> inputs = new ArrayList<>();
        NDArray x;
        NDList rope;
        try (GradMode off = GradMode.off()) {
            rope = model.rotary().tables(positions);
            x = model.embed(scope, ids, t);
            for (DecoderLayer layer : model.layers()) {
                inputs.add(x);
                try (NDManager ls = scope.newSubManager()) {
                    NDArray xin = x.duplicate();
                    xin.attach(ls);
                    NDArray y = layer.forward(xin, model.rotary(), rope, mask, null);
                    y.attach(scope);
                    x = y;
                }
            }
        }
        try (GradMode on = GradMode.on()) {
            NDArray h = x.duplicate();
            h.attach(scope);
            h.setRequiresGradient(true);
            NDArray value = loss.apply(model.lmHead().forward(model.finalNorm().forward(h)));
            float result = value.getFloat();
            JniUtils.backward((PtNDArray) value, (PtNDArray) scope.ones(value.getShape()), false, false);
            NDArray grad = carry(h.getGradient(), scope);
            for (int i = model.layers().size() - 1; i >= 0; i--) {
                try (NDManager ls = scope.newSubManager()) {
                    NDArray xi = inputs.get(i).duplicate();
                    xi.attach(ls);
                    xi.setRequiresGradient(true);
                    NDArray y = model.layers().get(i).forward(xi, model.rotary(), rope, mask, null);
                    JniUtils.backward((PtNDArray) y, (PtNDArray) grad, false, false);
                    grad = carry(xi.getGradient(), scope);
                }
            }
            NDArray embedding = model.embedding();
            if (embedding instanceof PtNDArray pe && JniUtils.requiresGrad(pe)) {
                try (NDManager ls = scope.newSubManager()) {
                    NDArray lid = ids.duplicate();
                    lid.attach(ls);
                    NDArray e = Embedding.embedding(lid, embedding, SparseFormat.DENSE).singletonOrThrow();
                    e.attach(ls);
                    JniUtils.backward((PtNDArray) e, (PtNDArray) grad, false, false);
                }
            }
            return result;
        }
    }

    /** A copy of a gradient wrapper in {@code scope}, the wrapper closed. */
    private static NDArray carry(NDArray gradient, NDManager scope) {
        NDArray copy;
        try (GradMode off = GradMode.off()) {
            copy = gradient.duplicate();
        }
        copy.attach(scope);
        gradient.close();
        return copy;
    }
}
