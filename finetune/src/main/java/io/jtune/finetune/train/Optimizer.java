package io.jtune.finetune.train;

import io.jtune.finetune.io.safetensors.SafetensorsReader;
import io.jtune.finetune.io.safetensors.TensorData;
import java.io.IOException;
import java.util.List;

/** What the trainer needs of an optimizer: a step, its state's size, and its state for checkpoints. */
public interface Optimizer extends AutoCloseable {
    /** One update of every parameter from its gradient, at learning rate {@code lr}. */
    void step(double lr);

    /** Optimizer steps taken. */
    long steps();

    /** Bytes the optimizer state holds. */
    long stateBytes();

    /** The state as tensors for {@code optimizer.safetensors} (names are the parameter's plus a suffix). */
    List<TensorData> stateTensors();

    /** Puts the state of {@link #stateTensors()} back, so the next step continues that run exactly. */
    void restore(long steps, SafetensorsReader state) throws IOException;

    @Override
    void close();
}
