package io.jtune.finetune.train;

import ai.djl.ndarray.NDArray;
import io.jtune.finetune.io.safetensors.SafetensorsReader;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a run trains and how its trained weights are saved into a checkpoint and read back: the
 * adapters of a {@link LoraModel} (a PEFT adapter folder) or the model's own weights (full
 * fine-tuning: the trained tensors in {@code model.safetensors} under Hugging Face names).
 */
public interface TrainTarget {
    CausalLm model();

    /** The tensors the optimizer updates, by name. */
    Map<String, NDArray> parameters();

    /** Dropout on (training) or off. */
    void training(boolean on);

    /** Writes the trained weights into {@code dir}. */
    void save(Path dir) throws IOException;

    /** Puts the weights saved by {@link #save} back into {@link #parameters()}, in place. */
    void restore(Path dir) throws IOException;

    /** A LoRA model's adapters and modules_to_save copies. */
    static TrainTarget lora(LoraModel lora) {
        return new TrainTarget() {
            @Override
            public CausalLm model() {
                return lora.model();
            }

            @Override
            public Map<String, NDArray> parameters() {
                return lora.trainable();
            }

            @Override
            public void training(boolean on) {
                lora.training(on);
            }

            @Override
            public void save(Path dir) throws IOException {
                lora.save(dir);
            }

            @Override
            public void restore(Path dir) throws IOException {
                copyInto(dir.resolve("adapter_model.safetensors"), parameters());
            }
        };
    }

    /** Every parameter of {@code model} marked trainable ({@link CausalLm#trainableTensors()}). */
    static TrainTarget full(CausalLm model) {
        Map<String, NDArray> params = model.trainableTensors();
        return new TrainTarget() {
            @Override
            public CausalLm model() {
                return model;
            }

            @Override
            public Map<String, NDArray> parameters() {
                return params;
            }

            @Override
            public void training(boolean on) {}

            @Override
            public void save(Path dir) throws IOException {
                Files.createDirectories(dir);
                List<TensorData> data = new ArrayList<>();
                for (Map.Entry<String, NDArray> e : params.entrySet()) {
                    data.add(TensorData.f32(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
                }
                SafetensorsWriter.write(dir.resolve("model.safetensors"), data);
            }

            @Override
            public void restore(Path dir) throws IOException {
                copyInto(dir.resolve("model.safetensors"), params);
            }
        };
    }

    /** Reads each named tensor of {@code file} into the array of the same name, refusing any mismatch. */
    static void copyInto(Path file, Map<String, NDArray> params) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                long[] shape = e.getValue().getShape().getShape();
                if (!r.contains(e.getKey())) {
                    throw new IOException(file + ": no tensor '" + e.getKey() + "' to restore");
                }
                if (!Arrays.equals(r.info(e.getKey()).shape(), shape)) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' is " + r.info(e.getKey()).shapeText()
                            + " but the run trains " + Arrays.toString(shape));
                }
                e.getValue().set(FloatBuffer.wrap(r.readFloats(e.getKey())));
            }
        }
    }
}
