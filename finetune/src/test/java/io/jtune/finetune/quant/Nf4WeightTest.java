package io.jtune.finetune.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.jtune.finetune.model.DenseWeight;
import io.jtune.finetune.model.Linear;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The NF4 storage dequantizes in native ops to exactly what the Java codec computes, into the caller's scope. */
class Nf4WeightTest {
    static float[] normal(int n, long seed, double std) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * std);
        }
        return out;
    }

    @Test
    void nativeDequantizationEqualsTheJavaCodecBitForBit() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Nf4Tables tables = new Nf4Tables(m);
            // multiples of 64, a partial block, an odd count, and more than 256 blocks (a partial nested block)
            for (long[] shape : new long[][] {{8, 64}, {3, 50}, {7, 45}, {130, 130}, {96, 192}}) {
                int n = (int) (shape[0] * shape[1]);
                Nf4Tensor t = Nf4Tensor.quantize(normal(n, n, 0.05), shape);
                try (Nf4Weight w = new Nf4Weight(t, tables); NDManager scope = m.newSubManager()) {
                    NDArray dense = w.dense(scope);
                    assertEquals(new Shape(shape), dense.getShape());
                    assertEquals(scope, dense.getManager(), "the temporary belongs to the step");
                    assertArrayEquals(t.dequantize(), dense.toFloatArray(), "shape " + new Shape(shape));
                    assertArrayEquals(t.scales(), w.scales(scope).toFloatArray());
                    assertEquals(t, w.tensor(), "the arrays read back are the quantized ones");
                }
            }
        }
    }

    @Test
    void aLinearOverNf4ComputesWhatItComputesOverTheDequantizedMatrix() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Nf4Tensor t = Nf4Tensor.quantize(normal(48 * 128, 3, 0.02), 48, 128);
            Nf4Weight nf4 = new Nf4Weight(t, new Nf4Tables(m));
            NDArray bias = m.create(normal(48, 4, 0.1));
            Linear quantized = new Linear("model.layers.0.mlp.up_proj", nf4, bias);
            Linear dense = new Linear("dense", new DenseWeight(m.create(t.dequantize(), new Shape(48, 128))), bias);
            try (NDManager scope = m.newSubManager()) {
                NDArray x = scope.create(normal(2 * 5 * 128, 5, 1.0), new Shape(2, 5, 128));
                float[] expected = dense.forward(x).toFloatArray();
                float[] got = quantized.forward(x).toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], 1e-6, "output " + i);
                }
            }
            assertEquals("nf4", nf4.kind());
            assertFalse(nf4.differentiable());
            assertEquals(48 * 128 / 2 + 48 * 128 / 64 + 4 + 4, nf4.bytes());
            assertTrue(nf4.bytes() <= 0.14 * 4 * 48 * 128);
        }
    }

    @Test
    void gradientsFlowThroughAnNf4LinearAsThroughItsDequantizedMatrix() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Nf4Tensor t = Nf4Tensor.quantize(normal(32 * 64, 8, 0.05), 32, 64);
            Linear quantized = new Linear("q", new Nf4Weight(t, new Nf4Tables(m)), null);
            Linear dense = new Linear("d", new DenseWeight(m.create(t.dequantize(), new Shape(32, 64))), null);
            float[][] grads = new float[2][];
            for (int k = 0; k < 2; k++) {
                try (NDManager scope = m.newSubManager()) {
                    NDArray x = scope.create(normal(3 * 64, 9, 1.0), new Shape(3, 64));
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = (k == 0 ? quantized : dense).forward(x);
                        gc.backward(y.mul(y).sum());
                    }
                    grads[k] = x.getGradient().toFloatArray();
                }
            }
            for (int i = 0; i < grads[0].length; i++) {
                assertEquals(grads[1][i], grads[0][i], 1e-5, "d loss / d x[" + i + "]");
            }
        }
    }
}
