package io.jtune.finetune.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.DenseWeight;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.Parameter;
import io.jtune.finetune.model.StoragePolicy;
import io.jtune.finetune.model.TinyModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading with quant=nf4: what is quantized, what stays float32, memory, and logits. */
class Nf4PolicyTest {
    private static final ForwardInput INPUT = ForwardInput.of(new int[][] {{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}});

    @TempDir
    Path dir;

    static float[] logits(CausalLm m) {
        try (NDManager scope = m.manager().newSubManager()) {
            return m.logits(scope, INPUT, null).toFloatArray();
        }
    }

    /** The same quantization, dequantized once in Java and kept dense: the reference an NF4 model must match. */
    static final StoragePolicy DEQUANTIZED_DENSE = (module, w) -> {
        if (!Nf4Policy.quantizes(module)) {
            return new DenseWeight(w);
        }
        long[] shape = w.getShape().getShape();
        float[] values = Nf4Tensor.quantize(w.toFloatArray(), shape).dequantize();
        NDManager manager = w.getManager();
        w.close();
        return new DenseWeight(manager.create(values, new Shape(shape)));
    };

    @Test
    void everyDecoderProjectionIsNf4AndTheHeadEmbeddingsAndNormsStayFloat32() throws Exception {
        TinyModels.write(dir, TinyModels.TEST_LLAMA, 5); // untied: the head passes through the policy
        try (CausalLm m = ModelLoader.load(dir, Quantization.NF4)) {
            for (Parameter p : m.parameters()) {
                boolean projection = p.name().matches("model\\.layers\\.\\d+\\.(self_attn|mlp)\\.\\w+_proj\\.weight");
                assertEquals(projection ? "nf4" : "float32", p.storageKind(), p.name());
                assertEquals(!projection, p.trainable(), p.name() + ": quantized weights cannot be trained in place");
            }
            assertEquals("float32", m.lmHead().weight().kind());
            assertTrue(m.toString().contains("bytes per parameter"), m.toString());
        }
    }

    @Test
    void nf4ProjectionsTakeAtMost014TimesTheirFloat32Bytes() throws Exception {
        TinyModels.write(dir, TinyModels.TEST_LLAMA, 5); // in-features 64 and 192: whole blocks
        try (CausalLm dense = ModelLoader.load(dir); CausalLm nf4 = ModelLoader.load(dir, Quantization.NF4)) {
            MemoryReport f32 = MemoryReport.of(dense);
            MemoryReport q = MemoryReport.of(nf4);
            assertEquals(1.0, f32.linearRatioToF32(), 1e-12);
            assertEquals(f32.linearParameters(), q.linearParameters());
            assertTrue(q.linearRatioToF32() <= 0.14, q.toString());
            assertTrue(q.bytesPerParameter() < f32.bytesPerParameter(), q + " vs " + f32);
            assertEquals(4.0, f32.bytesPerParameter(), 1e-12);
        }
    }

    @Test
    void anNf4ModelGivesTheLogitsOfItsDequantizedWeights() throws Exception {
        for (TinyModels.Spec spec : new TinyModels.Spec[] {TinyModels.TEST_LLAMA, TinyModels.TEST_QWEN2}) {
            Path d = dir.resolve(spec.name());
            TinyModels.write(d, spec, 9);
            float[] expected;
            try (CausalLm m = ModelLoader.load(d, DEQUANTIZED_DENSE)) {
                expected = logits(m);
            }
            try (CausalLm m = ModelLoader.load(d, Quantization.NF4)) {
                float[] got = logits(m);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], 1e-5, spec.name() + " logit " + i);
                }
            }
        }
    }

    @Test
    void quantizationNamesParseAndAnUnknownOneListsTheKnown() {
        assertEquals(Quantization.NF4, Quantization.parse("NF4"));
        assertEquals(Quantization.NONE, Quantization.parse("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantization.parse("int4"));
        assertEquals("unknown quantization 'int4'; use one of none, nf4", e.getMessage());
    }
}
