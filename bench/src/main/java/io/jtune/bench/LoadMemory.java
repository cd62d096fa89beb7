package io.jtune.bench;

import static io.jtune.bench.BenchSupport.kb;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.model.Architecture;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.RandomWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Peak memory of loading a model: {@code --write DIR} writes the 58M-parameter benchmark model
 * (f32 safetensors and config.json); {@code --load DIR}, in a fresh JVM, reports the process's
 * resident set before and after loading and its peak (VmHWM), against the size of the weights.
 */
public final class LoadMemory {
    private LoadMemory() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("--write")) {
            ModelConfig c = new ModelConfig(Architecture.LLAMA, 32000, 512, 1536, 8, 8, 4, 64, 1e-5, 10000, null,
                    false, 2048, "float32", 1, new int[] {2});
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), """
                    {"model_type": "llama", "vocab_size": 32000, "hidden_size": 512, "intermediate_size": 1536,
                     "num_hidden_layers": 8, "num_attention_heads": 8, "num_key_value_heads": 4, "rms_norm_eps": 1e-5,
                     "max_position_embeddings": 2048, "tie_word_embeddings": false, "torch_dtype": "float32"}
                    """);
            List<TensorData> tensors = new ArrayList<>();
            Map<String, long[]> shapes = RandomWeights.shapes(c);
            RandomWeights.values(c, 1234, 0.02, 0.0).forEach((n, v) -> tensors.add(TensorData.f32(n, shapes.get(n), v)));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
            System.out.println("wrote " + dir);
            return;
        }
        try (NDManager warm = NDManager.newBaseManager("PyTorch")) {
            warm.create(new float[] {1f}).add(warm.create(new float[] {1f})).toFloatArray(); // engine loaded
        }
        long before = kb("VmRSS");
        long hwmBefore = kb("VmHWM");
        try (CausalLm model = ModelLoader.load(dir)) {
            long after = kb("VmRSS");
            long peak = kb("VmHWM");
            double weightsMb = model.weightBytes() / 1e6;
            System.out.printf("weights: %.1f MB (%,d parameters)%n", weightsMb, model.config().parameterCount());
            System.out.printf("RSS before load: %.1f MB (peak so far %.1f MB)%n", before / 1e3, hwmBefore / 1e3);
            System.out.printf("RSS after load:  %.1f MB; peak during load: %.1f MB%n", after / 1e3, peak / 1e3);
            System.out.printf("peak growth over the weights: %.2fx ((peak - RSS before) / weights)%n",
                    (peak - before) / 1e3 / weightsMb);
        }
    }
}
