package io.jtune.finetune.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The lookup tables NF4 dequantization gathers from, created once per model manager and shared by
 * all of its {@link Nf4Weight}s (3 KB, not counted in their {@code bytes()}):
 *
 * <ul>
 *   <li>{@code pairs} [256, 2]: for each byte, the NF4 values of its high and low nibble, so one
 *       gather turns the packed bytes into the values in order;</li>
 *   <li>{@code dynamic} [256, 1]: the {@link DynamicMap}, for the 8-bit block scales.</li>
 * </ul>
 */
final class Nf4Tables {
    private final NDManager manager;
    private final NDArray pairs;
    private final NDArray dynamic;

    Nf4Tables(NDManager manager) {
        this.manager = manager;
        float[] p = new float[512];
        for (int b = 0; b < 256; b++) {
            p[2 * b] = Nf4.value(b >>> 4);
            p[2 * b + 1] = Nf4.value(b & 0x0F);
        }
        this.pairs = manager.create(p, new Shape(256, 2));
        this.dynamic = manager.create(DynamicMap.values(), new Shape(256, 1));
    }

    NDManager manager() {
        return manager;
    }

    NDArray pairs() {
        return pairs;
    }

    NDArray dynamic() {
        return dynamic;
    }
}
