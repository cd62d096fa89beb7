package io.jtune.finetune.model;

import ai.djl.ndarray.NDManager;

/** Tiny models with seeded random weights, built in memory for tests. */
final class RandomModels {
    private RandomModels() {}

    static ModelConfig config(Architecture arch, int kvHeads, boolean tied, RopeScaling scaling) {
        return new ModelConfig(arch, 61, 32, 48, 2, 4, kvHeads, 8, 1e-5, arch == Architecture.QWEN2 ? 1e6 : 10000,
                scaling, tied, 2048, "float32", 1, new int[] {2});
    }

    /** Larger weights than a real init so that logits differ clearly between tokens. */
    static CausalLm build(ModelConfig c, long seed) {
        NDManager manager = NDManager.newBaseManager("PyTorch");
        return CausalLm.fromTensors(c, manager, RandomWeights.create(c, manager, seed, 0.25, 0.1));
    }
}
